/**
 * Test helpers for src/core/pki: a temp dir per test file and an `openssl` runner. Everything the tests
 * decode is generated here with the openssl CLI (never checked-in keys).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export class Lab {
  dir: string;
  constructor(name: string) {
    this.dir = mkdtempSync(join(tmpdir(), `certscope-${name}-`));
  }
  path(name: string): string {
    return join(this.dir, name);
  }
  /** Runs openssl in the lab dir; returns stdout. Throws with stderr on failure. */
  openssl(args: string[], input?: string | Uint8Array): string {
    try {
      return execFileSync("openssl", args, { cwd: this.dir, input, stdio: ["pipe", "pipe", "pipe"], maxBuffer: 1 << 28 }).toString("utf8");
    } catch (err) {
      const e = err as { stderr?: Buffer; message: string };
      throw new Error(`openssl ${args.join(" ")} failed: ${e.stderr?.toString() ?? e.message}`);
    }
  }
  write(name: string, data: string | Uint8Array): string {
    writeFileSync(this.path(name), data);
    return this.path(name);
  }
  read(name: string): Buffer {
    return readFileSync(this.path(name));
  }
  text(name: string): string {
    return readFileSync(this.path(name), "utf8");
  }
  cleanup() {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Small deterministic PRNG (xorshift32) for the fuzz tests. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}
