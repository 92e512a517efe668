// The Scan panel's protocol guard: the host acts only on well-formed page messages and names what is wrong
// (the STARTTLS choice included: one of the --starttls protocols, "" for none, absent read as none).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseScanMessage } from "../../src/shared/protocol/scan";

const form = { host: "example.org", port: 443, servername: "", timeoutMs: 5000, starttls: "" };

describe("scan protocol: page → host guard", () => {
  const rows: { name: string; input: unknown; want: unknown }[] = [
    { name: "ready", input: { type: "ready" }, want: { type: "ready" } },
    { name: "start", input: { type: "scan/start", id: 1, form }, want: { type: "scan/start", id: 1, form } },
    { name: "start with STARTTLS", input: { type: "scan/start", id: 10, form: { ...form, port: 587, starttls: "smtp" } }, want: { type: "scan/start", id: 10, form: { ...form, port: 587, starttls: "smtp" } } },
    { name: "start, PostgreSQL", input: { type: "scan/start", id: 11, form: { ...form, starttls: "postgres" } }, want: { type: "scan/start", id: 11, form: { ...form, starttls: "postgres" } } },
    { name: "start without starttls: none", input: { type: "scan/start", id: 12, form: { host: "h", port: 443, servername: "", timeoutMs: 5000 } }, want: { type: "scan/start", id: 12, form: { host: "h", port: 443, servername: "", timeoutMs: 5000, starttls: "" } } },
    { name: "unknown STARTTLS protocol", input: { type: "scan/start", id: 13, form: { ...form, starttls: "telnet" } }, want: { invalid: "starttls must be '' or one of smtp, imap, pop3, ftp, ldap, xmpp, postgres, mysql", id: 13 } },
    { name: "STARTTLS protocol is case-exact", input: { type: "scan/start", id: 14, form: { ...form, starttls: "SMTP" } }, want: { invalid: "starttls must be '' or one of smtp, imap, pop3, ftp, ldap, xmpp, postgres, mysql", id: 14 } },
    { name: "STARTTLS not text", input: { type: "scan/start", id: 15, form: { ...form, starttls: true } }, want: { invalid: "starttls must be '' or one of smtp, imap, pop3, ftp, ldap, xmpp, postgres, mysql", id: 15 } },
    { name: "cancel", input: { type: "scan/cancel", id: 2 }, want: { type: "scan/cancel", id: 2 } },
    { name: "openCert", input: { type: "scan/action", id: 3, action: "openCert", chain: 1, index: 0 }, want: { type: "scan/action", id: 3, action: "openCert", chain: 1, index: 0 } },
    { name: "export", input: { type: "scan/action", id: 4, action: "exportMarkdown" }, want: { type: "scan/action", id: 4, action: "exportMarkdown", chain: undefined, index: undefined } },
    { name: "no id", input: { type: "scan/cancel" }, want: { invalid: "message scan/cancel without a valid id" } },
    { name: "bad port", input: { type: "scan/start", id: 5, form: { ...form, port: 70000 } }, want: { invalid: "port must be 1–65535", id: 5 } },
    { name: "bad timeout", input: { type: "scan/start", id: 6, form: { ...form, timeoutMs: 5 } }, want: { invalid: "timeout must be 100–120000 ms", id: 6 } },
    { name: "unknown action", input: { type: "scan/action", id: 7, action: "rm" }, want: { invalid: "unknown action rm", id: 7 } },
    { name: "openCert without index", input: { type: "scan/action", id: 8, action: "openCert", chain: 0 }, want: { invalid: "openCert needs chain and index", id: 8 } },
    { name: "unknown type", input: { type: "scan/x", id: 9 }, want: { invalid: "unknown message type scan/x", id: 9 } },
    { name: "not an object", input: "ready", want: { invalid: "not an object" } },
  ];
  for (const r of rows) it(r.name, () => assert.deepEqual(parseScanMessage(r.input), r.want));
});
