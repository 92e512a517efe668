/**
 * @peculiar/x509 (through tsyringe) wants the Reflect metadata API at import time. The tests only use it to
 * make certificates, so this minimal stand-in is enough; import it before "@peculiar/x509".
 */
const store = new WeakMap<object, Map<unknown, unknown>>();
const R = Reflect as unknown as Record<string, unknown>;
if (typeof R.getMetadata !== "function") {
  const own = (target: object, create: boolean) => {
    let m = store.get(target);
    if (!m && create) store.set(target, (m = new Map()));
    return m;
  };
  R.defineMetadata = (key: unknown, value: unknown, target: object) => void own(target, true)!.set(key, value);
  R.getOwnMetadata = (key: unknown, target: object) => own(target, false)?.get(key);
  R.getMetadata = (key: unknown, target: object): unknown => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t)) {
      const v = own(t, false)?.get(key);
      if (v !== undefined) return v;
    }
    return undefined;
  };
  R.hasMetadata = (key: unknown, target: object) => R.getMetadata !== undefined && (R.getMetadata as (k: unknown, t: object) => unknown)(key, target) !== undefined;
  R.metadata = (key: unknown, value: unknown) => (target: object) => void own(target, true)!.set(key, value);
}
export {};
