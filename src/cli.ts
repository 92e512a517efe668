/**
 * The certscope CLI (../shared/CONTRACTS.md): `inspect`, `verify`, `handshake`. Exit codes: 0 ok/valid,
 * 1 the thing inspected is bad, 2 usage error or unreadable input.
 */
import { EXIT_USAGE, UsageError, type CliIo, type CommandRunner } from "./cli/args";
import { runInspect } from "./cli/inspect";
import { runVerify } from "./cli/verify";
import { runHandshake } from "./cli/handshake";

const USAGE = `certscope — certificate and TLS handshake inspection

Usage:
  certscope inspect FILE [--password-env VAR] [--summary] [--json]
  certscope verify FILE [--trusted FILE]… [--untrusted FILE]… [--no-system-roots] [--host NAME]
                   [--purpose server|client|any] [--eku OID]… [--at ISO8601] [--max-depth N] [--aia] [--json]
  certscope handshake HOST:PORT [--servername NAME] [--cert FILE --key FILE | --pfx FILE]
                   [--passphrase-env VAR] [--ca FILE]… [--no-system-roots] [--tls-min V] [--tls-max V]
                   [--alpn LIST] [--timeout MS] [--keylog FILE] [--json]
                   [--starttls smtp|imap|pop3|ftp|ldap|xmpp|postgres|mysql] [--proxy http://[user:pass@]host:port]
                   [--no-app-probe]

Exit codes: 0 success/valid, 1 invalid chain or failed handshake, 2 usage error or unreadable input.
`;

const commands: Record<string, CommandRunner> = {
  inspect: runInspect,
  verify: runVerify,
  handshake: runHandshake,
};

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    (name ? io.stdout : io.stderr)(USAGE);
    return name ? 0 : EXIT_USAGE;
  }
  if (name === "--version") {
    io.stdout(`${process.env.CERTSCOPE_VERSION ?? "0.1.0"}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    io.stderr(`certscope: unknown command '${name}'\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  try {
    return await command(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`certscope ${name}: ${err.message}\n`);
      return EXIT_USAGE;
    }
    // A bug of ours, not the user's input: one line, and the stack only when asked (CERTSCOPE_DEBUG=1).
    const detail = io.env.CERTSCOPE_DEBUG ? ((err as Error)?.stack ?? String(err)) : err instanceof Error ? err.message : String(err);
    io.stderr(`certscope ${name}: internal error: ${detail}\n${io.env.CERTSCOPE_DEBUG ? "" : "(set CERTSCOPE_DEBUG=1 for the stack trace, and please report it)\n"}`);
    return EXIT_USAGE;
  }
}

if (require.main === module) {
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  const io: CliIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    signal: controller.signal,
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      process.stderr.write(`certscope: ${String(err)}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}
