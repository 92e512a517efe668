/**
 * The plaintext protocols CertScope upgrades to TLS (--starttls), their names and the ports that suggest them:
 * shared by the engine (src/core/net), the CLI and the handshake panel. No vscode, no Node.
 */
export const STARTTLS_PROTOCOLS = ["smtp", "imap", "pop3", "ftp", "ldap", "xmpp", "postgres", "mysql"] as const;
export type StartTlsProtocol = (typeof STARTTLS_PROTOCOLS)[number];

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

const BY_PORT: Record<number, StartTlsProtocol> = { 25: "smtp", 587: "smtp", 143: "imap", 110: "pop3", 21: "ftp", 389: "ldap", 5222: "xmpp", 5269: "xmpp", 5432: "postgres", 3306: "mysql" };

/** The protocol a well-known port suggests (the panel's default), if any. */
export function starttlsForPort(port: number | null | undefined): StartTlsProtocol | undefined {
  return port ? BY_PORT[port] : undefined;
}

export function isStartTlsProtocol(v: unknown): v is StartTlsProtocol {
  return typeof v === "string" && (STARTTLS_PROTOCOLS as readonly string[]).includes(v);
}
