// The panels show the diagnosis, the warnings and the scan findings in VS Code's language (issue 13). The engine
// writes them once, in English, through a recording translator; the panel says them again with vscode.l10n.t.
// Representative failures are driven through that path with a pseudo-translator that turns every word of a
// message into "жжж": any English word left afterwards came from outside `t` (only names, alert and category
// codes, flags' values and the server's own words may remain). The English stays byte-identical, and the German
// bundle has every message the German path asked for.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as net from "node:net";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { decodeTranscript, decodeEvents, type DecodedTranscript } from "../../src/core/tls/transcript";
import { diagnose, type DiagnosisInput } from "../../src/core/tls/diagnosis";
import type { AttemptResult } from "../../src/core/tls/connect";
import { certificateModel } from "../../src/core/tls/certs";
import { classifyApplication } from "../../src/core/net/probe/classify";
import { makeDialer, type DialTarget } from "../../src/core/net/dial";
import { probeHttp1 } from "../../src/core/net/probe/http";
import type * as tls from "node:tls";
import { cipherWarnings } from "../../src/core/tls/scan/parts";
import { scanFindings } from "../../src/core/tls/scan/findings";
import { suiteByName } from "../../src/core/tls/suites/anatomy";
import { english, recordingTranslator, type Translate } from "../../src/shared/format";
import { formWords } from "../../src/shared/handshakeView";
import { messageForPage, runTexts } from "../../src/shared/runTexts";
import type { ApplicationExchange, Diagnosis, HandshakeResult, VerifyResult } from "../../src/shared/model";
import type { ScanResult } from "../../src/shared/scanModel";

const root = join(__dirname, "../..");
const de = JSON.parse(readFileSync(join(root, "l10n/bundle.l10n.de.json"), "utf8")) as Record<string, string>;
const fixture = (name: string) => JSON.parse(readFileSync(join(root, "test/fixtures/tls", `${name}.json`), "utf8")).transcript;

/** Says a text again through a translator that hides the message's own words, remembering each message asked for. */
function pseudo(asked: Set<string>): Translate {
  return (m, ...args) => {
    asked.add(m);
    return english(m.replace(/[A-Za-z]+/g, (w) => "ж".repeat(w.length)), ...args);
  };
}
const german: Translate = (m, ...args) => english(de[m] ?? m, ...args);

/**
 * The English words left in `shown` once the given facts (host names, subjects, codes, the server's words) are
 * taken out: none may remain, or a sentence was built outside `t`.
 */
function leftover(shown: string, facts: string[]): string[] {
  let rest = shown;
  for (const f of [...facts].sort((a, b) => b.length - a.length)) rest = rest.split(f).join(" ");
  return rest.match(/[A-Za-z]{2,}/g) ?? [];
}

interface Case {
  name: string;
  category: string;
  /** What the run printed, in English (made through the recorder). */
  texts: string[];
  facts: string[];
  again: (text: string, to: Translate) => string;
}

const empty = (): DecodedTranscript => decodeEvents([], []);
const attemptOf = (a: Partial<AttemptResult>): AttemptResult => ({ events: [], keylog: [], tcpConnected: true, steps: [], timing: {}, ...a });
const chainOf = (d: DecodedTranscript) => (d.ctx.serverCertificates ?? []).map((der) => certificateModel(der, false));
const HOST = "db.example.test";
const CHAIN_FACTS = ["CN=localhost,O=Lab", "CN=Lab Issuing CA,O=Lab", "CN=Lab Root CA,O=Lab", "CN=Lab Client CA,O=Lab", "localhost", "127.0.0.1"];

function input(x: Partial<DiagnosisInput> & Pick<DiagnosisInput, "attempt" | "decoded">): DiagnosisInput {
  return { host: HOST, port: 443, name: HOST, serverChain: [], validation: null, anchors: [], usedSystemRoots: true, timeoutMs: 2000, now: new Date("2026-12-03T12:00:00Z"), ...x };
}

const diagTexts = (d: Diagnosis | null, warnings: string[]) => [...(d ? [d.summary, d.fix, ...(d.also ?? []).flatMap((a) => [a.summary, a.fix])] : []), ...warnings];

/** Runs diagnose twice, plain English and through the recorder, and checks both say the same English. */
function diagnosed(name: string, x: DiagnosisInput, facts: string[], rec = recordingTranslator()): Case {
  const plain = diagnose(x);
  const recorded = diagnose({ ...x, t: rec.t });
  assert.deepEqual(recorded, plain, `${name}: the recorder changed the English`);
  return { name, category: plain.diagnosis?.category ?? "success", texts: diagTexts(plain.diagnosis, plain.warnings), facts, again: rec.again };
}

const validation = (codes: string[]): VerifyResult => ({ valid: false, chain: [], problems: codes.map((code) => ({ code, severity: "error", message: `${code} problem` })) }) as unknown as VerifyResult;

function offlineCases(): Case[] {
  const cases: Case[] = [];
  cases.push(diagnosed("connection refused", input({ attempt: attemptOf({ tcpConnected: false, error: { code: "ECONNREFUSED", message: "connect ECONNREFUSED", phase: "tcp" } }), decoded: empty() }), [HOST]));
  cases.push(diagnosed("TCP timeout", input({ attempt: attemptOf({ tcpConnected: false, timedOut: "tcp" }), decoded: empty() }), [HOST]));
  cases.push(diagnosed("silent after TCP, on the SMTP port", input({ port: 25, attempt: attemptOf({ timedOut: "tls" }), decoded: empty() }), [HOST, "smtp"]));
  const http = decodeTranscript(fixture("plain-http"));
  cases.push(diagnosed("plain HTTP", input({ attempt: attemptOf({ error: { code: "ERR_SSL_WRONG_VERSION_NUMBER", message: "wrong version number", phase: "tls" } }), decoded: http }), [HOST, "HTTP/1"]));
  const ssh = decodeTranscript(fixture("plain-http"));
  ssh.notTls = { ...ssh.notTls!, text: "SSH-2.0-OpenSSH_9.6" };
  cases.push(diagnosed("an SSH server", input({ attempt: attemptOf({}), decoded: ssh }), [HOST, "SSH-2.0-OpenSSH_9.6"]));

  const required = decodeTranscript(fixture("mtls13-required-none"));
  cases.push(
    diagnosed("client certificate required, server chain untrusted and for another name", input({ attempt: attemptOf({ verdict: "alert" }), decoded: required, serverChain: chainOf(required), validation: validation(["untrusted_root", "hostname_mismatch"]) }), [
      HOST,
      ...CHAIN_FACTS,
    ]),
  );
  const wrongCa = decodeTranscript(fixture("mtls13-wrong-ca"));
  const client = { subject: "CN=alice,O=Other", issuer: "CN=Other CA,O=Other", notBefore: "2026-01-01T00:00:00Z", notAfter: "2026-06-01T00:00:00Z" };
  cases.push(
    diagnosed("client certificate rejected (unknown_ca, expired, issuer not accepted)", input({ attempt: attemptOf({ verdict: "alert" }), decoded: wrongCa, serverChain: chainOf(wrongCa), validation: null, client }), [
      HOST,
      ...CHAIN_FACTS,
      client.subject,
      client.issuer,
      "unknown_ca",
      "2026-06-01",
    ]),
  );
  const ok = decodeTranscript(fixture("tls13-aes128-oneway"));
  const secure = { protocol: "TLSv1.3", cipher: { name: "TLS_AES_128_GCM_SHA256", standardName: "TLS_AES_128_GCM_SHA256", version: "TLSv1.3" }, alpn: false, authorized: false, sharedSigalgs: [] } as AttemptResult["secure"];
  cases.push(diagnosed("untrusted root and hostname mismatch", input({ attempt: attemptOf({ secure, verdict: "not_needed" }), decoded: ok, serverChain: chainOf(ok), validation: validation(["untrusted_root", "hostname_mismatch"]) }), [HOST, ...CHAIN_FACTS]));
  cases.push(diagnosed("hostname mismatch alone", input({ attempt: attemptOf({ secure, verdict: "not_needed" }), decoded: ok, serverChain: chainOf(ok), validation: validation(["hostname_mismatch"]) }), [HOST, ...CHAIN_FACTS]));
  const nginx: ApplicationExchange = { protocol: "http", request: "GET / HTTP/1.1", status: 400, answer: "HTTP/1.1 400: No required SSL certificate was sent", reason: "No required SSL certificate was sent", refused: false };
  cases.push(diagnosed("nginx 400 after the handshake", input({ attempt: attemptOf({ secure, verdict: "not_needed", application: nginx }), decoded: ok, serverChain: chainOf(ok), validation: null }), [HOST, ...CHAIN_FACTS, nginx.answer!]));

  // PostgreSQL's FATAL through the classification on its own (the same `t` the diagnosis hands it).
  const pg: ApplicationExchange = { protocol: "postgres", request: "StartupMessage", answer: 'FATAL: certificate authentication failed for user "x"', reason: 'certificate authentication failed for user "x"', sqlstate: "28000", refused: false };
  const rec = recordingTranslator();
  const v = classifyApplication({ app: pg, requested: true, sent: true, clientSubject: "CN=x", acceptableIssuers: ["CN=Lab Client CA,O=Lab"] }, rec.t)!;
  assert.deepEqual(v, classifyApplication({ app: pg, requested: true, sent: true, clientSubject: "CN=x", acceptableIssuers: ["CN=Lab Client CA,O=Lab"] }));
  cases.push({ name: "PostgreSQL FATAL", category: v.category, texts: [v.summary, v.fix], facts: ["PostgreSQL", "CN=x", pg.answer!, "CN=Lab Client CA,O=Lab", "CN"], again: rec.again });

  // Weak parts of a negotiated suite: handshake warnings.
  const weak = { cipher: "TLS_RSA_WITH_3DES_EDE_CBC_SHA", outcome: "success", messages: [] } as unknown as HandshakeResult;
  const wrec = recordingTranslator();
  const warnings = cipherWarnings(weak, wrec.t);
  assert.deepEqual(warnings, cipherWarnings(weak));
  assert.ok(warnings.length >= 2, warnings.join("\n"));
  cases.push({ name: "weak cipher parts", category: "warnings", texts: warnings, facts: ["TLS_RSA_WITH_3DES_EDE_CBC_SHA", "3DES", "RSA", "ECDHE", "DHE"], again: wrec.again });

  // A scan: TLS 1.0 accepted, a 1024-bit DHE group, no TLS 1.3, Mozilla's profile with what keeps it from the next.
  const dhe = suiteByName("TLS_DHE_RSA_WITH_AES_128_GCM_SHA256")!;
  const facts = {
    target: { host: HOST, port: 443 },
    protocols: [
      { version: "TLSv1.0", supported: true },
      { version: "TLSv1.2", supported: true },
      { version: "TLSv1.3", supported: false },
    ],
    cipherSuites: [{ version: "TLSv1.2", name: dhe.name, code: dhe.hex, parts: { ...dhe.parts }, strength: dhe.strength, reasons: dhe.reasons, dhBits: 1024 }],
    serverPreference: { "TLSv1.2": true },
    groups: [],
    groupsByVersion: {},
    certificates: [],
    ocspStapling: false,
    secureRenegotiation: true,
    fallbackScsv: false,
    elapsedMs: 0,
    connections: 1,
    maxConnections: 1,
    concurrency: 1,
    complete: true,
    notes: [],
    suiteRegistry: { source: "", date: "" },
  } as unknown as Omit<ScanResult, "findings" | "mozilla">;
  const srec = recordingTranslator();
  const scan = scanFindings(facts, srec.t);
  assert.deepEqual(scan, scanFindings(facts));
  assert.ok(scan.findings.some((f) => f.code === "weak_dh") && scan.findings.some((f) => f.code === "protocol_tls10_tls11"), JSON.stringify(scan.findings.map((f) => f.code)));
  cases.push({
    name: "scan findings",
    category: "scan",
    texts: [...scan.findings.flatMap((f) => [f.message, f.fix]), ...scan.mozilla.blockers],
    facts: ["TLS", "DHE", "TLS_FALLBACK_SCSV", "old", "intermediate", "modern", dhe.name],
    again: srec.again,
  });
  return cases;
}

/** A server on 127.0.0.1 that runs `onSocket` for each connection; closed by the caller. */
async function server(onSocket: (s: net.Socket) => void): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const srv = net.createServer((s) => {
    sockets.add(s);
    s.on("error", () => {});
    onSocket(s);
  });
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  return {
    port: (srv.address() as net.AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => srv.close(() => r()));
    },
  };
}

/** Dials through the recorder, then diagnoses the dial failure as the runner does. */
async function dialCase(name: string, target: DialTarget, facts: string[]): Promise<Case> {
  const rec = recordingTranslator();
  const r = await makeDialer({ ...target, t: rec.t })({ deadline: performance.now() + 5000 });
  const plain = await makeDialer(target)({ deadline: performance.now() + 5000 });
  assert.equal(r.ok, false, name);
  assert.equal(plain.ok, false, name);
  if (r.ok || plain.ok) throw new Error("unreachable");
  assert.equal(r.message, plain.message, `${name}: the recorder changed the English`);
  assert.equal(r.fix, plain.fix);
  const attempt = attemptOf({ dialFailure: { category: r.category, message: r.message, ...(r.fix ? { fix: r.fix } : {}) } });
  // One recorder for the dial and the diagnosis, as in a run.
  return diagnosed(name, input({ host: target.host, port: target.port, attempt, decoded: empty() }), facts, rec);
}

async function networkCases(): Promise<Case[]> {
  const out: Case[] = [];
  const wrong = await server((s) => s.write("554 5.7.1 go away\r\n"));
  const silent = await server(() => {});
  const proxy = await server((s) => s.once("data", () => s.write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")));
  const mute = await server((s) => s.once("data", () => s.end()));
  try {
    // The application probe's own words (why there was no answer) end up in a warning.
    const rec = recordingTranslator();
    const sock = net.connect(mute.port, "127.0.0.1");
    await new Promise((r) => sock.once("connect", r));
    const app = await probeHttp1(sock as unknown as tls.TLSSocket, { authority: HOST, waitMs: 2000, t: rec.t });
    sock.destroy();
    assert.equal(app.noAnswer, "the server closed the connection without answering");
    const d = decodeTranscript(fixture("mtls13-required-none"));
    const secure = { protocol: "TLSv1.3", cipher: { name: "x", standardName: "x", version: "TLSv1.3" }, alpn: false, authorized: true, sharedSigalgs: [] } as AttemptResult["secure"];
    const c = diagnosed("optional client certificate, no answer from the application", input({ attempt: attemptOf({ secure, verdict: "not_needed", application: app }), decoded: d }), ["CN=Lab Client CA,O=Lab"], rec);
    assert.match(c.texts[0], /the application did not answer \(the server closed the connection without answering\)/);
    out.push({ ...c, category: "app_no_answer" });

    out.push(await dialCase("STARTTLS: not an SMTP greeting", { host: "127.0.0.1", port: wrong.port, starttls: "smtp" }, ["127.0.0.1", "554 5.7.1 go away", "SMTP", "starttls"]));
    out.push(await dialCase("STARTTLS: a silent server", { host: "127.0.0.1", port: silent.port, starttls: "smtp", answerWaitMs: 150 }, ["127.0.0.1", "SMTP", "PostgreSQL", "MySQL", "TLS"]));
    const label = `http://127.0.0.1:${proxy.port}`;
    out.push(await dialCase("proxy refuses the tunnel", { host: HOST, port: 443, proxy: label }, [label, HOST, "HTTP/1.1 403 Forbidden", "CONNECT"]));
  } finally {
    await Promise.all([wrong.close(), silent.close(), proxy.close(), mute.close()]);
  }
  return out;
}

test("every displayed sentence of representative failures comes through t, and German has each message", async () => {
  const cases = [...offlineCases(), ...(await networkCases())];
  const categories = new Set(cases.map((c) => c.category));
  for (const want of ["connection_refused", "timeout", "not_tls", "client_cert_required", "client_cert_rejected", "untrusted_root", "hostname_mismatch", "starttls_failure", "proxy_failure", "warnings", "app_no_answer", "scan"])
    assert.ok(categories.has(want), `no case for ${want}: ${[...categories].join(", ")}`);
  const asked = new Set<string>();
  for (const c of cases) {
    assert.ok(c.texts.length > 0, c.name);
    for (const text of c.texts) {
      const shown = c.again(text, pseudo(asked));
      assert.notEqual(shown, text, `${c.name}: not said again: ${text}`);
      assert.deepEqual(leftover(shown, c.facts), [], `${c.name}: words outside t in\n  ${text}\n  → ${shown}`);
      // And in real German: the text changes, and keeps the facts it quotes.
      const inGerman = c.again(text, german);
      assert.notEqual(inGerman, text, `${c.name}: no German for ${text}`);
    }
  }
  const missing = [...asked].filter((m) => typeof de[m] !== "string" || !de[m].trim());
  assert.deepEqual(missing, [], "messages without German");
  assert.ok(asked.size > 60, `only ${asked.size} messages were exercised`);
});

test("German reads as German: a required client certificate, its fix in the form's words", () => {
  const d = decodeTranscript(fixture("mtls13-required-none"));
  const rec = recordingTranslator();
  const r = diagnose(input({ attempt: attemptOf({ verdict: "alert" }), decoded: d, t: rec.t }));
  assert.equal(r.diagnosis?.category, "client_cert_required");
  assert.equal(r.diagnosis?.summary, "The server requires a client certificate and none was sent. It accepts certificates issued by: CN=Lab Client CA,O=Lab.");
  assert.equal(rec.again(r.diagnosis!.summary, german), "Der Server verlangt ein Client-Zertifikat, und es wurde keines gesendet. Er akzeptiert Zertifikate, ausgestellt von: CN=Lab Client CA,O=Lab.");
  const fix = rec.again(r.diagnosis!.fix, german);
  assert.equal(fix, "Führen Sie den Test erneut mit --cert/--key oder --pfx aus, mit einem Client-Zertifikat, ausgestellt von einer dieser CAs: CN=Lab Client CA,O=Lab.");
  // The page turns the flags into the form's words, in the same language.
  assert.equal(formWords(fix, german), "Führen Sie den Test erneut mit Client-Zertifikat (PEM-Zertifikat + Schlüssel oder PKCS#12) aus, mit einem Client-Zertifikat, ausgestellt von einer dieser CAs: CN=Lab Client CA,O=Lab.");
  assert.equal(formWords(r.diagnosis!.fix), "Run again with a client certificate (PEM certificate + key, or PKCS#12), using a client certificate issued by one of: CN=Lab Client CA,O=Lab.");
});

test("the page gets the run in the display language; the run the host keeps (exports, recent runs) stays English", () => {
  const d = decodeTranscript(fixture("mtls13-required-none"));
  const rec = recordingTranslator();
  const v = diagnose(input({ attempt: attemptOf({ verdict: "alert" }), decoded: d, serverChain: chainOf(d), validation: validation(["untrusted_root"]), t: rec.t }));
  const result = { target: { host: HOST, port: 443 }, outcome: v.outcome, diagnosis: v.diagnosis, warnings: ["Decoder: x"], messages: [], serverChain: [], validation: null, clientCertificate: { requested: true, acceptableIssuers: [], sent: false } } as unknown as HandshakeResult;
  const english1 = JSON.stringify(result);
  const texts = runTexts(result, (s) => rec.again(s, german));
  const run = { runId: "r", startedAt: "2026-12-03T12:00:00Z", result, keylogAvailable: false, texts };
  const posted = messageForPage({ type: "handshake/result", run });
  assert.equal(JSON.stringify(run.result), english1, "the kept run is untouched");
  if (posted.type !== "handshake/result") throw new Error("unreachable");
  assert.equal("texts" in posted.run, false, "one copy of the texts reaches the page");
  assert.match(posted.run.result.diagnosis!.summary, /^Der Server verlangt/);
  assert.match(posted.run.result.diagnosis!.also![0].summary, /^Die Kette des Servers endet/);
  assert.equal(posted.run.result.target.host, HOST);
});
