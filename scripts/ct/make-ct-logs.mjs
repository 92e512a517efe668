#!/usr/bin/env node
// Turns copies of Google's CT log list (v3 schema, all_logs_list.json as published at
// https://www.gstatic.com/ct/log_list/v3/all_logs_list.json) into src/core/pki/data/ct-logs.json: the name,
// operator, log ID and key of every log whose certificates expire in 2024 or later, RFC 6962 and tiled
// (static-ct-api) logs alike, in any state. The state does not matter for naming an SCT or checking its
// signature: a log that Chrome later rejects or retires still signed the SCTs already in certificates.
//
// Google drops expired logs from its list, so one copy is not enough: the lists are merged, oldest first, and
// a later copy's description wins. Each copy is used only if its signature (the .sig file next to it) verifies
// with Google's log list key (log_list_pubkey.pem here, as published next to the list; the same bytes are in
// two unrelated mirrors, crtsh/ctloglists and Knight1/CTLogs), and only if its version is the one recorded in
// SOURCES below, so the provenance written into the data file cannot drift from what was read.
//
// The copies (gstatic.com is not reachable from where this was made) come from crtsh/ctloglists (crt.sh's
// log list tracker, which commits each new version of the list with its signature):
//   git -C <mirror> show <commit>:files/gstatic/v3/all_logs_list.json > v83.1.json   (and .sig > v83.1.sig)
// Apple's current_log_list.json (same mirror, 2026-03-31, version 511) and Mozilla's known_logs_list.json
// (2026-08-11) were compared: they hold no log that is not in these two lists.
//
// Usage: node scripts/ct/make-ct-logs.mjs LIST.json [LIST.json …]   (oldest first; LIST.sig next to each)
import { readFileSync, writeFileSync } from "node:fs";
import { createHash, createPublicKey, verify } from "node:crypto";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const MIRROR = "github.com/crtsh/ctloglists";
const PATH = "files/gstatic/v3/all_logs_list.json";
/** The copies read, by list version: where each was taken from and the list's own timestamp. */
const SOURCES = {
  "83.1": { commit: "7455e42a8abc82a82f5ba65ef29a030750021240", committed: "2026-02-06", timestamp: "2026-01-29T12:53:20Z" },
  "89.25": { commit: "163af1bc365e1bd68f2fd0ba21676fbb81d3b9b5", committed: "2026-08-20", timestamp: "2026-08-20T13:34:57Z" },
};
/** Logs for certificates that expired before this are left out; so are test logs that never had a state. */
const CUTOFF = "2024-01-01T00:00:00Z";

const files = process.argv.slice(2);
if (!files.length) {
  console.error("usage: make-ct-logs.mjs LIST.json [LIST.json …] (oldest first, LIST.sig next to each)");
  process.exit(2);
}
const pubkey = createPublicKey(readFileSync(join(here, "log_list_pubkey.pem")));

/** The list's JSON, after its signature and recorded version are checked. */
function readList(file) {
  const bytes = readFileSync(file);
  const sig = readFileSync(file.replace(/\.json$/, "") + ".sig");
  if (!verify("sha256", bytes, pubkey, sig)) throw new Error(`${file}: the signature does not verify with Google's log list key`);
  const list = JSON.parse(bytes.toString("utf8"));
  const src = SOURCES[list.version];
  if (!src || src.timestamp !== list.log_list_timestamp) throw new Error(`${file}: version ${list.version} (${list.log_list_timestamp}) is not one recorded in SOURCES`);
  return list;
}

/**
 * "Google 'Argon2026h1' log" → "Google Argon2026h1", "Sectigo 'Sabre' CT log" → "Sectigo Sabre",
 * "Trust Asia Log2024-2" → "TrustAsia Log2024-2": the quoted name without "log", after the operator's name.
 */
function logName(operator, description) {
  let name = description.replace(/\s+log$/i, "").trim();
  const q2 = description.lastIndexOf("'");
  const q1 = q2 > 0 ? description.lastIndexOf("'", q2 - 1) : -1;
  if (q1 >= 0 && (q1 === 0 || description[q1 - 1] === " ")) {
    const after = description.slice(q2 + 1).trim();
    name = [description.slice(0, q1).trim(), description.slice(q1 + 1, q2), /^(CT )?log$/i.test(after) ? "" : after].filter(Boolean).join(" ");
  }
  // The operator's name as the list spells it, in place of the description's own spelling of it.
  const squash = (t) => t.replace(/[\s']/g, "").toLowerCase();
  for (let i = 1; i <= name.length; i++)
    if (squash(name.slice(0, i)) === squash(operator) && (i === name.length || name[i] === " ")) return `${operator}${name.slice(i)}`;
  return `${operator} ${name}`;
}

/** Certificates expiring in 2024 or later: by the temporal interval, or for a log without one, its state's date. */
function inScope(log) {
  const end = log.temporal_interval?.end_exclusive;
  if (end) return end > CUTOFF;
  const state = Object.values(log.state ?? {})[0];
  return state?.timestamp !== undefined && state.timestamp >= CUTOFF;
}

const byId = new Map();
const lists = files.map(readList);
for (const list of lists)
  for (const op of list.operators)
    for (const log of [...(op.logs ?? []), ...(op.tiled_logs ?? [])]) {
      if (!inScope(log)) continue;
      const id = createHash("sha256").update(Buffer.from(log.key, "base64")).digest("base64");
      if (id !== log.log_id) throw new Error(`${log.description}: log_id is not the SHA-256 of its key`);
      byId.set(id, { name: logName(op.name, log.description), operator: op.name, logId: id, key: log.key });
    }

// Grouped by operator in the newest list's order, then by name.
const opOrder = [...new Set(lists.toReversed().flatMap((l) => l.operators.map((o) => o.name)))];
const logs = [...byId.values()].sort((a, b) => opOrder.indexOf(a.operator) - opOrder.indexOf(b.operator) || a.name.localeCompare(b.name, "en", { numeric: true }));
const newest = lists[lists.length - 1];
const used = lists.map((l) => `${MIRROR}@${SOURCES[l.version].commit}:${PATH} (v${l.version}, ${l.log_list_timestamp.slice(0, 10)})`);
const out = {
  source: `Google CT log list (https://www.gstatic.com/ct/log_list/v3/all_logs_list.json), signatures checked with Google's log list key, merged from ${used.join(" and ")}`,
  snapshot: newest.log_list_timestamp.slice(0, 10),
  note: "Names and keys of the logs (RFC 6962 and tiled) whose certificates expire in 2024 or later, in any state; Apple's and Mozilla's lists add none. The log ID is the SHA-256 of the key (RFC 6962 section 3.2). Logs outside this list show their ID only.",
  sources: lists.map((l) => ({ repository: MIRROR, path: PATH, commit: SOURCES[l.version].commit, committed: SOURCES[l.version].committed, version: l.version, timestamp: l.log_list_timestamp })),
  logs,
};
const target = join(here, "../../src/core/pki/data/ct-logs.json");
writeFileSync(target, JSON.stringify(out, null, 1) + "\n");
console.log(`${logs.length} logs → ${target}`);
