/**
 * The mTLS test kit: every file a mutual-TLS setup involves (a CA, a server key + CSR + certificate, a client
 * key + CSR + certificate, the client as PKCS#12) and a README that says what each one is for.
 *
 * Generated in pure Node — WebCrypto + @peculiar/x509 for keys, CSRs and certificates, node-forge only to
 * write the PKCS#12 — so it works where the `openssl` CLI is not installed.
 */
// @peculiar/x509 (through tsyringe) needs the Reflect metadata API loaded first.
import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import forge from "node-forge";
import { webcrypto } from "node:crypto";
import { promises as fs } from "node:fs";
import { join } from "node:path";

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
// @peculiar/x509 takes a WebCrypto `Crypto`; Node's webcrypto is one (the DOM type is not in this tsconfig).
const crypto = webcrypto as unknown as Parameters<typeof x509.X509CertificateGenerator.create>[1] & typeof webcrypto;

/** The kit's PKCS#12 password when none is given: a lab kit, documented in its README (its keys are unencrypted anyway). */
export const TEST_KIT_DEFAULT_PKCS12_PASSWORD = "certscope";
export const TEST_KIT_MANIFEST = "certscope-kit.json";

export type TestKitRole = "caCert" | "caKey" | "serverKey" | "serverCsr" | "serverCert" | "clientKey" | "clientCsr" | "clientCert" | "clientPkcs12" | "readme";

export const TEST_KIT_FILE_NAMES: Record<TestKitRole, string> = {
  caCert: "ca.crt",
  caKey: "ca.key",
  serverKey: "server.key",
  serverCsr: "server.csr",
  serverCert: "server.crt",
  clientKey: "client.key",
  clientCsr: "client.csr",
  clientCert: "client.crt",
  clientPkcs12: "client.p12",
  readme: "README.md",
};

export interface TestKitOptions {
  /** PKCS#12 password (default {@link TEST_KIT_DEFAULT_PKCS12_PASSWORD}). */
  pkcs12Password?: string;
  /** RSA modulus size (default 2048). */
  keyBits?: number;
  /**
   * The server's key: "rsa" (default) or "ecdsa" (P-256). The CA and the client are always RSA: node-forge,
   * which writes the PKCS#12 (client key + client and CA certificates), handles RSA keys and RSA-signed
   * certificates only.
   */
  serverKeyAlgorithm?: "rsa" | "ecdsa";
  /** The clock (default now). Certificates start 5 minutes before it, to survive small clock skew. */
  now?: Date;
  /** Days the server and client certificates are valid (default 365; the CA: 3 × that). */
  validityDays?: number;
  /** Extra DNS names for the server certificate (always: localhost, 127.0.0.1, ::1). */
  serverNames?: string[];
}

export interface TestKitFile {
  role: TestKitRole;
  name: string;
  description: string;
  contents: Uint8Array;
  /** A private key or a file holding one: written with mode 0600. */
  private: boolean;
}

export interface TestKitManifest {
  format: "certscope-test-kit";
  version: 1;
  created: string;
  files: Record<TestKitRole, string>;
  caSubject: string;
  serverSubject: string;
  serverNames: string[];
  clientSubject: string;
  notAfter: { ca: string; server: string; client: string };
  pkcs12: { encryption: string; mac: string; passwordIsDefault: boolean };
  /** Key algorithms in plain words, e.g. "CA and server ECDSA P-256, client RSA 2048". */
  keys: string;
}

export interface TestKit {
  files: TestKitFile[];
  manifest: TestKitManifest;
}

// Names in DER order (O, then CN — the usual order); the *_TEXT forms are RFC 4514 (most specific first),
// as the rest of CertScope prints them.
const dn = (cn: string): x509.JsonName => [{ O: ["CertScope Lab"] }, { CN: [cn] }];
const CA_NAME = dn("CertScope Lab CA");
const SERVER_NAME = dn("localhost");
const CLIENT_NAME = dn("CertScope Lab Client");
const CA_TEXT = "CN=CertScope Lab CA,O=CertScope Lab";
const SERVER_TEXT = "CN=localhost,O=CertScope Lab";
const CLIENT_TEXT = "CN=CertScope Lab Client,O=CertScope Lab";
export const PKCS12_ENCRYPTION = "key: PBES2 (PBKDF2-HMAC-SHA256, AES-256-CBC); certificates: not encrypted";
export const PKCS12_MAC = "HMAC-SHA1";

const DAY = 86_400_000;

function pem(label: string, der: ArrayBuffer | Uint8Array): string {
  const b64 = Buffer.from(der instanceof Uint8Array ? der : new Uint8Array(der)).toString("base64");
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, "$&\n")}-----END ${label}-----\n`;
}

const text = (s: string) => new TextEncoder().encode(s);

async function rsaKeys(bits: number): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  ) as Promise<CryptoKeyPair>;
}

async function keyPem(key: CryptoKey): Promise<string> {
  return pem("PRIVATE KEY", await crypto.subtle.exportKey("pkcs8", key));
}

async function ecKeys(): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"]) as Promise<CryptoKeyPair>;
}

const RSA_SIGNING = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" };
const EC_SIGNING = { name: "ECDSA", hash: "SHA-256" };
/** The signature algorithm a key signs with (CSRs by their own key, certificates by the CA's). */
const signingFor = (key: CryptoKey) => (key.algorithm.name === "ECDSA" ? EC_SIGNING : RSA_SIGNING);

async function csr(name: x509.JsonName, keys: CryptoKeyPair, extensions: x509.Extension[]): Promise<x509.Pkcs10CertificateRequest> {
  return x509.Pkcs10CertificateRequestGenerator.create({ name, keys, signingAlgorithm: signingFor(keys.privateKey), extensions }, crypto);
}

/** Issues a leaf certificate from a CSR, the way a CA would: subject and key from the request, policy from the CA. */
async function issue(
  req: x509.Pkcs10CertificateRequest,
  ca: { cert: x509.X509Certificate; key: CryptoKey },
  notBefore: Date,
  notAfter: Date,
  extensions: x509.Extension[],
): Promise<x509.X509Certificate> {
  if (!(await req.verify(crypto))) throw new Error(`CSR for ${req.subject}: signature does not verify`);
  return x509.X509CertificateGenerator.create(
    {
      subject: req.subject,
      issuer: ca.cert.subject,
      publicKey: req.publicKey,
      signingKey: ca.key,
      signingAlgorithm: signingFor(ca.key),
      notBefore,
      notAfter,
      serialNumber: randomSerial(),
      extensions: [
        ...extensions,
        await x509.SubjectKeyIdentifierExtension.create(req.publicKey, false, crypto),
        await x509.AuthorityKeyIdentifierExtension.create(ca.cert.publicKey, false, crypto),
      ],
    },
    crypto,
  );
}

function randomSerial(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[0] = (b[0] & 0x7f) | 0x01; // positive, 16 bytes, no leading zero
  return Buffer.from(b).toString("hex");
}

/** Generates the kit in memory. Nothing touches the disk. */
export async function generateTestKit(opts: TestKitOptions = {}): Promise<TestKit> {
  const bits = opts.keyBits ?? 2048;
  const password = opts.pkcs12Password ?? TEST_KIT_DEFAULT_PKCS12_PASSWORD;
  const now = opts.now ?? new Date();
  const days = opts.validityDays ?? 365;
  const notBefore = new Date(now.getTime() - 5 * 60_000);
  const leafNotAfter = new Date(now.getTime() + days * DAY);
  const caNotAfter = new Date(now.getTime() + 3 * days * DAY);
  const dnsNames = ["localhost", ...(opts.serverNames ?? []).filter((n) => n && n !== "localhost")];

  const ec = opts.serverKeyAlgorithm === "ecdsa";
  const [caKeys, serverKeys, clientKeys] = await Promise.all([rsaKeys(bits), ec ? ecKeys() : rsaKeys(bits), rsaKeys(bits)]);

  const caCert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      name: CA_NAME,
      keys: caKeys,
      signingAlgorithm: signingFor(caKeys.privateKey),
      notBefore,
      notAfter: caNotAfter,
      serialNumber: randomSerial(),
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  const ca = { cert: caCert, key: caKeys.privateKey };

  const sanEntries = [...dnsNames.map((value) => ({ type: "dns" as const, value })), { type: "ip" as const, value: "127.0.0.1" }, { type: "ip" as const, value: "::1" }];
  const serverSan = new x509.SubjectAlternativeNameExtension(sanEntries);
  const serverReq = await csr(SERVER_NAME, serverKeys, [serverSan, new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth])]);
  const serverCert = await issue(serverReq, ca, notBefore, leafNotAfter, [
    new x509.BasicConstraintsExtension(false, undefined, true),
    // keyEncipherment only for RSA (TLS 1.2 RSA key exchange); an ECDSA key only signs.
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | (ec ? 0 : x509.KeyUsageFlags.keyEncipherment), true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    serverSan,
  ]);

  const clientReq = await csr(CLIENT_NAME, clientKeys, [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])]);
  const clientCert = await issue(clientReq, ca, notBefore, leafNotAfter, [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
  ]);

  const [caKeyPem, serverKeyPem, clientKeyPem] = await Promise.all([keyPem(caKeys.privateKey), keyPem(serverKeys.privateKey), keyPem(clientKeys.privateKey)]);
  const caCertPem = pem("CERTIFICATE", caCert.rawData);
  const clientCertPem = pem("CERTIFICATE", clientCert.rawData);

  const p12 = writePkcs12(clientKeyPem, [clientCertPem, caCertPem], password);

  const manifest: TestKitManifest = {
    format: "certscope-test-kit",
    version: 1,
    created: now.toISOString(),
    files: TEST_KIT_FILE_NAMES,
    caSubject: CA_TEXT,
    serverSubject: SERVER_TEXT,
    serverNames: [...dnsNames, "127.0.0.1", "::1"],
    clientSubject: CLIENT_TEXT,
    notAfter: { ca: caNotAfter.toISOString(), server: leafNotAfter.toISOString(), client: leafNotAfter.toISOString() },
    pkcs12: { encryption: PKCS12_ENCRYPTION, mac: PKCS12_MAC, passwordIsDefault: opts.pkcs12Password === undefined },
    keys: ec ? `server ECDSA P-256; CA and client RSA ${bits}` : `RSA ${bits}`,
  };

  const f = (role: TestKitRole, description: string, contents: Uint8Array | string, priv = false): TestKitFile => ({
    role,
    name: TEST_KIT_FILE_NAMES[role],
    description,
    contents: typeof contents === "string" ? text(contents) : contents,
    private: priv,
  });
  const files: TestKitFile[] = [
    f("caCert", "The CA certificate (self-signed root). Servers trust it to check client certificates; clients trust it to check the server.", caCertPem),
    f("caKey", "The CA's private key: it signed server.crt and client.crt. Only needed to issue more certificates.", caKeyPem, true),
    f("serverKey", "The server's private key (PKCS#8, not encrypted).", serverKeyPem, true),
    f("serverCsr", "The server's certificate signing request: what the server asks the CA to certify (subject, SANs, serverAuth).", pem("CERTIFICATE REQUEST", serverReq.rawData)),
    f("serverCert", "The server certificate, issued by the CA: CN=localhost, SAN localhost / 127.0.0.1 / ::1, EKU serverAuth.", pem("CERTIFICATE", serverCert.rawData)),
    f("clientKey", "The client's private key (PKCS#8, not encrypted).", clientKeyPem, true),
    f("clientCsr", "The client's certificate signing request.", pem("CERTIFICATE REQUEST", clientReq.rawData)),
    f("clientCert", "The client certificate, issued by the CA: EKU clientAuth. This is what the client sends in mutual TLS.", clientCertPem),
    f("clientPkcs12", `The client certificate + key (+ the CA certificate) as one PKCS#12 file, password-protected (${PKCS12_ENCRYPTION}; MAC ${PKCS12_MAC}).`, p12, true),
  ];
  files.push(f("readme", "This file.", readme(manifest, files, password, opts.pkcs12Password === undefined, kitGitignorePatterns(files))));
  return { files, manifest };
}

/** PKCS#12 with node-forge (RSA keys only): the key bag under PBES2/AES-256-CBC with PBKDF2-HMAC-SHA256. */
function writePkcs12(keyPem: string, certPems: string[], password: string): Uint8Array {
  const key = forge.pki.privateKeyFromPem(keyPem);
  const certs = certPems.map((c) => forge.pki.certificateFromPem(c));
  const asn = forge.pkcs12.toPkcs12Asn1(key, certs, password, {
    algorithm: "aes256",
    // forge passes unknown options on to encryptPrivateKeyInfo: PBKDF2 with HMAC-SHA256 instead of its SHA-1 default.
    ...({ prfAlgorithm: "sha256" } as object),
    count: 10_000,
    friendlyName: "CertScope Lab Client",
  } as Parameters<typeof forge.pkcs12.toPkcs12Asn1>[3]);
  return new Uint8Array(Buffer.from(forge.asn1.toDer(asn).getBytes(), "binary"));
}

/** The name of the git ignore file {@link writeTestKit} writes or completes in the kit folder. */
export const TEST_KIT_GITIGNORE = ".gitignore";
export const TEST_KIT_GITIGNORE_COMMENT = "# Generated by CertScope (mTLS test kit): keep the kit's private keys out of git.";

/** One `*.ext` pattern per extension of the kit's private files (keys, the PKCS#12), in file order. */
export function kitGitignorePatterns(files: readonly Pick<TestKitFile, "name" | "private">[]): string[] {
  const out: string[] = [];
  for (const f of files) {
    if (!f.private) continue;
    const dot = f.name.lastIndexOf(".");
    const pattern = dot > 0 ? `*${f.name.slice(dot)}` : f.name;
    if (!out.includes(pattern)) out.push(pattern);
  }
  return out;
}

/**
 * Writes `dir/.gitignore` with the kit's secret-file patterns, or appends the ones missing from an existing
 * file (never rewrites what is there). Returns the path when it wrote something.
 */
async function ensureKitGitignore(dir: string, patterns: string[]): Promise<string | undefined> {
  const p = join(dir, TEST_KIT_GITIGNORE);
  let existing: string | undefined;
  try {
    existing = await fs.readFile(p, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw new TestKitError(`Cannot read ${p}: ${(e as Error).message}`, "unreadable");
  }
  const have = new Set((existing ?? "").split(/\r?\n/).map((l) => l.trim()));
  const missing = patterns.filter((x) => !have.has(x));
  if (!missing.length) return undefined;
  const block = [TEST_KIT_GITIGNORE_COMMENT, ...missing].join("\n") + "\n";
  if (existing === undefined) await fs.writeFile(p, block, { flag: "wx" });
  else await fs.appendFile(p, (existing === "" || existing.endsWith("\n") ? "" : "\n") + block);
  return p;
}

function readme(m: TestKitManifest, files: TestKitFile[], password: string, isDefault: boolean, ignored: string[]): string {
  const rows = files.map((f) => `| \`${f.name}\` | ${f.description} |`).join("\n");
  return `# CertScope mTLS test kit

Created ${m.created} by CertScope ("CertScope: Create mTLS Test Kit"). **For testing only**: the private keys
below are not encrypted, and anyone with this folder can impersonate the lab server, the lab client and the CA.
Do not trust \`ca.crt\` anywhere outside a test setup.

## Files

| file | what it is |
|---|---|
${rows}
| \`${TEST_KIT_MANIFEST}\` | A small description of the kit that CertScope reads to start the test server. |
| \`${TEST_KIT_GITIGNORE}\` | Keeps the secret files (${ignored.map((x) => `\`${x}\``).join(", ")}) out of git, so they are not committed by accident. An existing one is completed, not replaced. |

How they relate — the classic two-way TLS picture:

\`\`\`
            ca.key signs ──► server.crt  (from server.csr)   served by the server with server.key
   ca.crt ──┤
            ca.key signs ──► client.crt  (from client.csr)   sent by the client with client.key
\`\`\`

- The **server** presents \`server.crt\` and proves it holds \`server.key\`; the client checks it against \`ca.crt\`.
- In **mutual (two-way) TLS** the server also sends a *CertificateRequest* naming \`${m.caSubject}\` as the
  acceptable CA; the client answers with \`client.crt\` and proves it holds \`client.key\` (*CertificateVerify*);
  the server checks \`client.crt\` against \`ca.crt\`.

Subjects: CA \`${m.caSubject}\`, server \`${m.serverSubject}\` (names: ${m.serverNames.join(", ")}), client
\`${m.clientSubject}\`. Keys: ${m.keys}. The CA is valid until ${m.notAfter.ca}, the server and client certificates until
${m.notAfter.server}.

## PKCS#12

\`client.p12\` holds the client certificate, its key and the CA certificate. Password: ${isDefault ? `\`${password}\` (the kit's default)` : "the one you chose when creating the kit (not written here)"}.
Encryption: ${m.pkcs12.encryption}; integrity: ${m.pkcs12.mac} MAC. Modern OpenSSL 3, Node, Java and Windows open it
without a legacy provider.

## Try it

In VS Code: **CertScope: Start Local Test Server** (modes: one-way, client certificate optional, required), then
**CertScope: Test TLS Handshake** — the form is pre-filled; run it once without and once with the client
certificate and compare the two diagrams.

Or by hand (the server must be running; replace PORT):

\`\`\`sh
openssl s_client -connect 127.0.0.1:PORT -servername localhost -CAfile ca.crt -cert client.crt -key client.key
curl --cacert ca.crt --cert client.crt --key client.key https://localhost:PORT/
\`\`\`

An equivalent server with the OpenSSL CLI:

\`\`\`sh
openssl s_server -accept PORT -cert server.crt -key server.key -CAfile ca.crt -Verify 1 -verify_return_error
\`\`\`
`;
}

/** Where the files of a kit written by {@link writeTestKit} are. */
export interface TestKitPaths {
  dir: string;
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  clientPkcs12: string;
}

export interface WriteTestKitResult {
  paths: TestKitPaths;
  written: string[];
  manifest: TestKitManifest;
}

/**
 * Writes the kit into `dir` (created if missing). Refuses to overwrite existing kit files unless
 * `overwrite` is set, naming the files in the way. Private keys get mode 0600, and the folder gets a
 * `.gitignore` for them (*.key, *.p12): created, or completed with the missing lines if one is there.
 */
export async function writeTestKit(dir: string, opts: TestKitOptions & { overwrite?: boolean } = {}): Promise<WriteTestKitResult> {
  await fs.mkdir(dir, { recursive: true });
  const names = [...Object.values(TEST_KIT_FILE_NAMES), TEST_KIT_MANIFEST];
  if (!opts.overwrite) {
    const existing: string[] = [];
    for (const n of names) {
      try {
        await fs.access(join(dir, n));
        existing.push(n);
      } catch {
        /* absent: fine */
      }
    }
    if (existing.length) throw new TestKitError(`${dir} already has ${existing.join(", ")}: choose an empty folder or allow overwriting.`, "exists");
  }
  const kit = await generateTestKit(opts);
  const written: string[] = [];
  // Before any key lands on disk, so a git watcher never sees them un-ignored.
  const ignore = await ensureKitGitignore(dir, kitGitignorePatterns(kit.files));
  if (ignore) written.push(ignore);
  for (const f of kit.files) {
    const p = join(dir, f.name);
    await fs.writeFile(p, f.contents, { mode: f.private ? 0o600 : 0o644 });
    if (f.private) await fs.chmod(p, 0o600).catch(() => undefined);
    written.push(p);
  }
  const mp = join(dir, TEST_KIT_MANIFEST);
  await fs.writeFile(mp, JSON.stringify(kit.manifest, null, 2) + "\n");
  written.push(mp);
  return { paths: kitPaths(dir, kit.manifest.files), written, manifest: kit.manifest };
}

export class TestKitError extends Error {
  constructor(
    message: string,
    readonly code: "exists" | "not_a_kit" | "unreadable",
  ) {
    super(message);
    this.name = "TestKitError";
  }
}

function kitPaths(dir: string, files: Record<TestKitRole, string>): TestKitPaths {
  return {
    dir,
    caCert: join(dir, files.caCert),
    serverCert: join(dir, files.serverCert),
    serverKey: join(dir, files.serverKey),
    clientCert: join(dir, files.clientCert),
    clientKey: join(dir, files.clientKey),
    clientPkcs12: join(dir, files.clientPkcs12),
  };
}

/**
 * Finds a kit in `dir`: by its manifest, or by the standard file names. Throws {@link TestKitError} naming
 * the folder and the missing files when it is not a kit.
 */
export async function locateTestKit(dir: string): Promise<{ paths: TestKitPaths; manifest?: TestKitManifest }> {
  let manifest: TestKitManifest | undefined;
  try {
    const raw = JSON.parse(await fs.readFile(join(dir, TEST_KIT_MANIFEST), "utf8")) as TestKitManifest;
    if (raw && raw.format === "certscope-test-kit" && raw.files) manifest = raw;
  } catch {
    /* no manifest: try the standard names */
  }
  const paths = kitPaths(dir, { ...TEST_KIT_FILE_NAMES, ...(manifest?.files ?? {}) });
  const needed: (keyof TestKitPaths)[] = ["caCert", "serverCert", "serverKey"];
  const missing: string[] = [];
  for (const k of needed) {
    try {
      await fs.access(paths[k]);
    } catch {
      missing.push(paths[k]);
    }
  }
  if (missing.length) {
    throw new TestKitError(`${dir} is not a CertScope test kit: missing ${missing.join(", ")}. Create one with "CertScope: Create mTLS Test Kit".`, "not_a_kit");
  }
  return { paths, manifest };
}
