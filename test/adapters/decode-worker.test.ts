/**
 * The decoding worker (issue 11): the editor's inspectBytes runs in a worker_threads worker, with a deadline
 * and cancellation that stop even a synchronous KDF, and the next request still works.
 */
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspectInWorker, stopDecodeWorker } from "../../src/adapters/decodeWorker";

const dir = mkdtempSync(join(tmpdir(), "certscope-worker-"));
after(async () => {
  await stopDecodeWorker();
  rmSync(dir, { recursive: true, force: true });
});
const openssl = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });

test("inspectBytes in the worker: decodes, stops at its deadline, is cancelled, and serves the next request", async () => {
  openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "k.pem", "-subj", "/CN=worker.test", "-days", "2", "-out", "c.pem"]);
  // A PKCS#12 whose MAC and bags take a second or more of KDF work (within the budget).
  openssl(["pkcs12", "-export", "-in", "c.pem", "-inkey", "k.pem", "-passout", "pass:pw", "-iter", "600000", "-maciter", "-out", "slow.p12"]);
  const pem = new Uint8Array(readFileSync(join(dir, "c.pem")));
  const r = await inspectInWorker(pem, { fileName: "c.pem" });
  assert.equal(r.objects[0].kind, "certificate");
  const slow = new Uint8Array(readFileSync(join(dir, "slow.p12")));
  await assert.rejects(inspectInWorker(slow, { fileName: "slow.p12", password: "pw" }, 5), /decoding slow\.p12 took longer than 0 s: CertScope stopped it/);
  const ac = new AbortController();
  const cancelled = inspectInWorker(slow, { fileName: "slow.p12", password: "pw", signal: ac.signal });
  setTimeout(() => ac.abort(), 20);
  await assert.rejects(cancelled, /cancelled/);
  const again = await inspectInWorker(slow, { fileName: "slow.p12", password: "pw" });
  assert.ok(again.objects.some((o) => o.kind === "pkcs12"), JSON.stringify(again.errors));
});
