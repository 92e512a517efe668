/**
 * A small, strict argument parser for the certscope CLI: `--name value`, `--name=value`, repeatable
 * options, boolean flags and positionals. Unknown options are usage errors (exit code 2 in the contract).
 *
 * Each command declares its flags once, in a `CommandSpec` table (one row per flag: name, kind, value name,
 * help text). The same table drives parsing and the command's `--help`, and docs/cli.md is checked against that
 * help by a unit test — so adding a flag is one row, and a flag cannot be parsed without being documented.
 */

export type OptionKind = "string" | "boolean" | "list";

export interface OptionSpec {
  /** "string" takes a value; "boolean" takes none; "list" takes a value and may repeat. */
  [name: string]: OptionKind;
}

/** One row of a command's flag table. */
export interface FlagSpec {
  /** Without the leading dashes: "tls-min". */
  name: string;
  kind: OptionKind;
  /** The value's placeholder in help: "FILE", "MS", "server|client|any". Unused for booleans. */
  value?: string;
  /** One line, plain words. */
  help: string;
}

/** A command: its synopsis, a sentence saying what it does, and its flag table. */
export interface CommandSpec {
  name: string;
  /** Positional arguments in the synopsis: "FILE", "HOST:PORT". */
  operands: string;
  summary: string;
  flags: FlagSpec[];
  /** Extra lines after the flag list (exit codes, notes). */
  notes?: string[];
}

export interface ParsedArgs {
  positionals: string[];
  strings: Record<string, string | undefined>;
  lists: Record<string, string[]>;
  flags: Record<string, boolean>;
}

export class UsageError extends Error {}

/** The option record of a command's flag table (what parseArgs reads). */
export function optionsOf(spec: CommandSpec): OptionSpec {
  const out: OptionSpec = {};
  for (const f of spec.flags) out[f.name] = f.kind;
  return out;
}

export function parseArgs(argv: string[], specOrCommand: OptionSpec | CommandSpec): ParsedArgs {
  const spec: OptionSpec = isCommandSpec(specOrCommand) ? optionsOf(specOrCommand) : specOrCommand;
  const out: ParsedArgs = { positionals: [], strings: {}, lists: {}, flags: {} };
  for (const [name, kind] of Object.entries(spec)) {
    if (kind === "list") out.lists[name] = [];
    if (kind === "boolean") out.flags[name] = false;
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--") {
      out.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("--") || arg === "-") {
      if (arg.startsWith("-") && arg !== "-") throw new UsageError(`unknown option '${arg}'`);
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const kind = Object.prototype.hasOwnProperty.call(spec, name) ? spec[name] : undefined;
    if (!kind) throw new UsageError(`unknown option '--${name}'`);
    if (kind === "boolean") {
      if (eq > 0) throw new UsageError(`option '--${name}' takes no value`);
      out.flags[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`option '--${name}' needs a value`);
    }
    if (kind === "list") out.lists[name].push(value);
    else {
      if (out.strings[name] !== undefined) throw new UsageError(`option '--${name}' given twice`);
      out.strings[name] = value;
    }
  }
  return out;
}

function isCommandSpec(x: OptionSpec | CommandSpec): x is CommandSpec {
  return Array.isArray((x as CommandSpec).flags) && typeof (x as CommandSpec).operands === "string";
}

/** True when argv asks for help (`--help` or `-h` before any `--`). */
export function wantsHelp(argv: string[]): boolean {
  for (const a of argv) {
    if (a === "--") return false;
    if (a === "--help" || a === "-h") return true;
  }
  return false;
}

/** "--trusted FILE" — a flag as help and the synopsis write it. */
export function flagText(f: FlagSpec): string {
  return f.kind === "boolean" ? `--${f.name}` : `--${f.name} ${f.value ?? "VALUE"}`;
}

/** The one-paragraph synopsis: `certscope verify FILE [--trusted FILE]… [--json]`, wrapped at `width`. */
export function synopsis(spec: CommandSpec, width = 110): string {
  const head = `certscope ${spec.name} ${spec.operands}`;
  const indent = " ".repeat(Math.min(head.length + 1, 20));
  const lines: string[] = [];
  let line = head;
  for (const f of spec.flags) {
    const part = `[${flagText(f)}]${f.kind === "list" ? "…" : ""}`;
    if (line.length + 1 + part.length > width) {
      lines.push(line);
      line = indent + part;
    } else line += ` ${part}`;
  }
  lines.push(line);
  return lines.join("\n");
}

/** `text` wrapped at `width` columns, continuation lines indented by `indent` spaces. */
export function wrap(text: string, width: number, indent = 0): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width - (lines.length ? indent : 0)) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join(`\n${" ".repeat(indent)}`);
}

/** A command's `--help`: synopsis, what it does, every flag of its table, then its notes. */
export function commandHelp(spec: CommandSpec): string {
  const rows = [...spec.flags.map((f) => [flagText(f), f.help + (f.kind === "list" ? " (repeatable)" : "")]), ["-h, --help", "show this help"]];
  const width = Math.min(28, Math.max(...rows.map(([l]) => l.length)) + 2);
  const out = [`Usage: ${synopsis(spec)}`, "", wrap(spec.summary, 110), "", "Options:"];
  for (const [label, help] of rows) {
    out.push(label.length + 2 > width ? `  ${label}\n  ${" ".repeat(width)}${help}` : `  ${label.padEnd(width)}${help}`);
  }
  if (spec.notes?.length) out.push("", ...spec.notes.map((n) => wrap(n, 110)));
  return out.join("\n") + "\n";
}

/** The row every command's table ends with. */
export const JSON_FLAG: FlagSpec = { name: "json", kind: "boolean", help: "one JSON document on stdout" };

/** Where a command writes: injectable so tests can run commands in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT. */
  signal?: AbortSignal;
}

export type CommandRunner = (argv: string[], io: CliIo) => Promise<number>;

export const EXIT_OK = 0;
export const EXIT_BAD = 1;
export const EXIT_USAGE = 2;

/** The exit codes every command shares (CONTRACTS.md), as help prints them. */
export const EXIT_CODES_NOTE = "Exit codes: 0 success/valid, 1 the thing inspected is bad (invalid chain, failed handshake), 2 usage error or unreadable input.";
