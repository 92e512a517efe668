/**
 * `certscope verify FILE [--trusted FILE]… [--untrusted FILE]… [--no-system-roots] [--host NAME]
 *  [--purpose server|client|any] [--eku OID]… [--at ISO8601] [--max-depth N] [--json]` (../shared/CONTRACTS.md),
 * plus `--aia` (an addition: fetch missing issuers from the certificates' AIA caIssuers URLs, 5 s each).
 * Exit 0 valid, 1 invalid, 2 usage error or unreadable input.
 */
import { readFile } from "node:fs/promises";
import { EXIT_BAD, EXIT_OK, EXIT_USAGE, UsageError, parseArgs, type CliIo } from "./args";
import { certificatesForVerify, verifyChain, type VerifyOptions } from "../core/chain";
import type { VerifyResult } from "../shared/model";
import { escapeLines } from "../shared/safeText";

const SPEC = {
  trusted: "list",
  untrusted: "list",
  "no-system-roots": "boolean",
  host: "string",
  purpose: "string",
  eku: "list",
  at: "string",
  "max-depth": "string",
  json: "boolean",
  aia: "boolean",
} as const;

class InputError extends Error {}

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** Parses the validation time; only ISO 8601 is accepted (no locale-dependent Date parsing). */
export function parseAt(s: string): Date {
  const d = new Date(s);
  const m = ISO_8601.exec(s.trim());
  const [y, mo, day] = s.trim().slice(0, 10).split("-").map(Number);
  const real = new Date(Date.UTC(y, mo - 1, day));
  if (!m || Number.isNaN(d.getTime()) || real.getUTCMonth() !== mo - 1 || real.getUTCDate() !== day) throw new UsageError(`--at '${s}' is not an ISO 8601 date-time (e.g. 2026-01-31T12:00:00Z)`);
  return d;
}

async function readCertFile(path: string, what: string): Promise<Uint8Array[]> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`${what} '${path}' cannot be read: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (err as Error).message}`);
  }
  const { certs, errors } = certificatesForVerify(bytes);
  if (certs.length === 0) {
    // Bounded: 20,000 broken blocks name the first few and count the rest.
    const shown = errors.slice(0, 5).map((e) => e.message);
    if (errors.length > 5) shown.push(`… and ${errors.length - 5} more (the last: ${errors[errors.length - 1].message})`);
    const why = errors.length ? escapeLines(shown.join("; ")) : "no certificate found";
    throw new InputError(`${what} '${path}' holds no certificate: ${why}`);
  }
  return certs;
}

/** Maps parsed flags onto VerifyOptions (shared with scripts/limbo.mjs's in-process mode through runVerify). */
export function optionsFromArgs(a: ReturnType<typeof parseArgs>): Omit<VerifyOptions, "trusted" | "untrusted"> {
  const purpose = a.strings.purpose ?? "server";
  if (purpose !== "server" && purpose !== "client" && purpose !== "any") throw new UsageError(`--purpose must be server, client or any (got '${purpose}')`);
  for (const oid of a.lists.eku) if (!/^[0-2](\.(0|[1-9]\d*))+$/.test(oid)) throw new UsageError(`--eku '${oid}' is not a dotted OID (e.g. 1.3.6.1.5.5.7.3.1)`);
  let maxDepth: number | undefined;
  if (a.strings["max-depth"] !== undefined) {
    if (!/^\d+$/.test(a.strings["max-depth"])) throw new UsageError(`--max-depth must be a non-negative integer (got '${a.strings["max-depth"]}')`);
    maxDepth = Number(a.strings["max-depth"]);
  }
  if (a.strings.host !== undefined && a.strings.host.trim() === "") throw new UsageError("--host needs a name");
  return {
    useSystemRoots: !a.flags["no-system-roots"],
    host: a.strings.host,
    purpose,
    ekus: a.lists.eku.length ? a.lists.eku : undefined,
    at: a.strings.at !== undefined ? parseAt(a.strings.at) : undefined,
    maxDepth,
    fetchAia: !!a.flags.aia,
  };
}

const SOURCE_TEXT: Record<string, string> = { leaf: "leaf", file: "from the file", untrusted: "--untrusted", trusted: "trusted", system: "system root", aia: "fetched via AIA" };

/** The chain drawn top-down (anchor first) with ✓/✗ per link and every problem in plain words. */
export function formatVerifyResult(file: string, r: VerifyResult, at: Date, host?: string): string {
  const lines: string[] = [];
  lines.push(`Chain for ${file} (validated at ${at.toISOString().replace(".000Z", "Z")}${host ? `, host ${host}` : ""})`);
  const errorsAt = (i: number) => r.problems.filter((p) => p.certIndex === i && p.severity !== "warning");
  for (let k = r.chain.length - 1, depth = 0; k >= 0; k--, depth++) {
    const link = r.chain[k];
    const indent = "  " + "   ".repeat(depth);
    const mark = errorsAt(k).length ? "✗" : "✓";
    lines.push(`${indent}${depth ? "└─ " : ""}${mark} ${link.subject || "(empty subject)"}  [${SOURCE_TEXT[link.source] ?? link.source}]`);
    for (const p of r.problems.filter((x) => x.certIndex === k)) lines.push(`${indent}${depth ? "   " : ""}     ${p.severity === "warning" ? "warning" : p.code}: ${p.message}`);
  }
  for (const p of r.problems.filter((x) => x.certIndex === undefined)) lines.push(`  ${p.severity === "warning" ? "warning" : p.code}: ${p.message}`);
  const errors = r.problems.filter((p) => p.severity !== "warning").length;
  lines.push(r.valid ? "Result: VALID" : `Result: INVALID (${errors} problem${errors === 1 ? "" : "s"})`);
  if (!r.valid && r.alternatives?.length) {
    lines.push(`Other paths tried (${r.alternatives.length}), and why each was rejected:`);
    for (const alt of r.alternatives) {
      const route = alt.chain.map((l) => l.subject || "(empty subject)").join(" → ");
      const why = [...new Set(alt.problems.filter((p) => p.severity !== "warning").map((p) => p.code))].join(", ");
      lines.push(`  ${route}: ${why || "no errors"}`);
    }
  }
  return lines.join("\n") + "\n";
}

export async function runVerify(argv: string[], io: CliIo): Promise<number> {
  const a = parseArgs(argv, SPEC);
  if (a.positionals.length !== 1) throw new UsageError(a.positionals.length ? "takes exactly one FILE" : "needs a FILE holding the end-entity certificate");
  const opts = optionsFromArgs(a);
  const file = a.positionals[0];
  let certs: Uint8Array[];
  const trusted: Uint8Array[] = [];
  const untrusted: Uint8Array[] = [];
  try {
    certs = await readCertFile(file, "FILE");
    for (const f of a.lists.trusted) trusted.push(...(await readCertFile(f, "--trusted file")));
    for (const f of a.lists.untrusted) untrusted.push(...(await readCertFile(f, "--untrusted file")));
  } catch (err) {
    if (err instanceof InputError) {
      io.stderr(`certscope verify: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  const at = opts.at ?? new Date();
  const result = await verifyChain(certs, { ...opts, at, trusted, untrusted, signal: io.signal });
  if (a.flags.json) io.stdout(JSON.stringify(result, null, 2) + "\n");
  else io.stdout(escapeLines(formatVerifyResult(file, result, at, opts.host)));
  return result.valid ? EXIT_OK : EXIT_BAD;
}
