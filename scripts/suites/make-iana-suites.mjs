#!/usr/bin/env node
// Turns a copy of the IANA "TLS Cipher Suites" registry (tls-parameters-4.csv, the CSV IANA publishes at
// https://www.iana.org/assignments/tls-parameters/tls-parameters-4.csv) into src/core/tls/suites/iana-suites.json:
// one row per assigned suite [code, name, recommended, dtlsOk, reference]. Ranges, "Unassigned" and "Reserved"
// rows (GREASE, private use) are left out. The parts of each suite are derived from its name at run time
// (src/core/tls/suites/anatomy.ts), so this file stays the registry and nothing else.
//
// The bundled tls-parameters-4.csv is a secondhand copy (iana.org is not reachable from where this was made):
// github.com/bregeabe/open-pqc-inventory, data/tls-parameters-4.csv at commit
// cb99588c059cd98c8ae0ca05d19b091e41ec36fa, committed 2026-01-13. It has RFC 9847's layout (a sixth
// "Comment" column, ignored here; "D" = discouraged in Recommended, kept), the Ascon suites
// 0x006E-0x0071, TLS_AEGIS_256_SHA512 (renamed from _SHA384) and RFC 9367's GOST suites. Its new rows were
// checked against other public code that names them. The copy before it was BootlegTLS's, dated 2022-12-17.
// To refresh: download IANA's CSV, run this script with the CSV, --copy-date and --copy-source, and update
// the defaults below.
//
// Usage: node scripts/suites/make-iana-suites.mjs [CSV] [--copy-date YYYY-MM-DD] [--copy-source TEXT]
import { readFileSync, writeFileSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const opt = (k, d) => (args.includes(k) ? args[args.indexOf(k) + 1] : d);
const csvPath = args.find((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1].startsWith("--"))) ?? join(here, "tls-parameters-4.csv");
const copyDate = opt("--copy-date", "2026-01-13");
const copySource = opt("--copy-source", "github.com/bregeabe/open-pqc-inventory@cb99588c059cd98c8ae0ca05d19b091e41ec36fa:data/tls-parameters-4.csv");

/** RFC 4180 CSV: quoted fields may hold commas and newlines. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (q) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') q = false;
      else field += c;
    } else if (c === '"') q = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field), rows.push(row), (row = []), (field = "");
    } else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

const rows = parseCsv(readFileSync(csvPath, "utf8")).slice(1);
const suites = [];
for (const [value, name, dtls, rec, ref] of rows) {
  const m = /^0x([0-9A-F]{2}),0x([0-9A-F]{2})$/i.exec(value ?? "");
  if (!m || !/^TLS_/.test(name ?? "")) continue;
  const code = (parseInt(m[1], 16) << 8) | parseInt(m[2], 16);
  suites.push(["0x" + code.toString(16).toUpperCase().padStart(4, "0"), name.trim(), rec === "Y" ? "Y" : rec === "D" ? "D" : "N", dtls === "Y", ref.replace(/\s+/g, " ").trim()]);
}
const out = {
  source: "IANA, Transport Layer Security (TLS) Parameters, TLS Cipher Suites registry",
  url: "https://www.iana.org/assignments/tls-parameters/tls-parameters-4.csv",
  copy: copySource,
  date: copyDate,
  columns: ["code", "name", "recommended", "dtlsOk", "reference"],
  suites,
};
const target = join(here, "../../src/core/tls/suites/iana-suites.json");
writeFileSync(target, JSON.stringify(out, null, 0).replace(/\],\[/g, "],\n[") + "\n");
console.log(`${suites.length} suites → ${target}`);
