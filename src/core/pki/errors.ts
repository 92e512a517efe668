import { t } from "../l10n";

/**
 * The one error type of src/core/pki. `code` is stable and machine-readable:
 *   malformed      the bytes are not valid ASN.1 / PEM / the expected structure
 *   unsupported    a valid structure using an algorithm or variant not supported
 *   not_pki        the input is not a recognisable PKI object at all
 *   needs_password an encrypted object was given no password
 *   bad_password   the password is wrong (MAC or padding check failed)
 *   too_large      the input is beyond the size limits
 */
export class PkiError extends Error {
  code: string;
  line?: number;
  constructor(code: string, message: string, line?: number) {
    super(message);
    this.name = "PkiError";
    this.code = code;
    if (line !== undefined) this.line = line;
  }
}

/** Normalises anything thrown inside a decoder into a PkiError (never lets a TypeError or RangeError escape raw). */
export function asPkiError(err: unknown, fallbackCode = "malformed"): PkiError {
  if (err instanceof PkiError) return err;
  const msg = err instanceof Error ? err.message : String(err);
  return new PkiError(fallbackCode, msg || t("could not decode"));
}

/**
 * Wraps a decoder so that whatever it throws is a PkiError: a TypeError from a structure that is shorter
 * than expected becomes "malformed structure (…)".
 */
export function guarded<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  return (...args: A) => {
    try {
      return fn(...args);
    } catch (err) {
      if (err instanceof PkiError) throw err;
      throw new PkiError("malformed", t("malformed structure ({0})", err instanceof Error ? err.message : String(err)));
    }
  };
}
