/**
 * STARTTLS preambles: each speaks just enough of its protocol to ask the server to start TLS, recording every
 * line for the diagram. A server that does not offer it, answers something else (another protocol on the port)
 * or stays silent → StepError("starttls_failure") quoting what it said, within the greeting bound.
 */
import type { Conversation } from "../conversation";
import type { StartTlsProtocol } from "../types";
import { smtp, ftp, pop3, imap } from "./text";
import { ldap } from "./ldap";
import { xmpp } from "./xmpp";
import { postgres } from "./postgres";
import { mysql } from "./mysql";

export interface StartTlsContext {
  /** The name the client introduces itself with / asks for (SMTP EHLO, XMPP to=). */
  name: string;
  /** Bound of one answer (the greeting included): a silent server is reported after this, not at the deadline. */
  waitMs: number;
}

export type StartTls = (conv: Conversation, ctx: StartTlsContext) => Promise<void>;

export const STARTTLS: Record<StartTlsProtocol, StartTls> = { smtp, imap, pop3, ftp, ldap, xmpp, postgres, mysql };

export { starttlsForPort, PROTOCOL_NAMES } from "../../../shared/starttls";
