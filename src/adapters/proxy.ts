/**
 * VS Code's proxy settings for CertScope's own connections (handshake and scan): `http.proxy` unless
 * `http.proxySupport` is "off" or the host is in `http.noProxy`.
 */
import * as vscode from "vscode";
import { core } from "./lazyCore";

/** The proxy URL for a target, or undefined. The URL may hold credentials: it goes to the engine only, which never returns them. */
export function proxyFor(host: string, port: number): string | undefined {
  const http = vscode.workspace.getConfiguration("http");
  const url = (http.get<string>("proxy") ?? "").trim();
  if (!url || http.get<string>("proxySupport") === "off") return undefined;
  const noProxy = http.get<string[]>("noProxy") ?? [];
  return core().bypassesProxy(host, port, Array.isArray(noProxy) ? noProxy.filter((x) => typeof x === "string") : []) ? undefined : url;
}
