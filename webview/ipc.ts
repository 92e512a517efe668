/**
 * The webview side of the typed protocol: one `acquireVsCodeApi()` for the page, `post` for outgoing
 * messages, `onMessage` for incoming ones. Message types live in src/shared/protocol/*.
 */
interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi = acquireVsCodeApi();

export function post<T extends { type: string }>(message: T): void {
  api.postMessage(message);
}

export function onMessage<T extends { type: string }>(handler: (message: T) => void): void {
  window.addEventListener("message", (event: MessageEvent) => {
    const data = event.data as unknown;
    if (data && typeof data === "object" && typeof (data as { type?: unknown }).type === "string") {
      handler(data as T);
    }
  });
}

export const state = {
  get: <S>(): S | undefined => api.getState() as S | undefined,
  set: <S>(s: S): void => api.setState(s),
};
