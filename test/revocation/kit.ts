/**
 * A throwaway PKI made with `openssl ca` (a root, a delegated OCSP responder certificate with the OCSPSigning
 * EKU, a good and a revoked server certificate whose AIA names our responder) and an OCSP responder on
 * 127.0.0.1: a small Node http server that answers each request (POST body or GET path) by running
 * `openssl ocsp -index … -reqin … -respout …` — openssl's own `-port` server would bind every interface.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";

export interface OcspLab {
  dir: string;
  port: number;
  url: string;
  /** DER of the CA, the good and the revoked leaf, the responder certificate. */
  ca: Uint8Array;
  good: Uint8Array;
  revoked: Uint8Array;
  /** A leaf whose AIA points at a port nobody listens on. */
  unreachable: Uint8Array;
  /** How many requests the responder answered, by method. */
  requests: { GET: number; POST: number };
  /** Runs `openssl ocsp` for a certificate file and returns the DER response (for stapling). */
  respond(certFile: string, extra?: string[]): Uint8Array;
  path(name: string): string;
  close(): Promise<void>;
}

function ossl(dir: string, ...args: string[]): void {
  const r = spawnSync("openssl", args, { cwd: dir });
  if (r.status !== 0) throw new Error(`openssl ${args.join(" ")}: ${r.stderr}`);
}

export async function makeOcspLab(opts: { deadPort: number }): Promise<OcspLab> {
  const dir = mkdtempSync(join(tmpdir(), "certscope-ocsp-"));
  const p = (n: string) => join(dir, n);
  const requests = { GET: 0, POST: 0 };
  let seq = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body: Buffer;
      if (req.method === "POST") {
        requests.POST++;
        body = Buffer.concat(chunks);
      } else {
        requests.GET++;
        body = Buffer.from(decodeURIComponent((req.url ?? "/").split("/").pop() ?? ""), "base64");
      }
      const n = ++seq;
      writeFileSync(p(`req${n}.der`), body);
      const child = spawn("openssl", ["ocsp", "-index", "db/index.txt", "-CA", "ca.pem", "-rsigner", "ocsp.pem", "-rkey", "ocsp.key", "-reqin", `req${n}.der`, "-respout", `resp${n}.der`, "-ndays", "1"], { cwd: dir, stdio: "ignore" });
      child.on("exit", (code) => {
        if (code !== 0) {
          res.writeHead(500).end();
          return;
        }
        res.writeHead(200, { "content-type": "application/ocsp-response" }).end(readFileSync(p(`resp${n}.der`)));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}/ocsp`;

  mkdirSync(p("db"));
  writeFileSync(p("db/index.txt"), "");
  writeFileSync(p("db/serial"), "1000\n");
  writeFileSync(
    p("ca.cnf"),
    "[ca]\ndefault_ca=c\n[c]\ndatabase=db/index.txt\nserial=db/serial\nnew_certs_dir=db\ndefault_md=sha256\npolicy=p\ncopy_extensions=copy\nunique_subject=no\n[p]\ncommonName=supplied\n",
  );
  writeFileSync(p("leaf.ext"), `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\nauthorityInfoAccess=OCSP;URI:${url}\n`);
  writeFileSync(p("dead.ext"), `basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost\nauthorityInfoAccess=OCSP;URI:http://127.0.0.1:${opts.deadPort}/\n`);
  writeFileSync(p("ocsp.ext"), "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=OCSPSigning\n");
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
  ossl(dir, "req", "-x509", ...ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "30", "-subj", "/CN=OCSP Lab CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=keyCertSign,cRLSign");
  const signed = (name: string, ext: string, cn: string) => {
    ossl(dir, "req", ...ec, "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${cn}`);
    ossl(dir, "ca", "-batch", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-in", `${name}.csr`, "-out", `${name}.pem`, "-days", "20", "-extfile", ext, "-notext");
  };
  signed("ocsp", "ocsp.ext", "OCSP Lab Responder");
  signed("good", "leaf.ext", "localhost");
  signed("revoked", "leaf.ext", "localhost");
  signed("dead", "dead.ext", "localhost");
  ossl(dir, "ca", "-config", "ca.cnf", "-cert", "ca.pem", "-keyfile", "ca.key", "-revoke", "revoked.pem", "-crl_reason", "keyCompromise");
  const der = (n: string) => {
    const r = spawnSync("openssl", ["x509", "-in", n, "-outform", "DER"], { cwd: dir });
    return new Uint8Array(r.stdout);
  };
  return {
    dir,
    port,
    url,
    ca: der("ca.pem"),
    good: der("good.pem"),
    revoked: der("revoked.pem"),
    unreachable: der("dead.pem"),
    requests,
    path: p,
    respond(certFile: string, extra: string[] = []) {
      const out = `staple${++seq}.der`;
      ossl(dir, "ocsp", "-issuer", "ca.pem", "-cert", certFile, "-reqout", `sreq${seq}.der`, "-no_nonce");
      ossl(dir, "ocsp", "-index", "db/index.txt", "-CA", "ca.pem", "-rsigner", "ocsp.pem", "-rkey", "ocsp.key", "-reqin", `sreq${seq}.der`, "-respout", out, "-ndays", "1", ...extra);
      return new Uint8Array(readFileSync(p(out)));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
        server.closeAllConnections();
      }),
  };
}
