/**
 * Test certificates for the document tests, made in-process with @peculiar/x509 + WebCrypto (OpenSSL 3.0's
 * `x509` cannot back-date, and this is faster than spawning it). Nothing is written to disk; no key material
 * is ever printed.
 */
import "./reflect-shim";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

// No DOM lib here: the WebCrypto types come from node:crypto.
x509.cryptoProvider.set(webcrypto as any);
type KeyPair = webcrypto.CryptoKeyPair & { privateKey: any; publicKey: any };

const DAY = 86_400_000;
const EC = { name: "ECDSA", namedCurve: "P-256" } as const;
const ECSIGN = { name: "ECDSA", hash: "SHA-256" } as const;

export interface Fixtures {
  now: Date;
  /** EC P-256 leaf, CN=good.example, SAN dns good.example + ip 127.0.0.1, valid ±100 days. */
  good: string;
  /** CN=old.example, expired 10 days ago. */
  expired: string;
  /** CN=soon.example, expires in 5 days. */
  expiring: string;
  /** CN=future.example, valid from 3 days from now. */
  future: string;
  /** RSA 1024 with sha1WithRSAEncryption, CN=weak.example. */
  weak: string;
  /** CSR for CN=req.example. */
  csr: string;
  /** PKCS#8 EC private key (only ever used as input text). */
  key: string;
  /** CRL issued by CN=good.example, nextUpdate in 7 days. */
  crl: string;
}

let cached: Promise<Fixtures> | undefined;

export function fixtures(): Promise<Fixtures> {
  cached ??= make();
  return cached;
}

async function make(): Promise<Fixtures> {
  const now = new Date();
  const ec = (await webcrypto.subtle.generateKey(EC, true, ["sign", "verify"])) as unknown as KeyPair;
  const self = async (cn: string, from: number, to: number, extra: x509.Extension[] = []) =>
    (
      await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: "0" + Math.floor(Math.random() * 1e9).toString(16),
        name: `CN=${cn}, O=CertScope Test`,
        notBefore: new Date(now.getTime() + from * DAY),
        notAfter: new Date(now.getTime() + to * DAY),
        signingAlgorithm: ECSIGN,
        keys: ec,
        extensions: extra,
      })
    ).toString("pem");
  const good = await self("good.example", -100, 100, [
    new x509.SubjectAlternativeNameExtension([
      { type: "dns", value: "good.example" },
      { type: "ip", value: "127.0.0.1" },
    ]),
  ]);
  const expired = await self("old.example", -400, -10);
  const expiring = await self("soon.example", -300, 5);
  const future = await self("future.example", 3, 400);
  const rsa = (await webcrypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-1" },
    true,
    ["sign", "verify"],
  )) as unknown as KeyPair;
  const weak = (
    await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: "01",
      name: "CN=weak.example",
      notBefore: new Date(now.getTime() - DAY),
      notAfter: new Date(now.getTime() + 365 * DAY),
      signingAlgorithm: { name: "RSASSA-PKCS1-v1_5", hash: "SHA-1" } as any,
      keys: rsa,
    })
  ).toString("pem");
  const csr = (
    await x509.Pkcs10CertificateRequestGenerator.create({ name: "CN=req.example", keys: ec, signingAlgorithm: ECSIGN })
  ).toString("pem");
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", ec.privateKey));
  const key = x509.PemConverter.encode(pkcs8.buffer.slice(pkcs8.byteOffset, pkcs8.byteOffset + pkcs8.length) as ArrayBuffer, "PRIVATE KEY");
  const crl = (
    await x509.X509CrlGenerator.create({
      issuer: "CN=good.example, O=CertScope Test",
      thisUpdate: new Date(now.getTime() - DAY),
      nextUpdate: new Date(now.getTime() + 7 * DAY),
      signingAlgorithm: ECSIGN,
      signingKey: ec.privateKey,
      entries: [{ serialNumber: "0badcafe", revocationDate: new Date(now.getTime() - DAY) }],
    })
  ).toString("pem");
  const nl = (pem: string) => pem.trimEnd() + "\n";
  return {
    now,
    good: nl(good),
    expired: nl(expired),
    expiring: nl(expiring),
    future: nl(future),
    weak: nl(weak),
    csr: nl(csr),
    key: nl(key),
    crl: nl(crl),
  };
}

/** The base64 body lines of a PEM (no markers). */
export function bodyLines(pem: string): string[] {
  return pem
    .trim()
    .split(/\r?\n/)
    .filter((l) => !l.startsWith("-----"));
}
