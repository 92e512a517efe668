/**
 * A small, strict argument parser for the certscope CLI: `--name value`, `--name=value`, repeatable
 * options, boolean flags and positionals. Unknown options are usage errors (exit code 2 in the contract).
 */

export interface OptionSpec {
  /** "string" takes a value; "boolean" takes none; "list" takes a value and may repeat. */
  [name: string]: "string" | "boolean" | "list";
}

export interface ParsedArgs {
  positionals: string[];
  strings: Record<string, string | undefined>;
  lists: Record<string, string[]>;
  flags: Record<string, boolean>;
}

export class UsageError extends Error {}

export function parseArgs(argv: string[], spec: OptionSpec): ParsedArgs {
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
    const kind = spec[name];
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
