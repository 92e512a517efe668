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

/** The protocol a well-known port suggests (the panel's default), if any. */
export function starttlsForPort(port: number): StartTlsProtocol | undefined {
  return (
    ({ 25: "smtp", 587: "smtp", 143: "imap", 110: "pop3", 21: "ftp", 389: "ldap", 5222: "xmpp", 5269: "xmpp", 5432: "postgres", 3306: "mysql" }) as Record<number, StartTlsProtocol>
  )[port];
}

/** Human name of the protocol for messages. */
export const PROTOCOL_NAMES: Record<StartTlsProtocol, string> = {
  smtp: "SMTP",
  imap: "IMAP",
  pop3: "POP3",
  ftp: "FTP",
  ldap: "LDAP",
  xmpp: "XMPP",
  postgres: "PostgreSQL",
  mysql: "MySQL",
};
