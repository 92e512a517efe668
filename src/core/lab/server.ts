/**
 * The local TLS test server of the mTLS lab: Node `tls` on 127.0.0.1 with the test kit's certificates, in
 * one of three client-authentication modes. It answers HTTP requests (curl) with a plain-text report of
 * what it saw, and any other first bytes with the same report as one line.
 */
import * as tls from "node:tls";
import type { Socket } from "node:net";
import { promises as fs } from "node:fs";
import { locateTestKit } from "./kit";

export type TestServerMode = "one-way" | "optional" | "required";

export const TEST_SERVER_MODES: { mode: TestServerMode; label: string; detail: string }[] = [
  { mode: "one-way", label: "One-way TLS", detail: "The server does not ask for a client certificate." },
  { mode: "optional", label: "Client certificate optional", detail: "The server asks for a client certificate but accepts connections without one." },
  { mode: "required", label: "Client certificate required (mutual TLS)", detail: "The server rejects clients without a certificate issued by the kit's CA." },
];

export interface TestServerMaterial {
  cert: string | Uint8Array;
  key: string | Uint8Array;
  /** CA certificate(s) that client certificates must chain to. */
  ca: string | Uint8Array;
}

export interface TestServerOptions {
  mode: TestServerMode;
  /** Either a kit folder or the material itself. */
  kitDir?: string;
  material?: TestServerMaterial;
  /** 0 (default) lets the OS choose. */
  port?: number;
  /** Always a loopback address: 127.0.0.1 (default) or ::1. */
  host?: "127.0.0.1" | "::1";
  minVersion?: tls.SecureVersion;
  maxVersion?: tls.SecureVersion;
  /** Called for every connection attempt, good or bad. */
  onEvent?: (event: TestServerEvent) => void;
  /** Idle time before a connection is closed (ms, default 15000). */
  idleTimeoutMs?: number;
  /**
   * Time a client has to complete the TLS handshake (ms, default 10000): a client that connects and never
   * speaks (or stalls mid-handshake) is disconnected instead of holding a socket for ever.
   */
  handshakeTimeoutMs?: number;
}

export interface TestServerEvent {
  time: string;
  remote: string;
  outcome: "connected" | "rejected" | "error";
  protocol?: string;
  cipher?: string;
  /** Subject of the client certificate, when one was presented. */
  clientSubject?: string;
  /** True when the client certificate chains to the kit's CA. */
  clientAuthorized?: boolean;
  message: string;
}

export interface RunningTestServer {
  host: string;
  port: number;
  mode: TestServerMode;
  kitDir?: string;
  readonly connections: number;
  close(): Promise<void>;
}

function subjectOf(cert: tls.PeerCertificate | Record<string, never> | null | undefined): string | undefined {
  if (!cert || !("subject" in cert) || !cert.subject) return undefined;
  const parts = Object.entries(cert.subject as unknown as Record<string, string | string[]>).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join("+") : v}`);
  return parts.reverse().join(",");
}

/** Starts the server; resolves once it listens. Errors (port in use, bad material) reject with a clear message. */
export async function startTestServer(opts: TestServerOptions): Promise<RunningTestServer> {
  const host = opts.host ?? "127.0.0.1";
  if (host !== "127.0.0.1" && host !== "::1") throw new Error(`The test server listens on loopback only, not ${String(host)}.`);
  let material = opts.material;
  if (!material) {
    if (!opts.kitDir) throw new Error("startTestServer needs a kit folder or the certificate material.");
    const { paths } = await locateTestKit(opts.kitDir);
    const read = async (p: string) => {
      try {
        return await fs.readFile(p);
      } catch (e) {
        throw new Error(`Cannot read ${p}: ${(e as Error).message}`);
      }
    };
    material = { cert: await read(paths.serverCert), key: await read(paths.serverKey), ca: await read(paths.caCert) };
  }
  const mode = opts.mode;
  if (!TEST_SERVER_MODES.some((m) => m.mode === mode)) throw new Error(`Unknown test server mode '${String(mode)}': one-way, optional or required.`);
  const emit = (e: Omit<TestServerEvent, "time">) => {
    try {
      opts.onEvent?.({ time: new Date().toISOString(), ...e });
    } catch {
      /* a listener's failure must not take the server down */
    }
  };

  let server: tls.Server;
  try {
    server = tls.createServer({
      cert: toBuf(material.cert),
      key: toBuf(material.key),
      ca: toBuf(material.ca),
      requestCert: mode !== "one-way",
      rejectUnauthorized: mode === "required",
      minVersion: opts.minVersion,
      maxVersion: opts.maxVersion,
      ALPNProtocols: ["http/1.1"],
      handshakeTimeout: opts.handshakeTimeoutMs ?? 10_000,
    });
  } catch (e) {
    throw new Error(`The test server's certificate or key is not usable: ${(e as Error).message}`);
  }

  const sockets = new Set<Socket>();
  let connections = 0;
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
    s.on("error", () => undefined);
  });
  server.on("secureConnection", (s: tls.TLSSocket) => {
    connections++;
    s.setTimeout(opts.idleTimeoutMs ?? 15_000, () => s.destroy());
    s.on("error", () => undefined);
    const peer = s.getPeerCertificate();
    const clientSubject = subjectOf(peer);
    const authorized = clientSubject ? s.authorized : undefined;
    const event: Omit<TestServerEvent, "time"> = {
      remote: `${s.remoteAddress}:${s.remotePort}`,
      outcome: "connected",
      protocol: s.getProtocol() ?? undefined,
      cipher: s.getCipher()?.name,
      clientSubject,
      clientAuthorized: authorized,
      message: clientSubject
        ? `${s.getProtocol()}: client certificate ${clientSubject} (${authorized ? "verified against the kit's CA" : `not verified: ${String(s.authorizationError)}`})`
        : `${s.getProtocol()}: no client certificate`,
    };
    emit(event);
    s.once("data", (chunk: Buffer) => {
      const report = [
        `CertScope lab server (${mode}): hello.`,
        `TLS: ${event.protocol ?? "?"} ${event.cipher ?? ""}`.trim(),
        clientSubject ? `Client certificate: ${clientSubject} — ${authorized ? "verified" : "not verified"}` : "Client certificate: none",
      ].join("\n");
      if (/^(GET|HEAD|POST|PUT|DELETE|OPTIONS|PATCH) /.test(chunk.toString("latin1", 0, 8))) {
        const body = report + "\n";
        s.end(`HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      } else {
        s.end(report.replace(/\n/g, " | ") + "\n");
      }
    });
  });
  server.on("tlsClientError", (err: Error & { code?: string }, s: tls.TLSSocket) => {
    const message =
      err.code === "ERR_TLS_HANDSHAKE_TIMEOUT"
        ? `no TLS handshake within ${opts.handshakeTimeoutMs ?? 10_000} ms: connection closed`
        : `handshake failed: ${err.code ?? ""} ${err.message}`.trim();
    emit({ remote: `${s?.remoteAddress}:${s?.remotePort}`, outcome: "rejected", message });
    // Node destroys the socket after a failed handshake, but a handshake timeout is only reported here: the
    // socket stays open unless we close it (seen on Node 20 with a raw client that never speaks).
    s?.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException) => {
      reject(new Error(e.code === "EADDRINUSE" ? `Port ${opts.port} on ${host} is already in use: choose another or 0 for any free port.` : `The test server could not listen on ${host}:${opts.port ?? 0}: ${e.message}`));
    };
    server.once("error", onError);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", onError);
      server.on("error", (e) => emit({ remote: "", outcome: "error", message: e.message }));
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === "object" && addr ? addr.port : (opts.port ?? 0);
  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    mode,
    kitDir: opts.kitDir,
    get connections() {
      return connections;
    },
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
      return closing;
    },
  };
}

function toBuf(v: string | Uint8Array): Buffer | string {
  return typeof v === "string" ? v : Buffer.from(v);
}
