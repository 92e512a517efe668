/**
 * Test kit for the handshake tests: a throwaway PKI made with @peculiar/x509 + WebCrypto (any dates, any
 * names, no openssl needed), written to a temp dir; servers on 127.0.0.1 (Node tls, openssl s_server,
 * plain HTTP, silent); and a free-port picker for servers that cannot listen on port 0.
 */
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { webcrypto, createPrivateKey, randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as net from "node:net";
import * as tls from "node:tls";
import * as http from "node:http";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";

x509.cryptoProvider.set(webcrypto as any);
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const EC = { name: "ECDSA", namedCurve: "P-256" } as const;
const EC_SIGN = { name: "ECDSA", hash: "SHA-256" } as const;
const RSA = { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" } as const;

export interface Issued {
  name: string;
  certPem: string;
  keyPem: string;
  der: Uint8Array;
  keys: CryptoKeyPair;
  cert: x509.X509Certificate;
}

const DAY = 86400000;

export async function issue(o: {
  subject: string;
  issuer?: Issued;
  ca?: boolean;
  san?: string[];
  eku?: string[];
  notBefore?: Date;
  notAfter?: Date;
  rsa?: boolean;
  aia?: string;
}): Promise<Issued> {
  const keys = (await webcrypto.subtle.generateKey(o.rsa ? RSA : EC, true, ["sign", "verify"])) as CryptoKeyPair;
  const signer = o.issuer ?? null;
  const exts: x509.Extension[] = [];
  if (o.ca) {
    exts.push(new x509.BasicConstraintsExtension(true, undefined, true));
    exts.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true));
  } else {
    exts.push(new x509.BasicConstraintsExtension(false, undefined, true));
    exts.push(new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true));
  }
  if (o.eku) exts.push(new x509.ExtendedKeyUsageExtension(o.eku));
  if (o.san?.length) {
    exts.push(new x509.SubjectAlternativeNameExtension(o.san.map((s) => (/^[\d.]+$|:/.test(s) ? { type: "ip" as const, value: s } : { type: "dns" as const, value: s }))));
  }
  if (o.aia) exts.push(new x509.AuthorityInfoAccessExtension({ caIssuers: [new x509.GeneralName("url", o.aia)] }));
  exts.push(await x509.SubjectKeyIdentifierExtension.create(keys.publicKey));
  if (signer) exts.push(await x509.AuthorityKeyIdentifierExtension.create(signer.keys.publicKey));
  const signingAlgorithm = (signer ? signer.keys.privateKey.algorithm.name : keys.privateKey.algorithm.name) === "ECDSA" ? EC_SIGN : RSA;
  const common = {
    serialNumber: Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString("hex").replace(/^[89a-f]/, "1"),
    notBefore: o.notBefore ?? new Date(Date.now() - DAY),
    notAfter: o.notAfter ?? new Date(Date.now() + 30 * DAY),
    signingAlgorithm,
    extensions: exts,
  };
  // Subjects are written most specific first (RFC 4514, "CN=x,O=y"); DER order is the reverse.
  const encoded = o.subject.split(",").reverse().join(",");
  const cert = signer
    ? await x509.X509CertificateGenerator.create({ ...common, subject: encoded, issuer: signer.cert.subject, publicKey: keys.publicKey, signingKey: signer.keys.privateKey })
    : await x509.X509CertificateGenerator.createSelfSigned({ ...common, name: encoded, keys });
  const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey));
  const keyPem = createPrivateKey({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" }).export({ type: "pkcs8", format: "pem" }) as string;
  return { name: o.subject, certPem: cert.toString("pem") + "\n", keyPem, der: new Uint8Array(cert.rawData), keys, cert };
}

const SERVER_EKU = ["1.3.6.1.5.5.7.3.1"];
const CLIENT_EKU = ["1.3.6.1.5.5.7.3.2"];
const HOSTS = ["localhost", "127.0.0.1"];

export interface Lab {
  dir: string;
  file(name: string, content: string | Uint8Array): string;
  root: Issued;
  inter: Issued;
  server: Issued;
  serverRsa: Issued;
  expired: Issued;
  notYet: Issued;
  wrongHost: Issued;
  selfSigned: Issued;
  caAsLeaf: Issued;
  otherRoot: Issued;
  otherLeaf: Issued;
  clientCa: Issued;
  client: Issued;
  clientExpired: Issued;
  wrongCa: Issued;
  wrongClient: Issued;
  cleanup(): void;
}

/** The lab PKI: Lab Root CA → Lab Issuing CA → localhost (and its bad siblings); Lab Client CA → client certs. */
export async function makeLab(): Promise<Lab> {
  const dir = mkdtempSync(join(tmpdir(), "certscope-tls-"));
  const now = Date.now();
  const root = await issue({ subject: "CN=Lab Root CA,O=Lab", ca: true, notAfter: new Date(now + 3650 * DAY) });
  const inter = await issue({ subject: "CN=Lab Issuing CA,O=Lab", ca: true, issuer: root });
  const [server, serverRsa, expired, notYet, wrongHost, selfSigned, caAsLeaf, otherRoot, clientCa, wrongCa] = await Promise.all([
    issue({ subject: "CN=localhost,O=Lab", issuer: inter, san: HOSTS, eku: SERVER_EKU }),
    issue({ subject: "CN=localhost,O=Lab RSA", issuer: inter, san: HOSTS, eku: SERVER_EKU, rsa: true }),
    issue({ subject: "CN=localhost,O=Lab Expired", issuer: inter, san: HOSTS, eku: SERVER_EKU, notBefore: new Date(now - 60 * DAY), notAfter: new Date(now - 2 * DAY) }),
    issue({ subject: "CN=localhost,O=Lab Future", issuer: inter, san: HOSTS, eku: SERVER_EKU, notBefore: new Date(now + 10 * DAY), notAfter: new Date(now + 60 * DAY) }),
    issue({ subject: "CN=www.example.org,O=Lab", issuer: inter, san: ["www.example.org"], eku: SERVER_EKU }),
    issue({ subject: "CN=localhost,O=Self", san: HOSTS, eku: SERVER_EKU }),
    issue({ subject: "CN=Lab Misused CA,O=Lab", ca: true }),
    issue({ subject: "CN=Other Root CA,O=Elsewhere", ca: true }),
    issue({ subject: "CN=Lab Client CA,O=Lab", ca: true }),
    issue({ subject: "CN=Rogue Client CA,O=Rogue", ca: true }),
  ]);
  const [otherLeaf, client, clientExpired, wrongClient] = await Promise.all([
    issue({ subject: "CN=localhost,O=Elsewhere", issuer: otherRoot, san: HOSTS, eku: SERVER_EKU }),
    issue({ subject: "CN=lab-client,O=Lab", issuer: clientCa, eku: CLIENT_EKU }),
    issue({ subject: "CN=old-client,O=Lab", issuer: clientCa, eku: CLIENT_EKU, notBefore: new Date(now - 90 * DAY), notAfter: new Date(now - 3 * DAY) }),
    issue({ subject: "CN=rogue-client,O=Rogue", issuer: wrongCa, eku: CLIENT_EKU }),
  ]);
  const file = (name: string, content: string | Uint8Array) => {
    const p = join(dir, name);
    writeFileSync(p, content, { mode: 0o600 });
    return p;
  };
  return {
    dir,
    file,
    root,
    inter,
    server,
    serverRsa,
    expired,
    notYet,
    wrongHost,
    selfSigned,
    caAsLeaf,
    otherRoot,
    otherLeaf,
    clientCa,
    client,
    clientExpired,
    wrongCa,
    wrongClient,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function chainPem(...certs: Issued[]): string {
  return certs.map((c) => c.certPem).join("");
}

// ───────────────────────────── servers ─────────────────────────────

export interface Running {
  port: number;
  close(): Promise<void>;
}

/** The servers one test file starts: `keep(start…())` records each, `closeAll()` in the file's after() stops them. */
export function serverList(): { keep<T extends Running>(p: Promise<T>): Promise<T>; closeAll(): Promise<void> } {
  const list: Running[] = [];
  return {
    async keep(p) {
      const r = await p;
      list.push(r);
      return r;
    },
    async closeAll() {
      await Promise.all(list.map((r) => r.close()));
    },
  };
}

/** Listens on 127.0.0.1, on a port the OS picks; close() destroys every open socket, then the server. */
function listenLocal(srv: net.Server, closeSockets: () => void): Promise<Running> {
  const sockets = new Set<net.Socket>();
  srv.on("connection", (s: net.Socket) => {
    sockets.add(s);
    s.on("error", () => {});
    s.on("close", () => sockets.delete(s));
  });
  return new Promise((resolve) =>
    srv.listen(0, "127.0.0.1", () =>
      resolve({
        port: (srv.address() as net.AddressInfo).port,
        close: () =>
          new Promise<void>((r) => {
            closeSockets();
            for (const s of sockets) s.destroy();
            srv.close(() => r());
          }),
      }),
    ),
  );
}

export function nodeServer(opts: tls.TlsOptions): Promise<Running> {
  const srv = tls.createServer(opts, (s) => {
    s.on("error", () => {});
    s.on("data", () => {});
  });
  srv.on("tlsClientError", () => {});
  return listenLocal(srv, () => {});
}

export function httpServer(): Promise<Running> {
  const srv = http.createServer((_q, res) => res.end("hello"));
  return listenLocal(srv, () => srv.closeAllConnections());
}

/** Accepts TCP connections and never says a word. */
export function silentServer(): Promise<Running> {
  return listenLocal(net.createServer(), () => {});
}

/** A port nothing listens on (bound, then released). */
export function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export const hasOpenssl = spawnSync("openssl", ["version"]).status === 0;

/**
 * `openssl s_server` on 127.0.0.1 (it cannot listen on port 0): a port is picked by binding port 0 and
 * releasing it, and the start is retried when another process took it meanwhile. Resolves once it prints ACCEPT.
 */
export async function opensslServer(args: string[]): Promise<Running> {
  for (let tryNo = 0; tryNo < 5; tryNo++) {
    const port = await closedPort();
    const child = spawn("openssl", ["s_server", "-accept", `127.0.0.1:${port}`, ...args], { stdio: ["pipe", "pipe", "pipe"] });
    const ok = await new Promise<boolean>((resolve) => {
      let out = "";
      const timer = setTimeout(() => resolve(false), 5000);
      const onData = (b: Buffer) => {
        out += b.toString();
        if (out.includes("ACCEPT")) {
          clearTimeout(timer);
          resolve(true);
        }
        if (/Address already in use|unable to bind/i.test(out)) {
          clearTimeout(timer);
          resolve(false);
        }
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      child.on("exit", () => {
        clearTimeout(timer);
        resolve(false);
      });
    });
    if (ok) {
      child.stdout!.resume();
      child.stderr!.resume();
      return { port, close: () => stop(child) };
    }
    await stop(child);
  }
  throw new Error("openssl s_server did not start");
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** Message types in wire order, compactly: "server:Certificate*" (* = decrypted from a protected record). */
export function seq(messages: { from: string; type: string; encrypted?: boolean }[]): string[] {
  return messages.map((m) => `${m.from}:${m.type}${m.encrypted ? "*" : ""}`);
}

// ───────────────────────────── raw TLS records ─────────────────────────────

const u16 = (n: number) => Buffer.from([(n >>> 8) & 255, n & 255]);
const u24 = (n: number) => Buffer.from([(n >>> 16) & 255, (n >>> 8) & 255, n & 255]);

/** A TLS record (RFC 5246 §6.2.1): content type 22 handshake, 21 alert, 23 application data. */
export const tlsRecord = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type, 3, 3]), u16(body.length), body]);

/** A handshake message header + body; `declared` is the length written in the header (a liar may say more). */
export const handshakeMessage = (type: number, body: Buffer, declared = body.length) => Buffer.concat([Buffer.from([type]), u24(declared), body]);

/**
 * A TLS 1.2 ServerHello a Node (OpenSSL) client accepts: no session id (an echoed one would mean resumption),
 * ECDHE-RSA-AES128-GCM-SHA256, and the renegotiation_info extension OpenSSL 3 insists on.
 */
export function serverHello12(): Buffer {
  const ext = Buffer.concat([u16(0xff01), u16(1), Buffer.from([0])]);
  return handshakeMessage(2, Buffer.concat([Buffer.from([3, 3]), randomBytes(32), Buffer.from([0]), u16(0xc02f), Buffer.from([0]), u16(ext.length), ext]));
}

/**
 * A raw TCP server on 127.0.0.1 that waits for the client's first TLS record (the ClientHello), then hands the
 * socket to `answer`, which writes whatever the test needs. `stop` callbacks it registers run on close.
 */
export function rawTlsServer(answer: (s: net.Socket, onClose: (stop: () => void) => void) => void): Promise<Running> {
  const srv = net.createServer((s) => {
    s.on("error", () => {});
    let got = Buffer.alloc(0);
    const stops: (() => void)[] = [];
    s.on("close", () => stops.forEach((f) => f()));
    const onData = (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (got.length < 5 || got.length < 5 + got.readUInt16BE(3)) return;
      s.off("data", onData);
      s.on("data", () => {});
      answer(s, (stop) => stops.push(stop));
    };
    s.on("data", onData);
  });
  return listenLocal(srv, () => {});
}
