// A throwaway P-256 certificate for localhost, made with openssl in a temp dir, for the benchmarks' local servers.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** { dir, cert, key, cleanup } or null when openssl cannot run (the bench then says so and skips). */
export function benchCertificate(prefix = "certscope-bench-") {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const cert = join(dir, "c.pem");
  const key = join(dir, "k.pem");
  const gen = spawnSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"]);
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  if (gen.status !== 0) {
    cleanup();
    return null;
  }
  return { dir, cert, key, cleanup };
}
