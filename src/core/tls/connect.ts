/**
 * One TLS connection attempt through the wire tap, in protocol order: the dialer's steps (TCP → proxy CONNECT →
 * STARTTLS, src/core/net) → TLS handshake on that socket → either the application probe (one harmless request,
 * whose answer also covers TLS 1.3's late verdict) or (TLS 1.3 with a certificate request) a bounded wait for the
 * server's verdict on the client certificate.
 * Never throws for network or peer problems: everything observed is returned as data for the diagnosis.
 */
import type * as net from "node:net";
import * as tls from "node:tls";
import { WireTap, type TapEvent } from "./tap";
import { decodeEvents } from "./transcript";
import type { ConnStep, Dialer, DialFailureCategory } from "../net/types";
import { makeDialer } from "../net/dial";
import type { ApplicationExchange } from "../../shared/model";
import { english, type Translate } from "../../shared/format";

export type TlsVersion = "1.0" | "1.1" | "1.2" | "1.3";

/** Where to connect and what to offer: shared by a single attempt and the whole handshake run. */
export interface TlsTarget {
  host: string;
  port: number;
  servername?: string;
  alpn?: string[];
  tlsMin?: TlsVersion;
  tlsMax?: TlsVersion;
}

export interface AttemptOptions extends TlsTarget {
  /** Says this module's own error texts (default English). */
  t?: Translate;
  /** Trust anchors for Node's own verdict (used only as the fallback validation). */
  ca?: (string | Buffer)[];
  certPem?: string;
  keyPem?: string;
  ciphers?: string;
  /** Absolute deadline (performance.now() based). */
  deadline: number;
  signal?: AbortSignal;
  /** Bound of the TLS 1.3 verdict wait; undefined: 400 ms, or 3 round trips (TCP connect time) when longer, at most 3 s. */
  verdictWaitMs?: number;
  keylog?: (line: string) => void;
  /** Probe mode: stop as soon as the server's first flight (ServerHello) has arrived. */
  probe?: boolean;
  /** The connection set-up (proxy, STARTTLS); default: a plain TCP connection to host:port. */
  dial?: Dialer;
  /** The application probe, run on the TLS socket after the handshake; undefined answer: protocol not known. */
  app?: (socket: tls.TLSSocket, deadline: number) => Promise<ApplicationExchange | undefined>;
}

export interface AttemptResult {
  events: TapEvent[];
  keylog: string[];
  tcpConnected: boolean;
  /** What stopped the attempt before a completed handshake. */
  error?: { code?: string; message: string; phase: "tcp" | "tls" | "verdict" };
  timedOut?: "tcp" | "tls";
  cancelled?: boolean;
  secure?: {
    protocol: string | null;
    cipher: tls.CipherNameAndProtocol;
    alpn: string | false | null;
    ephemeral?: tls.EphemeralKeyInfo | object;
    authorized: boolean;
    authorizationError?: string;
    peer?: tls.PeerCertificate;
    sharedSigalgs: string[];
  };
  /** TLS 1.3 verdict wait: "ticket" (server sent a NewSessionTicket), "answered" (the application answered), "alert"/"closed" (rejected), "waited" (no word). */
  verdict?: "ticket" | "answered" | "alert" | "closed" | "waited" | "not_needed";
  timing: { connect?: number; proxy?: number; starttls?: number; handshake?: number; verdict?: number; app?: number };
  /** What the dialer's steps sent and received before the ClientHello. */
  steps: ConnStep[];
  /** The proxy or STARTTLS step failed (TCP failures are reported as `error` with phase "tcp"). */
  dialFailure?: { category: DialFailureCategory; message: string; fix?: string };
  /** The application probe's exchange. */
  application?: ApplicationExchange;
}

const VERSIONS: Record<TlsVersion, tls.SecureVersion> = { "1.0": "TLSv1", "1.1": "TLSv1.1", "1.2": "TLSv1.2", "1.3": "TLSv1.3" };

export function attempt(o: AttemptOptions): Promise<AttemptResult> {
  const t = o.t ?? english;
  return new Promise((resolve) => {
    const t0 = performance.now();
    const res: AttemptResult = { events: [], keylog: [], tcpConnected: false, timing: {}, steps: [] };
    let tap: WireTap | undefined;
    let socket: tls.TLSSocket | undefined;
    let done = false;
    let phase: "tcp" | "tls" | "verdict" | "tickets" | "app" = "tcp";
    let tTls = 0;
    let tVerdict = 0;
    let verdictTimer: NodeJS.Timeout | undefined;
    let deadlineTimer: NodeJS.Timeout | undefined = undefined;
    let closing = false;

    let raw: net.Socket | undefined;

    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(deadlineTimer);
      clearTimeout(verdictTimer);
      o.signal?.removeEventListener("abort", onAbort);
      if (phase === "verdict") res.timing.verdict = round(performance.now() - tVerdict);
      if (tap) res.events = tap.events;
      socket?.destroy();
      raw?.destroy();
      resolve(res);
    };
    /** Ends the connection politely: our last flight (TLS 1.3 client Finished) and close_notify go out first. */
    const closeGracefully = () => {
      // (An HTTP/2 probe closes its session, and the socket with it: nothing left to say.)
      if (done || !socket || socket.destroyed) return finish();
      if (closing) return;
      closing = true;
      const bound = setTimeout(finish, 250);
      tap?.once("finish", () => {
        clearTimeout(bound);
        finish();
      });
      socket.end();
    };
    const fail = (phaseNow: "tcp" | "tls" | "verdict", err: Error & { code?: string }) => {
      if (done) return;
      if (!res.error) res.error = { code: err.code, message: err.message, phase: phaseNow };
      finish();
    };

    deadlineTimer = setTimeout(
      () => {
        if (closing || phase === "tickets") return finish();
        if (phase === "app") {
          res.verdict = res.verdict ?? "waited";
          return finish();
        }
        if (phase === "verdict") {
          res.verdict = res.verdict ?? "waited";
          finish();
          return;
        }
        if (phase === "tcp") {
          // The dialer has the same deadline and says which step was still waiting (a silent STARTTLS
          // greeting is not a TCP timeout): give its answer a moment to arrive.
          setTimeout(() => {
            if (done) return;
            res.timedOut = "tcp";
            finish();
          }, 100);
          return;
        }
        res.timedOut = "tls";
        finish();
      },
      Math.max(0, o.deadline - performance.now()),
    );
    const onAbort = () => {
      res.cancelled = true;
      finish();
    };
    if (o.signal?.aborted) {
      queueMicrotask(onAbort);
    } else o.signal?.addEventListener("abort", onAbort, { once: true });

    const dial = o.dial ?? makeDialer({ host: o.host, port: o.port });
    dial({ deadline: o.deadline, signal: o.signal }).then((d) => {
      if (done) {
        if (d.ok) d.socket.destroy();
        return;
      }
      res.steps = d.steps;
      if (!d.ok) {
        if (d.cancelled) return onAbort();
        if (d.category === "proxy_failure" || d.category === "starttls_failure") {
          res.tcpConnected = d.category === "starttls_failure";
          res.dialFailure = { category: d.category, message: d.message, ...(d.fix ? { fix: d.fix } : {}) };
          return finish();
        }
        if (d.category === "timeout") res.timedOut = "tcp";
        return fail("tcp", Object.assign(new Error(d.message.replace(/^[A-Z_]+: /, "")), { code: d.code }));
      }
      raw = d.socket;
      res.tcpConnected = true;
      res.timing = { ...res.timing, ...d.timing };
      startTls(raw);
    }, (err: Error) => fail("tcp", err));

    const startTls = (raw: net.Socket) => {
      raw.on("error", (err) => (phase === "tickets" ? finish() : phase === "app" ? undefined : fail(phase === "verdict" ? "verdict" : "tls", err)));
      phase = "tls";
      tTls = performance.now();
      tap = new WireTap(raw, t0);
      tap.on("error", () => {}); // reported through the TLS socket's own error event
      raw.resume(); // the dialer hands the socket on paused
      let options: tls.ConnectionOptions = {
        socket: tap as unknown as net.Socket,
        servername: o.servername,
        ALPNProtocols: o.alpn?.length ? o.alpn : undefined,
        minVersion: o.tlsMin ? VERSIONS[o.tlsMin] : undefined,
        maxVersion: o.tlsMax ? VERSIONS[o.tlsMax] : undefined,
        rejectUnauthorized: false,
        checkServerIdentity: () => undefined,
        ca: o.ca,
        cert: o.certPem,
        key: o.keyPem,
        ciphers: o.ciphers,
        ...({ requestOCSP: true } as object), // ask for a stapled OCSP response (status_request; Node passes it on, its types omit it); staple.ts checks it
      };
      if (!options.servername) delete options.servername;
      try {
        socket = tls.connect(options);
      } catch (err) {
        // A cipher string the TLS backend does not understand (e.g. @SECLEVEL on BoringSSL): retry without it.
        if (o.ciphers) {
          options = { ...options, ciphers: undefined };
          try {
            socket = tls.connect(options);
          } catch (err2) {
            return fail("tls", err2 as Error);
          }
        } else return fail("tls", err as Error);
      }
      const s = socket;
      s.on("keylog", (line: Buffer) => {
        const text = line.toString("latin1").replace(/\r?\n$/, "");
        res.keylog.push(text);
        try {
          o.keylog?.(text);
        } catch {
          // a failing key log sink must not break the handshake
        }
      });
      if (o.probe) {
        tap.onServerData = () => {
          // Stop once a ServerHello (or an alert) has come back: the probe only wants the server's choice.
          const d = decodeEvents(tap!.events, []);
          if (d.messages.some((m) => m.from === "server" && (m.type === "ServerHello" || m.type === "Alert")) || d.notTls) finish();
        };
      }
      s.on("session", () => {
        if (phase === "app" && certRequested) res.verdict = res.verdict ?? "ticket";
        if (phase === "tickets") {
          clearTimeout(verdictTimer);
          setImmediate(closeGracefully); // not from inside the TLS read callback: our close_notify would be lost
        }
        if (phase === "verdict") {
          res.verdict = "ticket";
          clearTimeout(verdictTimer);
          setImmediate(closeGracefully);
        }
      });
      s.once("secureConnect", () => {
        res.timing.handshake = round(performance.now() - tTls);
        res.secure = {
          protocol: s.getProtocol(),
          cipher: s.getCipher(),
          alpn: s.alpnProtocol,
          ephemeral: safe(() => s.getEphemeralKeyInfo()) ?? undefined,
          authorized: s.authorized,
          authorizationError: s.authorizationError ? String((s.authorizationError as unknown as { code?: string }).code ?? s.authorizationError) : undefined,
          peer: safe(() => s.getPeerCertificate(false)),
          sharedSigalgs: safe(() => s.getSharedSigalgs()) ?? [],
        };
        if (o.probe) return finish();
        certRequested = res.secure.protocol === "TLSv1.3" && certificateRequested(tap!, res.keylog, res.secure.sharedSigalgs);
        if (o.app) return runApp(s);
        afterHandshake(s);
      });
      s.on("error", (err: Error & { code?: string }) => {
        if (phase === "app") {
          // A TLS alert during the probe (TLS 1.3's late rejection): the probe sees the close and ends.
          if (!res.error) res.error = { code: err.code, message: err.message, phase: "verdict" };
          return;
        }
        if (closing || phase === "tickets") return finish();
        if (phase === "verdict") res.verdict = "alert";
        fail(phase, err);
      });
      s.on("close", () => {
        if (done || phase === "app") return;
        if (closing || phase === "tickets") return finish();
        if (phase === "verdict") {
          res.verdict = "closed";
          res.error = res.error ?? { code: "ECONNRESET", message: t("the server closed the connection after the handshake"), phase: "verdict" };
          return finish();
        }
        if (!res.secure) res.error = res.error ?? { code: "ECONNRESET", message: t("the server closed the connection during the handshake"), phase: "tls" };
        finish();
      });
      s.resume();
    };

    let certRequested = false;
    /** The application probe on the TLS socket; its answer (or the lack of one) also settles TLS 1.3's verdict. */
    const runApp = (s: tls.TLSSocket) => {
      phase = "app";
      const tApp = performance.now();
      const tls13 = res.secure?.protocol === "TLSv1.3";
      o.app!(s, o.deadline).then(
        (x) => {
          if (done) return;
          if (!x && !res.error && !s.destroyed) {
            // The protocol above TLS is not known: nothing was sent.
            phase = "tls";
            return afterHandshake(s);
          }
          res.timing.app = round(performance.now() - tApp);
          if (x) res.application = { ...x, at: round(tApp - t0) };
          const answered = !!x?.answer;
          if (res.error) {
            if (tls13) res.verdict = "alert";
            return finish();
          }
          if (tls13 && certRequested) {
            if (answered) res.verdict = res.verdict ?? "answered";
            else if (s.destroyed || !s.readable) {
              res.verdict = "closed";
              res.error = { code: "ECONNRESET", message: t("the server closed the connection after the handshake"), phase: "verdict" };
              return finish();
            } else res.verdict = res.verdict ?? "waited";
          } else res.verdict = res.verdict ?? "not_needed";
          closeGracefully();
        },
        () => finish(),
      );
    };
    /** Without an application probe: TLS 1.3's bounded wait for the verdict, or for the session tickets. */
    const afterHandshake = (s: tls.TLSSocket) => {
      if (certRequested) {
        phase = "verdict";
        tVerdict = performance.now();
        const rtt = res.timing.connect ?? 0;
        const bound = o.verdictWaitMs ?? Math.min(3000, Math.max(400, 3 * rtt));
        const wait = Math.max(0, Math.min(bound, o.deadline - performance.now()));
        verdictTimer = setTimeout(() => {
          res.verdict = res.verdict ?? "waited";
          closeGracefully();
        }, wait);
        s.resume();
      } else if (res.secure?.protocol === "TLSv1.3") {
        // No verdict to wait for, but TLS 1.3 servers send their NewSessionTicket(s) one round trip after our
        // Finished: wait that long (bounded) so the message list shows the whole exchange.
        res.verdict = "not_needed";
        phase = "tickets";
        const bound = Math.min(300, Math.max(30, 3 * (res.timing.connect ?? 0)));
        verdictTimer = setTimeout(closeGracefully, Math.max(0, Math.min(bound, o.deadline - performance.now())));
      } else {
        res.verdict = "not_needed";
        closeGracefully();
      }
    };
  });
}

/**
 * On OpenSSL, the client's shared signature algorithms are filled only from a CertificateRequest, so an empty
 * list means none was sent. Other backends (BoringSSL in VS Code's Electron) may not fill it: there, the
 * decrypted flight is checked instead (a quick pass without certificate decoding).
 */
const SIGALGS_TELL = !("boringssl" in process.versions) && /^[1-9]\./.test(process.versions.openssl ?? "");

function certificateRequested(tap: WireTap, keylog: string[], sharedSigalgs: string[]): boolean {
  if (sharedSigalgs.length > 0) return true;
  if (SIGALGS_TELL) return false;
  const d = decodeEvents(tap.events, keylog, { light: true });
  return d.messages.some((m) => m.type === "CertificateRequest") || d.messages.some((m) => m.from === "server" && m.undecrypted);
}

function safe<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
