/**
 * TLS 1.3 encrypts the server's Certificate, so the raw probes cannot see it. To list the chains a TLS 1.3
 * server holds (and whether it staples OCSP there), complete a handshake with Node's TLS over the same Dialer,
 * once per signature family (ECDSA, RSA-PSS, EdDSA): a server with several certificates picks by
 * signature_algorithms. Nothing is sent after the handshake.
 */
import * as tls from "node:tls";
import type { Dialer } from "../../net/types";

export const TLS13_SIGALG_FAMILIES: { family: string; sigalgs: string }[] = [
  { family: "ECDSA", sigalgs: "ecdsa_secp256r1_sha256:ecdsa_secp384r1_sha384:ecdsa_secp521r1_sha512" },
  { family: "RSA", sigalgs: "rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_rsae_sha512:rsa_pss_pss_sha256:rsa_pss_pss_sha384:rsa_pss_pss_sha512" },
  { family: "EdDSA", sigalgs: "ed25519:ed448" },
];

export interface Tls13CertOutcome {
  ok: boolean;
  chain: Uint8Array[];
  stapled: boolean;
  message?: string;
}

export async function tls13Chain(dial: Dialer, sigalgs: string, o: { servername?: string; timeoutMs: number; signal?: AbortSignal }): Promise<Tls13CertOutcome> {
  const deadline = performance.now() + o.timeoutMs;
  const d = await dial({ deadline, signal: o.signal });
  if (!d.ok) return { ok: false, chain: [], stapled: false, message: d.message };
  return new Promise((resolve) => {
    let stapled = false;
    let done = false;
    let sock: tls.TLSSocket | undefined;
    const finish = (r: Tls13CertOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
      sock?.destroy();
      d.socket.destroy();
      resolve(r);
    };
    const onAbort = () => finish({ ok: false, chain: [], stapled: false, message: "cancelled" });
    const timer = setTimeout(() => finish({ ok: false, chain: [], stapled: false, message: "timeout" }), Math.max(1, deadline - performance.now()));
    o.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      // requestOCSP is a TLSSocket option that tls.connect passes on (status_request in the ClientHello).
      const options: tls.ConnectionOptions & { requestOCSP: boolean } = {
        socket: d.socket,
        servername: o.servername,
        rejectUnauthorized: false,
        minVersion: "TLSv1.3",
        maxVersion: "TLSv1.3",
        sigalgs,
        requestOCSP: true,
      };
      sock = tls.connect(options);
    } catch (e) {
      // a TLS library without these sigalgs (e.g. BoringSSL lacking one) cannot ask: no chain from this family
      return finish({ ok: false, chain: [], stapled: false, message: (e as Error).message });
    }
    sock.on("OCSPResponse", (r: Buffer) => {
      if (r && r.length) stapled = true;
    });
    sock.on("error", (e) => finish({ ok: false, chain: [], stapled: false, message: e.message }));
    sock.on("secureConnect", () => {
      const chain: Uint8Array[] = [];
      let c: tls.DetailedPeerCertificate | undefined = sock!.getPeerCertificate(true);
      const seen = new Set<string>();
      while (c && c.raw && !seen.has(c.fingerprint256) && chain.length < 10) {
        seen.add(c.fingerprint256);
        chain.push(new Uint8Array(c.raw));
        c = c.issuerCertificate;
      }
      finish({ ok: true, chain, stapled });
    });
  });
}
