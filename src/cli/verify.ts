/**
 * `certscope verify FILE [--trusted FILE]… [--untrusted FILE]… [--no-system-roots] [--host NAME]
 *  [--purpose server|client|any] [--eku OID]… [--at ISO8601] [--max-depth N] [--json]` (docs/cli.md),
 * plus `--aia` (an addition: fetch missing issuers from the certificates' AIA caIssuers URLs, 5 s each), and
 * the second version's `--profile rfc5280|webpki`, `--policy OID`… `--require-explicit-policy`
 * `--inhibit-policy-mapping` `--inhibit-any-policy`, `--revocation off|ocsp|crl|all` `--crl FILE`…
 * `--revocation-strict` ("verify: revocation and profiles"), plus `--no-fetch` (an addition: use the `--crl` files
 * only, never the certificates' distribution points).
 * Exit 0 valid, 1 invalid, 2 usage error or unreadable input.
 */
import { readFile } from "node:fs/promises";
import { EXIT_BAD, EXIT_CODES_NOTE, EXIT_OK, EXIT_USAGE, UsageError, parseArgs, JSON_FLAG, type CliIo, type CommandSpec } from "./args";
import { certificatesForVerify, verifyChain, type VerifyOptions } from "../core/chain";
import { parseCrls, type ParsedCrl } from "../core/revocation/crl";
import { checkOcsp } from "../core/revocation/ocsp";
import type { VerifyResult } from "../shared/model";
import { chainSourceBadge, formatTime } from "../shared/format";
import { escapeLines } from "../shared/safeText";

/** The flags of `certscope verify`: this table drives parsing and `certscope verify --help` (append rows). */
export const VERIFY: CommandSpec = {
  name: "verify",
  operands: "FILE",
  summary: "Validates the chain of the end-entity certificate in FILE (optionally followed by intermediates) per RFC 5280, listing every problem.",
  flags: [
    { name: "trusted", kind: "list", value: "FILE", help: "trust anchors" },
    { name: "untrusted", kind: "list", value: "FILE", help: "extra intermediates for path building" },
    { name: "no-system-roots", kind: "boolean", help: "do not use the system / Node root store" },
    { name: "host", kind: "string", value: "NAME", help: "check the name: DNS name or IP address literal" },
    { name: "purpose", kind: "string", value: "server|client|any", help: "required EKU for TLS server / client auth (default server)" },
    { name: "eku", kind: "list", value: "OID", help: "require these EKUs instead of the purpose's" },
    { name: "at", kind: "string", value: "ISO8601", help: "validation time (default now)" },
    { name: "max-depth", kind: "string", value: "N", help: "most intermediates allowed" },
    { name: "aia", kind: "boolean", help: "fetch missing issuers from AIA caIssuers URLs (http only, 5 s each)" },
    { name: "profile", kind: "string", value: "rfc5280|webpki", help: "rfc5280 (default): RFC 5280 path validation, CA/Browser Forum rules as warnings; webpki: those rules as errors" },
    { name: "policy", kind: "list", value: "OID", help: "user-initial-policy-set (RFC 5280 §6.1.1; default anyPolicy)" },
    { name: "require-explicit-policy", kind: "boolean", help: "initial-explicit-policy: the path must be valid for a policy of the set" },
    { name: "inhibit-policy-mapping", kind: "boolean", help: "initial-policy-mapping-inhibit" },
    { name: "inhibit-any-policy", kind: "boolean", help: "initial-any-policy-inhibit" },
    { name: "revocation", kind: "string", value: "off|ocsp|crl|all", help: "check revocation of every certificate on the path (default off): ocsp asks the AIA responder, crl uses --crl files and the CRL distribution points" },
    { name: "crl", kind: "list", value: "FILE", help: "CRLs to use (PEM or DER; needs --revocation crl or all)" },
    { name: "revocation-strict", kind: "boolean", help: "no answer about revocation (unreachable, stale) is an error, not a warning" },
    { name: "no-fetch", kind: "boolean", help: "use only the --crl files, never fetch CRL distribution points" },
    JSON_FLAG,
  ],
  notes: [EXIT_CODES_NOTE],
};

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

async function readCrlFile(path: string): Promise<ParsedCrl[]> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`--crl file '${path}' cannot be read: ${code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : (err as Error).message}`);
  }
  try {
    return parseCrls(bytes, path);
  } catch (err) {
    throw new InputError(`--crl file '${path}' is not a CRL: ${(err as Error).message}`);
  }
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
  const profile = a.strings.profile ?? "rfc5280";
  if (profile !== "rfc5280" && profile !== "webpki") throw new UsageError(`--profile must be rfc5280 or webpki (got '${profile}')`);
  for (const oid of a.lists.policy) if (!/^[0-2](\.(0|[1-9]\d*))+$/.test(oid)) throw new UsageError(`--policy '${oid}' is not a dotted OID (e.g. 2.23.140.1.2.1)`);
  const revocation = a.strings.revocation ?? "off";
  if (revocation !== "off" && revocation !== "ocsp" && revocation !== "crl" && revocation !== "all") throw new UsageError(`--revocation must be off, ocsp, crl or all (got '${revocation}')`);
  if (a.lists.crl.length && revocation !== "crl" && revocation !== "all") throw new UsageError("--crl needs --revocation crl or --revocation all");
  if (a.flags["revocation-strict"] && revocation === "off") throw new UsageError("--revocation-strict needs --revocation ocsp, crl or all");
  return {
    useSystemRoots: !a.flags["no-system-roots"],
    host: a.strings.host,
    purpose,
    ekus: a.lists.eku.length ? a.lists.eku : undefined,
    at: a.strings.at !== undefined ? parseAt(a.strings.at) : undefined,
    maxDepth,
    fetchAia: !!a.flags.aia,
    profile,
    policy: {
      initialPolicySet: a.lists.policy.length ? a.lists.policy : undefined,
      requireExplicitPolicy: !!a.flags["require-explicit-policy"],
      inhibitPolicyMapping: !!a.flags["inhibit-policy-mapping"],
      inhibitAnyPolicy: !!a.flags["inhibit-any-policy"],
    },
    revocation,
    revocationStrict: !!a.flags["revocation-strict"],
    fetchCrls: !a.flags["no-fetch"],
  };
}


/** The chain drawn top-down (anchor first) with ✓/✗ per link and every problem in plain words. */
export function formatVerifyResult(file: string, r: VerifyResult, at: Date, host?: string): string {
  const lines: string[] = [];
  lines.push(`Chain for ${file} (validated at ${formatTime(at, "utc")}${host ? `, host ${host}` : ""})`);
  const errorsAt = (i: number) => r.problems.filter((p) => p.certIndex === i && p.severity !== "warning");
  for (let k = r.chain.length - 1, depth = 0; k >= 0; k--, depth++) {
    const link = r.chain[k];
    const indent = "  " + "   ".repeat(depth);
    const mark = errorsAt(k).length ? "✗" : "✓";
    lines.push(`${indent}${depth ? "└─ " : ""}${mark} ${link.subject || "(empty subject)"}  [${chainSourceBadge(link.source).text}]`);
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
  const a = parseArgs(argv, VERIFY);
  if (a.positionals.length !== 1) throw new UsageError(a.positionals.length ? "takes exactly one FILE" : "needs a FILE holding the end-entity certificate");
  const opts = optionsFromArgs(a);
  const file = a.positionals[0];
  let certs: Uint8Array[];
  const trusted: Uint8Array[] = [];
  const untrusted: Uint8Array[] = [];
  const crls: ParsedCrl[] = [];
  try {
    certs = await readCertFile(file, "FILE");
    for (const f of a.lists.trusted) trusted.push(...(await readCertFile(f, "--trusted file")));
    for (const f of a.lists.untrusted) untrusted.push(...(await readCertFile(f, "--untrusted file")));
    for (const f of a.lists.crl) crls.push(...(await readCrlFile(f)));
  } catch (err) {
    if (err instanceof InputError) {
      io.stderr(`certscope verify: ${err.message}\n`);
      return EXIT_USAGE;
    }
    throw err;
  }
  const at = opts.at ?? new Date();
  const result = await verifyChain(certs, { ...opts, at, trusted, untrusted, crls, ocspCheck: checkOcsp, signal: io.signal });
  if (a.flags.json) io.stdout(JSON.stringify(result, null, 2) + "\n");
  else io.stdout(escapeLines(formatVerifyResult(file, result, at, opts.host)));
  return result.valid ? EXIT_OK : EXIT_BAD;
}
