/**
 * Certificate revocation lists (RFC 5280 §5): reading a CRL (PEM or DER) through the shared strict DER reader
 * into the facts §6.3 needs, and fetching one from a CRL distribution point (http only, bounded in time and
 * size, cancellable, cached per process). The §6.3.3 checks themselves are src/core/chain/revocation.ts.
 */
import { createHash } from "node:crypto";
import { T, bitString, bool, children, content, count, expect, intBig, intNum, oid as readOid, parse, raw, seq, tagOf, time, type Node } from "../pki/der";
import { scanPem } from "../pki/pem";
import { PkiError } from "../pki/errors";
import { CertParseError, parseGeneralName, parseName, type AlgorithmId, type DistributionPointName, type GeneralNameP, type Name } from "../chain/cert";
import { parseDistributionPointName, reasonFlags } from "../chain/certExtensions";
import { boundedHttpGet } from "../chain/aia";
import type { RevocationFetchOptions, RevocationReason } from "./types";
import { t } from "../l10n";

export const CRL_OID = {
  crlNumber: "2.5.29.20",
  deltaCrlIndicator: "2.5.29.27",
  issuingDistributionPoint: "2.5.29.28",
  authorityKeyIdentifier: "2.5.29.35",
  issuerAltName: "2.5.29.18",
  freshestCrl: "2.5.29.46",
  authorityInfoAccess: "1.3.6.1.5.5.7.1.1",
  reasonCode: "2.5.29.21",
  invalidityDate: "2.5.29.24",
  certificateIssuer: "2.5.29.29",
  holdInstructionCode: "2.5.29.23",
} as const;

/** RFC 5280 §5.3.1 CRLReason by its ENUMERATED value (7 is unused). */
export const REASONS: (RevocationReason | undefined)[] = [
  "unspecified",
  "keyCompromise",
  "cACompromise",
  "affiliationChanged",
  "superseded",
  "cessationOfOperation",
  "certificateHold",
  undefined,
  "removeFromCRL",
  "privilegeWithdrawn",
  "aACompromise",
];

export interface CrlEntry {
  /** Serial number, lowercase hex of the INTEGER content (as the certificate encodes it). */
  serial: string;
  revokedAt: Date;
  reason?: RevocationReason;
  invalidityDate?: Date;
  /** The certificate issuer this entry is about (indirect CRLs, §5.3.3: carried forward from earlier entries). */
  certIssuer: Name;
}

export interface IssuingDistributionPoint {
  name?: DistributionPointName;
  onlyUser: boolean;
  onlyCA: boolean;
  onlySomeReasons?: Set<number>;
  indirect: boolean;
  onlyAttr: boolean;
  /** DER of the extension value, for comparing the scopes of a complete and a delta CRL. */
  der: Uint8Array;
}

export interface ParsedCrl {
  der: Uint8Array;
  sha256: string;
  tbs: Uint8Array;
  tbsSignatureAlg: AlgorithmId;
  signatureAlg: AlgorithmId;
  signature: Uint8Array;
  issuer: Name;
  thisUpdate: Date;
  nextUpdate?: Date;
  entries: CrlEntry[];
  crlNumber?: bigint;
  /** deltaCRLIndicator: the base CRL number, when this is a delta CRL. */
  deltaBase?: bigint;
  idp?: IssuingDistributionPoint;
  authorityKeyId?: Uint8Array;
  freshest?: boolean;
  /** Why this CRL cannot be used at all (unknown critical extension, bad encoding), in plain words. */
  unusable?: string;
  /** Where it came from (a file or a URL), for messages. */
  location: string;
}

function algorithm(t: Node | undefined, what: string): AlgorithmId {
  const s = expect(t, T.SEQUENCE, what);
  const [o, params] = children(s);
  return { oid: readOid(o, `${what} OID`), params: params ? raw(params) : undefined, der: raw(s) };
}

function extensionsOf(t: Node): { oid: string; critical: boolean; value: Node }[] {
  return seq(t, "Extensions").map((e) => {
    const f = seq(e, "Extension");
    let j = 1;
    const critical = tagOf(f[j]) === T.BOOLEAN ? bool(f[j++]) : false;
    const octets = content(expect(f[j], T.OCTET_STRING, "extnValue"));
    return { oid: readOid(f[0], "extnID"), critical, value: parse(octets, false, true) };
  });
}

function parseIdp(v: Node): IssuingDistributionPoint {
  const idp: IssuingDistributionPoint = { onlyUser: false, onlyCA: false, indirect: false, onlyAttr: false, der: raw(v) };
  for (const f of seq(v, "IssuingDistributionPoint")) {
    const tag = tagOf(f);
    const flag = () => content(f)[0] !== 0;
    if (tag === 0xa0) idp.name = parseDistributionPointName(f);
    else if (tag === 0x81) idp.onlyUser = flag();
    else if (tag === 0x82) idp.onlyCA = flag();
    else if (tag === 0x83) idp.onlySomeReasons = reasonFlags(f);
    else if (tag === 0x84) idp.indirect = flag();
    else if (tag === 0x85) idp.onlyAttr = flag();
    else throw new CertParseError(t("IssuingDistributionPoint has an unexpected field"));
  }
  return idp;
}

/** Reads the CRLs in `bytes` (PEM "X509 CRL" blocks, or one DER CRL). Throws CertParseError with plain words when it cannot. */
export function parseCrls(bytes: Uint8Array, location: string): ParsedCrl[] {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, Math.min(bytes.length, 1 << 16)));
  if (!head.includes("-----BEGIN")) return [parseCrl(bytes, location)];
  const blocks = scanPem(new TextDecoder("latin1").decode(bytes)).filter((b) => b.label === "X509 CRL");
  if (!blocks.length) throw new CertParseError(t("it holds no 'X509 CRL' PEM block"));
  return blocks.map((b, k) => {
    if (!b.der) throw new CertParseError(t("the CRL block at line {0} cannot be decoded: {1}", b.line, b.error ?? t("bad base64")));
    return parseCrl(b.der, blocks.length > 1 ? `${location} (block ${k + 1})` : location);
  });
}

/** Reads one DER CRL. Throws CertParseError with plain words when it cannot. */
export function parseCrl(der: Uint8Array, location: string): ParsedCrl {
  try {
    return parseCrlDer(der, location);
  } catch (err) {
    if (err instanceof PkiError || err instanceof CertParseError) throw new CertParseError(err.message);
    throw new CertParseError(t("unreadable CRL: {0}", (err as Error).message));
  }
}

function parseCrlDer(der: Uint8Array, location: string): ParsedCrl {
  const top = expect(parse(der, false, true), T.SEQUENCE, "CertificateList");
  const [tbsT, sigAlgT, sigT] = children(top);
  const f = seq(tbsT, "TBSCertList");
  let i = 0;
  if (tagOf(f[i]) === T.INTEGER) {
    if (count(f[i++], "version") !== 1) throw new CertParseError(t("the CRL version is not v2"));
  }
  const tbsSignatureAlg = algorithm(f[i++], "signature");
  const issuer = parseName(f[i++], "issuer");
  const thisUpdate = new Date(time(f[i++], "thisUpdate"));
  let nextUpdate: Date | undefined;
  if (tagOf(f[i]) === T.UTC_TIME || tagOf(f[i]) === T.GENERALIZED_TIME) nextUpdate = new Date(time(f[i++], "nextUpdate"));
  const crl: ParsedCrl = {
    der,
    sha256: createHash("sha256").update(der).digest("hex"),
    tbs: raw(tbsT),
    tbsSignatureAlg,
    signatureAlg: algorithm(sigAlgT, "signatureAlgorithm"),
    signature: bitString(sigT, "signatureValue").bytes,
    issuer,
    thisUpdate,
    nextUpdate,
    entries: [],
    location,
  };
  if (tagOf(f[i]) === 0x30) {
    let certIssuer = issuer;
    for (const e of seq(f[i++], "revokedCertificates")) {
      const [serialT, dateT, extsT] = seq(e, "revokedCertificate");
      const entry: CrlEntry = { serial: hexOf(content(expect(serialT, T.INTEGER, "userCertificate"))), revokedAt: new Date(time(dateT, "revocationDate")), certIssuer };
      if (extsT)
        for (const x of extensionsOf(extsT)) {
          if (x.oid === CRL_OID.reasonCode) entry.reason = REASONS[intNum(x.value, "CRLReason")] ?? "unspecified";
          else if (x.oid === CRL_OID.invalidityDate) entry.invalidityDate = new Date(time(x.value, "invalidityDate"));
          else if (x.oid === CRL_OID.certificateIssuer) {
            const dn = children(x.value).map(parseGeneralName).find((g) => g.kind === "dirName");
            if (dn?.dirName) certIssuer = dn.dirName;
            entry.certIssuer = certIssuer;
          } else if (x.critical) crl.unusable ??= t("an entry has a critical extension {0} that is not understood (RFC 5280 §5.3)", x.oid);
        }
      crl.entries.push(entry);
    }
  }
  if (tagOf(f[i]) === 0xa0) {
    for (const x of extensionsOf(children(f[i++])[0])) {
      switch (x.oid) {
        case CRL_OID.crlNumber:
          crl.crlNumber = intBig(x.value);
          break;
        case CRL_OID.deltaCrlIndicator:
          crl.deltaBase = intBig(x.value);
          break;
        case CRL_OID.issuingDistributionPoint:
          crl.idp = parseIdp(x.value);
          break;
        case CRL_OID.authorityKeyIdentifier:
          for (const k of seq(x.value, "AuthorityKeyIdentifier")) if (tagOf(k) === 0x80) crl.authorityKeyId = content(k);
          break;
        case CRL_OID.freshestCrl:
          crl.freshest = true;
          break;
        default:
          if (x.critical) crl.unusable ??= t("it has a critical extension {0} that is not understood (RFC 5280 §5.2)", x.oid);
      }
    }
  }
  if (f[i]) throw new CertParseError(t("TBSCertList has unexpected trailing fields"));
  return crl;
}

/** Two's-complement INTEGER content as minimal hex, so 00ff (255) and ff (-1) stay apart (PKITS 4.4.14, 4.4.15). */
function hexOf(b: Uint8Array): string {
  let i = 0;
  while (i < b.length - 1 && ((b[i] === 0 && !(b[i + 1] & 0x80)) || (b[i] === 0xff && b[i + 1] & 0x80))) i++;
  return Buffer.from(b.subarray(i)).toString("hex");
}

/** The certificate serial in the form CrlEntry.serial uses. */
export function serialKey(serial: Uint8Array): string {
  return hexOf(serial);
}

const CRL_MAX_BYTES = 10 << 20;
/** Per-process cache of fetched CRLs by URL (until their nextUpdate, at most 10 minutes; failures for a minute). */
const cache = new Map<string, { until: number; crl?: ParsedCrl; error?: string }>();
const CACHE_LIMIT = 256;

/** Fetches and reads the CRL at an http distribution point. Never throws: failures come back as `error`. */
export async function fetchCrl(url: string, opts: RevocationFetchOptions = {}): Promise<{ crl?: ParsedCrl; error?: string }> {
  const now = Date.now();
  const hit = cache.get(url);
  if (hit && hit.until > now) return hit;
  const got = await boundedHttpGet(url, { timeoutMs: opts.timeoutMs ?? 5000, maxBytes: opts.maxBytes ?? CRL_MAX_BYTES, signal: opts.signal, accept: "application/pkix-crl", what: "CRL distribution point" });
  let out: { crl?: ParsedCrl; error?: string };
  if (!got.bytes) out = { error: got.error };
  else
    try {
      out = { crl: parseCrls(got.bytes, url)[0] };
    } catch (err) {
      out = { error: t("the response is not a CRL: {0}", (err as Error).message) };
    }
  if (out.error === "cancelled") return out;
  const until = out.crl ? Math.min(now + 600_000, out.crl.nextUpdate?.getTime() ?? now + 600_000) : now + 60_000;
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(url, { ...out, until });
  return out;
}

/** The http URLs among distribution point full names. */
export function httpUris(names: GeneralNameP[] | undefined): string[] {
  return (names ?? []).filter((g) => g.kind === "uri" && /^http:\/\//i.test(g.value)).map((g) => g.value);
}
