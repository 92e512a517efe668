/**
 * The certscope CLI (docs/cli.md): `inspect`, `verify`, `handshake`. Exit codes: 0 ok/valid,
 * 1 the thing inspected is bad, 2 usage error or unreadable input.
 */
import { EXIT_CODES_NOTE, EXIT_USAGE, UsageError, commandHelp, synopsis, wantsHelp, wrap, type CliIo, type CommandRunner, type CommandSpec } from "./cli/args";
import { INSPECT, runInspect } from "./cli/inspect";
import { VERIFY, runVerify } from "./cli/verify";
import { HANDSHAKE, runHandshake } from "./cli/handshake";
import { SCAN, runScan } from "./cli/scan";

/** Every command by its name: its flag table (parsing and help) and its runner. Append a row for a new command. */
export const COMMANDS: Record<string, { spec: CommandSpec; run: CommandRunner }> = Object.fromEntries(
  ([
    [INSPECT, runInspect],
    [VERIFY, runVerify],
    [HANDSHAKE, runHandshake],
    [SCAN, runScan],
  ] as [CommandSpec, CommandRunner][]).map(([spec, run]) => [spec.name, { spec, run }]),
);

/** The top-level help, made from the commands' tables so it never lacks a flag. */
export function usage(): string {
  const specs = Object.values(COMMANDS).map((c) => c.spec);
  const lines = ["certscope — certificate and TLS handshake inspection", "", "Commands:"];
  const width = Math.max(...specs.map((s) => s.name.length)) + 2;
  for (const s of specs) lines.push(`  ${s.name.padEnd(width)}${wrap(s.summary, 110 - width - 2, width + 2)}`);
  lines.push("", "Usage:");
  for (const s of specs) lines.push(...synopsis(s).split("\n").map((l) => `  ${l}`));
  lines.push("", "certscope COMMAND --help shows a command's options; certscope --version its version.", wrap(EXIT_CODES_NOTE, 110), "");
  return lines.join("\n");
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    // `certscope help verify` = `certscope verify --help`.
    const about = name === "help" && rest[0] ? COMMANDS[rest[0]] : undefined;
    if (name === "help" && rest[0] && !about) {
      io.stderr(`certscope: unknown command '${rest[0]}'\n\n${usage()}`);
      return EXIT_USAGE;
    }
    (name ? io.stdout : io.stderr)(about ? commandHelp(about.spec) : usage());
    return name ? 0 : EXIT_USAGE;
  }
  if (name === "--version") {
    io.stdout(`${process.env.CERTSCOPE_VERSION ?? "0.1.0"}\n`);
    return 0;
  }
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.stderr(`certscope: unknown command '${name}'\n\n${usage()}`);
    return EXIT_USAGE;
  }
  if (wantsHelp(rest)) {
    io.stdout(commandHelp(command.spec));
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`certscope ${name}: ${err.message}\n(certscope ${name} --help lists its options)\n`);
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
