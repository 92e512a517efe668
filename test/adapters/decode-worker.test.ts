/**
 * The decoding worker (issue 11): the editor's inspectBytes runs in a worker_threads worker, with a deadline
 * and cancellation that stop even a synchronous KDF, memory limits that stop a file made to exhaust memory,
 * and the next request still works.
 */
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DECODE_RESOURCE_LIMITS, inspectInWorker, openCredentialsInWorker, setDecodeWorkerLimits, stopDecodeWorker } from "../../src/adapters/decodeWorker";
import { english, recordingTranslator } from "../../src/shared/format";

const dir = mkdtempSync(join(tmpdir(), "certscope-worker-"));
after(async () => {
  await stopDecodeWorker();
  rmSync(dir, { recursive: true, force: true });
});
const openssl = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
before(() => {
  openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "k.pem", "-subj", "/CN=worker.test", "-days", "2", "-out", "c.pem"]);
});

test("inspectBytes in the worker: decodes, stops at its deadline, is cancelled, and serves the next request", async () => {
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

test("a handshake's client credentials open in the worker: the host's event loop keeps turning through the KDF, texts are recorded", async () => {
  openssl(["pkcs12", "-export", "-in", "c.pem", "-inkey", "k.pem", "-passout", "pass:pw", "-iter", "600000", "-maciter", "-out", "cred.p12"]);
  const pfx = new Uint8Array(readFileSync(join(dir, "cred.p12")));
  // The longest gap between two timer ticks on this thread while the worker derives the keys.
  let last = performance.now();
  let longest = 0;
  const tick = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  const t0 = performance.now();
  const good = await openCredentialsInWorker({ credentials: { kind: "pkcs12", pfx, passphrase: "pw", file: "cred.p12" } }, "cred.p12");
  const took = performance.now() - t0;
  clearInterval(tick);
  assert.ok(good.outcome.ok, JSON.stringify(good.outcome));
  assert.ok(good.outcome.ok && /BEGIN PRIVATE KEY/.test(good.outcome.creds.keyPem));
  assert.ok(longest < Math.max(250, took / 3), `the host thread stalled ${Math.round(longest)} ms during a ${Math.round(took)} ms derivation`);
  // A wrong password: the diagnosis in English, and the recorder can say it again in another language.
  const bad = await openCredentialsInWorker({ credentials: { kind: "pkcs12", pfx, passphrase: "nope", file: "cred.p12" } }, "cred.p12");
  assert.ok(!bad.outcome.ok);
  const summary = !bad.outcome.ok ? bad.outcome.diagnosis.summary : "";
  assert.equal(bad.outcome.ok ? "" : bad.outcome.diagnosis.category, "bad_passphrase");
  const rec = recordingTranslator();
  rec.absorb(bad.made);
  const upper = rec.again(summary, (m, ...a) => english(m.toUpperCase(), ...a));
  assert.notEqual(upper, summary, "the worker's texts were recorded");
  assert.match(upper, /^THE PASSPHRASE DOES NOT OPEN /, upper);
});

/** A DER SEQUENCE of `n` NULLs: n decoded nodes from 2n bytes. */
function wideSequence(n: number): Uint8Array {
  const body = Buffer.alloc(n * 2);
  for (let i = 0; i < body.length; i += 2) body[i] = 0x05;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return new Uint8Array(Buffer.concat([Buffer.from([0x30, 0x84]), len, body]));
}

test("a worker that runs out of memory: the file is named as too large or complex, and the next request gets a fresh worker", async () => {
  // The real limits hold the decoding of 999,999 elements (the largest value the DER budget allows).
  const wide = wideSequence(999_999);
  const ok = await inspectInWorker(wide, { fileName: "wide.der" });
  assert.match(ok.errors[0]?.message ?? "", /not a PKI file/, JSON.stringify(ok.errors));
  assert.ok(DECODE_RESOURCE_LIMITS.maxOldGenerationSizeMb! >= 512 && DECODE_RESOURCE_LIMITS.stackSizeMb! >= 4);
  // A deliberately tiny heap: the same input exceeds it, and the worker dies of ERR_WORKER_OUT_OF_MEMORY.
  await setDecodeWorkerLimits({ maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 8, stackSizeMb: 4 });
  try {
    const pem = new Uint8Array(readFileSync(join(dir, "c.pem")));
    assert.equal((await inspectInWorker(pem, { fileName: "c.pem" })).objects[0].kind, "certificate");
    await assert.rejects(
      inspectInWorker(wide, { fileName: "wide.der" }),
      /^Error: decoding wide\.der needed more than the 48 MB of memory the decoder may use: CertScope stopped it \(the file is too large or too complex to open\)$/,
    );
    // Queued behind the failing one, and after it: both served by a restarted worker.
    const [a, b] = await Promise.allSettled([inspectInWorker(wide, { fileName: "again.der" }), inspectInWorker(pem, { fileName: "c.pem" })]);
    assert.equal(a.status, "rejected");
    assert.match(String((a as PromiseRejectedResult).reason), /again\.der .*too large or too complex/);
    assert.equal(b.status === "fulfilled" && b.value.objects[0].kind, "certificate", String((b as PromiseRejectedResult).reason));
  } finally {
    await setDecodeWorkerLimits();
  }
});
