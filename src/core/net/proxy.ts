/**
 * HTTP proxy step (RFC 9110 §9.3.6 CONNECT): ask the proxy for a tunnel to HOST:PORT, with Basic credentials when
 * given. What the diagram shows never includes the credentials (the Proxy-Authorization header is named, not
 * shown). Any answer but 2xx → proxy_failure with the proxy's status line.
 */
import type * as net from "node:net";
import type { ProxyConfig } from "./types";
import { Conversation, StepError, preview } from "./conversation";
import { hostPort } from "./tcp";
import type { Translate } from "../../shared/format";

/** Parses `http://[user:pass@]host:port` (the port defaults to 80, then 8080 is NOT guessed). Throws Error with a plain message. */
export function parseProxyUrl(text: string): ProxyConfig {
  let u: URL;
  try {
    u = new URL(text.includes("://") ? text : `http://${text}`);
  } catch {
    throw new Error(`proxy '${redactProxyText(text)}' is not a URL (expected http://[user:pass@]host:port)`);
  }
  if (u.protocol !== "http:") throw new Error(`proxy '${redactProxyText(text)}': only http:// proxies (CONNECT) are supported, not ${u.protocol}//`);
  if (!u.hostname) throw new Error(`proxy '${redactProxyText(text)}' has no host`);
  if (u.pathname !== "/" && u.pathname !== "") throw new Error(`proxy '${redactProxyText(text)}': a proxy URL has no path`);
  const host = u.hostname.replace(/^\[(.*)\]$/, "$1");
  return {
    host,
    port: u.port ? Number(u.port) : 80,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
  };
}

/** The proxy as shown in results and logs: never the credentials. */
export function proxyLabel(p: ProxyConfig): string {
  return `http://${hostPort(p.host, p.port)}${p.username !== undefined ? " (with credentials)" : ""}`;
}

/** A proxy URL with any user:password removed, for error messages about a URL that did not parse. */
export function redactProxyText(text: string): string {
  return text.replace(/\/\/[^@/]*@/, "//***@").replace(/^[^/@]*@/, "***@");
}

/** Status line then headers, ending with an empty line. */
const headerFramer = (buf: Buffer) => {
  const i = buf.indexOf("\r\n\r\n");
  if (i >= 0) return i + 4;
  const j = buf.indexOf("\n\n");
  return j >= 0 ? j + 2 : -1;
};

export async function proxyConnect(conv: Conversation, proxy: ProxyConfig, host: string, port: number, waitMs: number): Promise<net.Socket> {
  const authority = hostPort(host, port);
  const lines = [`CONNECT ${authority} HTTP/1.1`, `Host: ${authority}`];
  if (proxy.username !== undefined) lines.push(`Proxy-Authorization: Basic ${Buffer.from(`${proxy.username}:${proxy.password ?? ""}`, "utf8").toString("base64")}`);
  conv.send(`${lines.join("\r\n")}\r\n\r\n`, `CONNECT ${authority} HTTP/1.1${proxy.username !== undefined ? " (Proxy-Authorization: Basic ***)" : ""}`);
  const t: Translate = conv.t;
  const head = await conv.read(headerFramer, waitMs, { the: t("the proxy's answer to CONNECT"), bare: t("proxy's answer to CONNECT") }, "proxy_failure");
  const statusLine = head.toString("latin1").split(/\r?\n/)[0];
  conv.note("server", statusLine);
  const m = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\b/.exec(statusLine);
  if (!m)
    throw new StepError(
      "proxy_failure",
      t("the proxy {0} did not answer CONNECT with HTTP: '{1}'", proxyLabel(proxy), preview(head)),
      t("Check that the proxy address is an HTTP proxy (not a SOCKS proxy or the target itself)."),
    );
  const status = Number(m[1]);
  if (status < 200 || status > 299) {
    // 407 is the standard answer; some proxies (tinyproxy) answer wrong credentials with 401.
    const fix =
      status === 407 || status === 401
        ? proxy.username !== undefined
          ? t("The proxy did not accept the credentials: check the user name and password in the proxy URL.")
          : t("The proxy requires credentials: give them in the proxy URL (http://user:pass@host:port).")
        : status === 403
          ? t("The proxy refuses tunnels to {0}: ask its administrator to allow CONNECT to this port (many proxies allow only 443).", authority)
          : t("Check the proxy's logs; the target {0} may be unreachable from the proxy.", authority);
    throw new StepError("proxy_failure", t("The proxy {0} refused the tunnel to {1}: '{2}'.", proxyLabel(proxy), authority, statusLine), fix);
  }
  return conv.release(true);
}

/**
 * Whether `host` bypasses the proxy per a no-proxy list (VS Code's http.noProxy, NO_PROXY): `*` (everything),
 * exact names or addresses, `.example.com` / `*.example.com` / `example.com` (the domain and its subdomains),
 * `host:port` entries (that port only).
 */
export function bypassesProxy(host: string, port: number, noProxy: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "");
  for (const raw of noProxy.slice(0, 1000)) {
    let e = raw.trim().toLowerCase();
    if (!e) continue;
    if (e === "*") return true;
    const withPort = /^(.*):(\d+)$/.exec(e);
    if (withPort && !e.includes("::")) {
      if (Number(withPort[2]) !== port) continue;
      e = withPort[1];
    }
    e = e.replace(/^\[(.*)\]$/, "$1").replace(/^\*?\./, "");
    if (h === e || h.endsWith(`.${e}`)) return true;
  }
  return false;
}
