/**
 * NIST PKITS (../shared/pkits, see its README): every case, CRLs, delta CRLs, distribution points and the
 * §6.1.1 policy inputs included, through `certscope verify`'s own flag handling, under the rfc5280 profile.
 * Cases about revocation run with `--revocation crl --revocation-strict` and the case's CRLs (plus the trust
 * anchor's); the others without revocation checking, as PKITS lists them. Skips cleanly when the suite is absent.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { main } from "../../src/cli";

const DIR = resolve(__dirname, "../../../shared/pkits");
const present = existsSync(join(DIR, "cases.json"));

/** Disagreements we accept, by case name, each with the reason. Empty: every case agrees. */
const KNOWN: Record<string, string> = {};

interface PkitsCase {
  id: string;
  name: string;
  expect: "valid" | "invalid";
  ee: string;
  untrusted: string[];
  crls: string[];
  revocation: "none" | "crl" | "crl-strict";
  inputs?: { initialPolicySet?: string[]; initialExplicitPolicy?: boolean; initialPolicyMappingInhibit?: boolean; initialInhibitAnyPolicy?: boolean };
}

function argvFor(c: PkitsCase, suite: { time: string; trustAnchor: string; anchorCrl: string }): string[] {
  const cert = (f: string) => join(DIR, "certs", f);
  const argv = ["verify", cert(c.ee), "--no-system-roots", "--trusted", cert(suite.trustAnchor), "--purpose", "any", "--at", suite.time, "--profile", "rfc5280", "--json"];
  for (const u of c.untrusted) argv.push("--untrusted", cert(u));
  if (c.revocation !== "none") {
    for (const f of [suite.anchorCrl, ...c.crls]) argv.push("--crl", join(DIR, "crls", f));
    argv.push("--revocation", "crl", "--revocation-strict");
  }
  const i = c.inputs ?? {};
  for (const p of i.initialPolicySet ?? []) argv.push("--policy", p);
  if (i.initialExplicitPolicy) argv.push("--require-explicit-policy");
  if (i.initialPolicyMappingInhibit) argv.push("--inhibit-policy-mapping");
  if (i.initialInhibitAnyPolicy) argv.push("--inhibit-any-policy");
  return argv;
}

test("NIST PKITS: every case agrees under the rfc5280 profile", { skip: present ? false : `${DIR} not present` }, async (t) => {
  const suite = JSON.parse(readFileSync(join(DIR, "cases.json"), "utf8")) as { time: string; trustAnchor: string; anchorCrl: string; cases: PkitsCase[] };
  const disagreements: string[] = [];
  let agree = 0;
  for (const c of suite.cases) {
    let out = "";
    let err = "";
    const code = await main(argvFor(c, suite), { stdout: (s: string) => (out += s), stderr: (s: string) => (err += s), env: process.env });
    const got = code === 0 ? "valid" : code === 1 ? "invalid" : `error (${err.trim()})`;
    if (got === c.expect) agree++;
    else if (!KNOWN[c.name]) {
      let why = err.trim();
      try {
        why = (JSON.parse(out) as { problems: { code: string; message: string; severity?: string }[] }).problems.filter((p) => p.severity !== "warning").map((p) => `${p.code}: ${p.message}`).join(" | ");
      } catch {
        /* not JSON: the stderr text stays */
      }
      disagreements.push(`${c.id} ${c.name}: expected ${c.expect}, got ${got}: ${why}`);
    }
  }
  t.diagnostic(`PKITS: ${agree}/${suite.cases.length} cases agree (rfc5280 profile)`);
  assert.equal(suite.cases.length, 256);
  assert.deepEqual(disagreements, []);
});
