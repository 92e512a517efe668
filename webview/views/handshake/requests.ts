/**
 * Requests from the handshake page to the host. Every request carries an id and the host answers each one
 * (`handshake/response`); a request made with a callback gets that answer.
 */
import { post } from "../../ipc";
import type { HandshakeHostToPage, HandshakeRequest } from "../../../src/shared/protocol/handshake";

type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;
export type HandshakeAsk = WithoutId<HandshakeRequest>;
export type Done = (ok: boolean, error?: string, info?: string) => void;

let nextId = 1;
const pending = new Map<number, Done>();

export function request(msg: HandshakeAsk, done?: Done): void {
  const id = nextId++;
  if (done) pending.set(id, done);
  post({ ...msg, id } as HandshakeRequest);
}

/** Hands the host's answer to the request it answers. */
export function settle(m: Extract<HandshakeHostToPage, { type: "handshake/response" }>): void {
  const done = pending.get(m.id);
  pending.delete(m.id);
  done?.(m.ok, m.error, m.info);
}
