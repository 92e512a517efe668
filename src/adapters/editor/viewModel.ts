/**
 * From the core's InspectResult to the viewer's state (src/shared/protocol/viewer.ts): pure, no vscode, no
 * Node, tested in plain Node. Sections follow the order people read a certificate: who it is for, who
 * issued it, when it is valid, what it may be used for, the key, the rest.
 *
 * Only descriptive fields are copied into the state: no PEM, no key material, no passphrase ever reaches
 * the page.
 */
import type { CertificateModel, ContainerModel, CrlModel, CsrModel, ExtensionModel, InspectResult, PkiObject, PublicKeyInfo } from "../../shared/model";
import type { ViewerAction, ViewerBadge, ViewerLabels, ViewerObject, ViewerRow, ViewerSection, ViewerState } from "../../shared/protocol/viewer";
import { escapeControl } from "../../shared/safeText";
import {
  colonHex,
  defaultT,
  displayName,
  extensionLabel,
  extensionText,
  flattenObjects,
  formatTime,
  generalNameText,
  isWeakKey,
  isWeakSignature,
  kindLabel,
  objectName,
  relativeValidity,
  validityInfo,
  type Translate,
} from "../tree/format";
import { ocspFacts, ocspTitle, sctText } from "../tree/ocspFormat";

export interface ViewerInput {
  fileName: string;
  result: InspectResult;
  now: Date;
  warnDays: number;
  /** The file is text (PEM): objects with a line can be revealed in the text editor. */
  isText: boolean;
  /** A PKCS#12 stayed locked: containers say their contents are unknown rather than empty. */
  locked?: boolean;
  /** Most objects rendered (a 10,000-certificate bundle stays a page, not 15 MB of DOM). */
  maxObjects?: number;
  t?: Translate;
}

export const MAX_VIEWER_OBJECTS = 300;

/** Extensions shown in the "usage" section (by name or OID), in this order. */
const USAGE_EXTS: [string, string][] = [
  ["basicConstraints", "2.5.29.19"],
  ["keyUsage", "2.5.29.15"],
  ["extendedKeyUsage", "2.5.29.37"],
  ["nameConstraints", "2.5.29.30"],
  ["certificatePolicies", "2.5.29.32"],
  ["policyConstraints", "2.5.29.36"],
  ["inhibitAnyPolicy", "2.5.29.54"],
];
const SAN = ["subjectAltName", "2.5.29.17"];

const isOneOf = (e: ExtensionModel, pair: string[]) => e.name === pair[0] || e.oid === pair[1];

export function labels(t: Translate = defaultT): ViewerLabels {
  return {
    copy: t("Copy"),
    copied: t("Copied"),
    exportPem: t("Export PEM…"),
    exportDer: t("Export DER…"),
    validateChain: t("Validate chain…"),
    revealBlock: t("Show in text editor"),
    checkRevocation: t("Check revocation"),
    enterPassword: t("Enter password…"),
    retry: t("Try again"),
    loading: t("Loading…"),
  };
}

export function loadingState(fileName: string, t: Translate = defaultT): ViewerState {
  return { status: "loading", fileName, notices: [], objects: [], errors: [], labels: labels(t) };
}

export function errorState(fileName: string, message: string, t: Translate = defaultT): ViewerState {
  return { status: "error", fileName, message, notices: [], objects: [], errors: [], labels: labels(t) };
}

/** A password-protected file: the message and unlock button, with whatever could be read without it. */
export function lockedState(fileName: string, message: string, t: Translate = defaultT, partial?: ViewerState): ViewerState {
  if (partial && partial.status === "ready") return { ...partial, status: "locked", message };
  return { status: "locked", fileName, message, notices: [], objects: [], errors: [], labels: labels(t) };
}

export function buildViewerState(input: ViewerInput): ViewerState {
  const t = input.t ?? defaultT;
  const flat = flattenObjects(input.result.objects);
  const max = input.maxObjects ?? MAX_VIEWER_OBJECTS;
  const objects = flat.slice(0, max).map((f, i) => withFindings(viewerObject(f.object, i, f.depth, input, t), f.object, t));
  if (objects.length > 3) {
    // A long bundle starts compact: the first certificate (or first object) open, containers' contents and
    // encoding problems open.
    const first = objects.find((o) => o.kind === "certificate") ?? objects[0];
    for (const o of objects) for (const s of o.sections) s.open = o === first || s.id === "contents" || s.id === "encoding";
  }
  const notices = [] as ViewerState["notices"];
  for (const f of flat) {
    const o = f.object;
    if ((o.kind === "pkcs12" || o.kind === "pkcs7") && o.legacy) {
      notices.push({
        tone: "warning",
        text: t(
          "This {0} uses legacy algorithms ({1}). OpenSSL 3, recent Java and macOS may refuse it; re-export it with AES-256 and PBKDF2 (e.g. `openssl pkcs12 -export` without `-legacy`).",
          kindLabel(o.kind, t),
          o.encryption.join(", "),
        ),
      });
    }
  }
  if (flat.some((f) => f.object.kind === "privateKey")) {
    notices.push({ tone: "info", text: t("This file contains a private key. CertScope shows only its type and size; key material never leaves the extension host.") });
  }
  if (flat.length > max) {
    notices.push({
      tone: "info",
      text: t("Showing the first {0} of {1} objects. The Certificates view and the text editor list them all.", max, flat.length),
    });
  }
  if (!flat.length && !input.result.errors.length) {
    return errorState(input.fileName, t("{0} holds no certificate, CSR, CRL, key or PKCS#7/PKCS#12 container.", input.fileName), t);
  }
  if (!flat.length) {
    const first = input.result.errors[0];
    return {
      ...errorState(input.fileName, t("{0} could not be decoded: {1}", input.fileName, first.message), t),
      errors: input.result.errors.length > 1 ? input.result.errors.map((e) => ({ ...(e.line ? { line: e.line } : {}), message: e.message })) : [],
    };
  }
  return {
    status: "ready",
    fileName: input.fileName,
    summary: summarize(flat.map((f) => f.object), t),
    notices,
    objects,
    errors: input.result.errors.map((e) => ({ ...(e.line ? { line: e.line } : {}), message: e.message })),
    labels: labels(t),
  };
}

/** "2 certificates, 1 private key". */
export function summarize(objs: PkiObject[], t: Translate = defaultT): string {
  const counts = new Map<string, number>();
  for (const o of objs) counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
  const names: Record<string, [string, string]> = {
    certificate: [t("1 certificate"), t("{0} certificates")],
    csr: [t("1 certificate request"), t("{0} certificate requests")],
    crl: [t("1 revocation list"), t("{0} revocation lists")],
    privateKey: [t("1 private key"), t("{0} private keys")],
    publicKey: [t("1 public key"), t("{0} public keys")],
    pkcs12: [t("1 PKCS#12 container"), t("{0} PKCS#12 containers")],
    pkcs7: [t("1 PKCS#7 bundle"), t("{0} PKCS#7 bundles")],
  };
  return [...counts.entries()].map(([k, n]) => (n === 1 ? names[k]?.[0] : names[k]?.[1].replace("{0}", String(n))) ?? `${n} ${k}`).join(", ");
}

function viewerObject(o: PkiObject, index: number, depth: number, input: ViewerInput, t: Translate): ViewerObject {
  const base = { index, depth, kind: o.kind, kindLabel: kindLabel(o.kind, t) };
  const reveal: ViewerAction[] = input.isText && o.line ? ["revealBlock"] : [];
  switch (o.kind) {
    case "certificate":
      return { ...base, ...certificateView(o, input, t), actions: ["exportPem", "exportDer", "validateChain", "checkRevocation", ...reveal] };
    case "csr":
      return { ...base, ...csrView(o, t), actions: ["exportPem", "exportDer", ...reveal] };
    case "crl":
      return { ...base, ...crlView(o, input, t), actions: ["exportPem", "exportDer", ...reveal] };
    case "privateKey":
      return {
        ...base,
        title: objectName(o, t),
        badges: [...(o.encrypted ? [{ text: t("encrypted"), tone: "info" as const }] : []), ...(isWeakKey(o.publicKey) ? [{ text: t("weak key"), tone: "warning" as const }] : [])],
        sections: [
          section("key", t("The key"), [
            ...keyRows(o.publicKey, t),
            ...(o.format ? [row(t("Format"), o.format)] : []),
            row(t("Encrypted"), o.encrypted ? t("yes") : t("no")),
            ...(o.encryption?.length ? [row(t("Encryption"), o.encryption.join("\n"))] : []),
            ...(o.encrypted && !o.publicKey ? [row(t("Public key"), t("unknown until the key is decrypted"), { tone: "info" })] : []),
          ]),
        ],
        actions: reveal,
      };
    case "publicKey":
      return { ...base, title: objectName(o, t), badges: [], sections: [section("key", t("The key"), keyRows(o.publicKey, t))], actions: ["exportPem", "exportDer", ...reveal] };
    case "pkcs12":
    case "pkcs7":
      return { ...base, ...containerView(o, t, !!input.locked), actions: reveal };
    case "ocspResponse":
    case "ocspRequest":
      return {
        ...base,
        title: ocspTitle(o, t),
        ...(o.kind === "ocspResponse" && o.responder ? { subtitle: t("from {0}", o.responder) } : {}),
        badges: o.kind === "ocspResponse" && o.responses.some((r) => r.status === "revoked") ? [{ text: t("revoked"), tone: "error" as const }] : [],
        sections: [
          section("entries", t("The answer"), ocspFacts(o, t).map(([k, v]) => row(k, v))),
          ...(o.extensions?.length ? [section("extensions", t("Extensions"), o.extensions.map((e) => row(extensionLabel(e, t), extensionText(e), { note: e.oid })))] : []),
        ],
        actions: reveal,
      };
  }
}

/**
 * "Encoding problems": the object's encoding findings, first among its sections (people usually open such a
 * file because something is wrong with it), with a badge counting them.
 */
function withFindings(v: ViewerObject, o: PkiObject, t: Translate): ViewerObject {
  const fs = o.findings ?? [];
  if (!fs.length) return v;
  const errors = fs.filter((f) => f.severity === "error").length;
  const tone = errors ? "error" : "warning";
  v.badges.push({ text: fs.length === 1 ? t("1 encoding problem") : t("{0} encoding problems", fs.length), tone });
  const rows = fs.map((f) => row(f.where || t("(whole object)"), f.message, { tone: f.severity, mono: false, note: f.severity === "error" ? t("error · {0}", f.code) : t("warning · {0}", f.code) }));
  v.sections.unshift(section("encoding", t("Encoding problems"), rows));
  return v;
}

/** The serial as shown: a negative one (RFC 5280 forbids it) with its sign and the octets it was encoded as. */
function serialText(c: CertificateModel, t: Translate): string {
  return c.serialNumberSigned ? t("{0} (negative; encoded as {1})", c.serialNumberSigned, colonHex(c.serialNumber)) : colonHex(c.serialNumber);
}

function row(label: string, value: string, extra: Partial<ViewerRow> = {}): ViewerRow {
  // Values come from the file: control characters are shown escaped (../../shared/safeText.ts).
  return { label, value: escapeControl(value), ...extra };
}

function section(id: ViewerSection["id"], title: string, rows: ViewerRow[], open = true): ViewerSection {
  return { id, title, rows, open };
}

function dnRows(dn: { text: string; attributes: { type: string; value: string }[] }, t: Translate): ViewerRow[] {
  const attrs = [...dn.attributes].reverse().map((a) => row(attrLabel(a.type, t), a.value));
  return [...attrs, row(t("Distinguished name"), dn.text, { mono: true, copy: true })];
}

function attrLabel(type: string, t: Translate): string {
  const names: Record<string, string> = {
    CN: t("Common name (CN)"),
    O: t("Organization (O)"),
    OU: t("Organizational unit (OU)"),
    C: t("Country (C)"),
    ST: t("State or province (ST)"),
    L: t("Locality (L)"),
    emailAddress: t("Email address"),
    DC: t("Domain component (DC)"),
    serialNumber: t("Serial number attribute"),
  };
  return names[type] ?? type;
}

function keyRows(pk: PublicKeyInfo | undefined, t: Translate): ViewerRow[] {
  if (!pk) return [row(t("Algorithm"), t("unknown"))];
  const weak = isWeakKey(pk);
  return [
    row(t("Algorithm"), pk.algorithm),
    ...(pk.bits ? [row(t("Size"), t("{0} bits", pk.bits) + (weak ? ` — ${t("below today's minimum")}` : ""), weak ? { tone: "warning" } : {})] : []),
    ...(pk.curve ? [row(t("Curve"), pk.curve)] : []),
    ...(pk.spkiSha256 ? [row(t("SPKI SHA-256"), colonHex(pk.spkiSha256), { mono: true, copy: true, note: t("Identifies the key pair: equal on a certificate, its CSR and its private key.") })] : []),
  ];
}

function extRow(e: ExtensionModel, t: Translate): ViewerRow {
  const label = extensionLabel(e, t);
  const raw = e.name && e.name !== e.oid && e.name !== label ? `${e.name} · ` : "";
  return row(label, extensionText(e), { note: `${raw}${e.oid}${e.critical ? ` · ${t("critical")}` : ""}` });
}

function certificateView(c: CertificateModel, input: ViewerInput, t: Translate): Pick<ViewerObject, "title" | "subtitle" | "badges" | "sections"> {
  const v = validityInfo(c.notBefore, c.notAfter, input.now, input.warnDays);
  const rel = relativeValidity(v, t);
  const tone = v.state === "expired" || v.state === "notYetValid" ? "error" : v.state === "expiring" ? "warning" : "ok";
  const badges: ViewerBadge[] = [];
  badges.push(c.isCA ? { text: c.selfSigned ? t("root CA") : t("intermediate CA"), tone: "info" } : { text: c.selfSigned ? t("self-signed") : t("end entity"), tone: "info" });
  badges.push({ text: rel, tone });
  if (isWeakKey(c.publicKey)) badges.push({ text: t("weak key"), tone: "warning" });
  if (isWeakSignature(c.signatureAlgorithm)) badges.push({ text: t("weak signature"), tone: "warning" });

  const exts = c.extensions ?? [];
  const usage = USAGE_EXTS.map((p) => exts.find((e) => isOneOf(e, p))).filter((e): e is ExtensionModel => !!e);
  const rest = exts.filter((e) => !usage.includes(e) && !isOneOf(e, SAN));
  const usageRows: ViewerRow[] = [row(t("Certificate authority"), c.isCA ? t("yes — may issue certificates") : t("no — end-entity certificate"))];
  for (const e of usage) usageRows.push(extRow(e, t));
  if (!usage.some((e) => isOneOf(e, USAGE_EXTS[2]))) usageRows.push(row(t("Extended key usage"), t("not restricted (no extension)")));

  return {
    title: displayName(c.subject, t),
    subtitle: c.selfSigned ? t("self-signed") : t("issued by {0}", displayName(c.issuer, t)),
    badges,
    sections: [
      section("subject", t("Issued to"), [...dnRows(c.subject, t), ...c.subjectAltNames.map((g, i) => row(i === 0 ? t("Alternative names") : "", generalNameText(g)))]),
      section("issuer", t("Issued by"), [...dnRows(c.issuer, t), ...(c.selfSigned ? [row(t("Self-signed"), t("yes — the issuer is the subject itself"))] : [])]),
      section("validity", t("Validity"), [
        row(t("Not before"), formatTime(c.notBefore)),
        row(t("Not after"), formatTime(c.notAfter)),
        row(t("Status"), rel, { tone }),
        ...(sctText(c, t) ? [row(t("Certificate Transparency"), sctText(c, t)!)] : []),
      ]),
      section("usage", t("What it may be used for"), usageRows),
      section("key", t("Public key and signature"), [
        ...keyRows(c.publicKey, t),
        ...(c.signatureAlgorithm ? [row(t("Signature algorithm"), c.signatureAlgorithm, isWeakSignature(c.signatureAlgorithm) ? { tone: "warning" } : {})] : []),
      ]),
      section("extensions", t("Details"), [
        row(t("Serial number"), serialText(c, t), { mono: true, copy: true, ...(c.serialNumberSigned ? { tone: "error" as const } : {}) }),
        ...(c.version ? [row(t("Version"), `v${c.version}`)] : []),
        row(t("SHA-256 fingerprint"), colonHex(c.fingerprints.sha256), { mono: true, copy: true }),
        row(t("SHA-1 fingerprint"), colonHex(c.fingerprints.sha1), { mono: true, copy: true }),
        ...rest.map((e) => extRow(e, t)),
      ]),
    ],
  };
}

function csrView(c: CsrModel, t: Translate): Pick<ViewerObject, "title" | "subtitle" | "badges" | "sections"> {
  const usage = USAGE_EXTS.map((p) => c.extensions.find((e) => isOneOf(e, p))).filter((e): e is ExtensionModel => !!e);
  const rest = c.extensions.filter((e) => !usage.includes(e) && !isOneOf(e, SAN));
  return {
    title: displayName(c.subject, t),
    subtitle: kindLabel("csr", t),
    badges: [c.signatureValid ? { text: t("signature valid"), tone: "ok" } : { text: t("signature INVALID"), tone: "error" }],
    sections: [
      section("subject", t("Requested for"), [...dnRows(c.subject, t), ...c.subjectAltNames.map((g, i) => row(i === 0 ? t("Alternative names") : "", generalNameText(g)))]),
      section("usage", t("Requested usage"), usage.length ? usage.map((e) => extRow(e, t)) : [row(t("Extensions"), t("none requested"))]),
      section("key", t("Public key and signature"), [
        ...keyRows(c.publicKey, t),
        row(t("Signature algorithm"), c.signatureAlgorithm, isWeakSignature(c.signatureAlgorithm) ? { tone: "warning" } : {}),
        row(t("Signature"), c.signatureValid ? t("valid (signed by the key above)") : t("does not verify with the key above"), { tone: c.signatureValid ? "ok" : "error" }),
      ]),
      section("extensions", t("Details"), [
        ...(c.fingerprints ? [row(t("SHA-256 fingerprint"), colonHex(c.fingerprints.sha256), { mono: true, copy: true })] : []),
        ...rest.map((e) => extRow(e, t)),
      ]),
    ],
  };
}

function crlView(c: CrlModel, input: ViewerInput, t: Translate): Pick<ViewerObject, "title" | "subtitle" | "badges" | "sections"> {
  const next = c.nextUpdate ? validityInfo(c.thisUpdate, c.nextUpdate, input.now, 0) : undefined;
  const stale = next?.state === "expired";
  const shown = c.entries.slice(0, 1000);
  return {
    title: displayName(c.issuer, t),
    subtitle: kindLabel("crl", t),
    badges: [{ text: t("{0} revoked", c.entries.length), tone: "info" }, ...(stale ? [{ text: t("stale"), tone: "warning" as const }] : [])],
    sections: [
      section("issuer", t("Issued by"), dnRows(c.issuer, t)),
      section("validity", t("Validity"), [
        row(t("This update"), formatTime(c.thisUpdate)),
        ...(c.nextUpdate && next ? [row(t("Next update"), `${formatTime(c.nextUpdate)} (${relativeValidity(next, t)})`, { tone: stale ? "warning" : "ok" })] : []),
      ]),
      section(
        "entries",
        t("Revoked certificates"),
        [
          ...shown.map((e) => row(colonHex(e.serialNumber), `${formatTime(e.revocationDate)}${e.reason ? ` · ${e.reason}` : ""}`, { mono: false })),
          ...(c.entries.length > shown.length ? [row("…", t("{0} more", c.entries.length - shown.length))] : []),
        ],
        c.entries.length <= 50,
      ),
      section("extensions", t("Details"), [
        ...(c.crlNumber ? [row(t("CRL number"), c.crlNumber)] : []),
        row(t("Signature algorithm"), c.signatureAlgorithm),
        ...(c.fingerprints ? [row(t("SHA-256 fingerprint"), colonHex(c.fingerprints.sha256), { mono: true, copy: true })] : []),
        ...c.extensions.map((e) => extRow(e, t)),
      ]),
    ],
  };
}

function containerView(c: ContainerModel, t: Translate, locked: boolean): Pick<ViewerObject, "title" | "subtitle" | "badges" | "sections"> {
  const holds = summarize(c.objects, t) || (locked && c.kind === "pkcs12" ? t("unknown until the password is given") : t("nothing"));
  return {
    title: kindLabel(c.kind, t),
    subtitle: holds,
    badges: c.legacy ? [{ text: t("legacy encryption"), tone: "warning" }] : [],
    sections: [
      section("contents", t("Contents and protection"), [
        row(t("Holds"), holds),
        ...c.encryption.map((e, i) => row(i === 0 ? t("Algorithms") : "", e, c.legacy ? { tone: "warning" } : {})),
        ...(c.legacy ? [row(t("Compatibility"), t("legacy algorithms: OpenSSL 3 needs -legacy, and newer Java/.NET/macOS may refuse the file"), { tone: "warning" })] : []),
      ]),
    ],
  };
}
