/**
 * The one vocabulary (src/shared/format.ts): one form per kind of value, the display time zone, TLS versions in
 * every spelling users write them, and chain badges a user can read.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { chainSourceBadge, displayTimeZone, formatDay, formatTime, hexId, parseTlsVersion, setDisplayTimeZone, tlsVersionName } from "../../src/shared/format";
import { main } from "../../src/cli";

test("formatTime: one form, with seconds, in UTC by default; text that is not a time stays as it is", () => {
  assert.equal(formatTime("2027-12-03T07:14:35Z"), "2027-12-03 07:14:35 UTC");
  assert.equal(formatTime("2027-12-03T07:14:35.123Z"), "2027-12-03 07:14:35 UTC");
  assert.equal(formatTime(new Date(Date.UTC(2026, 0, 2, 3, 4, 5))), "2026-01-02 03:04:05 UTC");
  assert.equal(formatTime("not a date"), "not a date");
  assert.equal(formatTime(undefined), "");
  assert.equal(formatDay("2027-12-03T23:59:59Z", "utc"), "2027-12-03");
});

test("formatTime in local time: the same form with the offset from UTC", () => {
  const iso = "2027-06-03T07:14:35Z";
  const text = formatTime(iso, "local");
  const m = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d) UTC(?:([+-])(\d\d):(\d\d))?$/.exec(text);
  assert.ok(m, text);
  const offsetMin = m[7] ? (m[7] === "-" ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9])) : 0;
  const back = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) - offsetMin * 60_000;
  assert.equal(back, Date.parse(iso));
});

test("setDisplayTimeZone: utc | local, anything else is utc; the default zone follows it", () => {
  try {
    assert.equal(setDisplayTimeZone("local"), "local");
    assert.equal(formatTime("2027-06-03T07:14:35Z"), formatTime("2027-06-03T07:14:35Z", "local"));
    assert.equal(setDisplayTimeZone("Europe/Paris"), "utc");
    assert.equal(setDisplayTimeZone(undefined), "utc");
    assert.equal(displayTimeZone(), "utc");
  } finally {
    setDisplayTimeZone("utc");
  }
});

test("hex identifiers: serials, fingerprints and SPKI hashes in one form", () => {
  assert.equal(hexId("1001"), "10:01");
  assert.equal(hexId("0f3aBC"), "0F:3A:BC");
  assert.equal(hexId("10:01"), "10:01");
  assert.equal(hexId(""), "");
});

const versions: [string, string | undefined][] = [
  ["1.2", "1.2"],
  ["TLSv1.2", "1.2"],
  ["tls1.2", "1.2"],
  ["TLS 1.3", "1.3"],
  ["tlsv1.3", "1.3"],
  ["TLSv1", "1.0"],
  ["1.0", "1.0"],
  ["1", undefined],
  ["1.4", undefined],
  ["SSLv3", undefined],
  ["2", undefined],
  ["", undefined],
];
for (const [input, want] of versions) {
  test(`parseTlsVersion(${JSON.stringify(input)}) = ${want}`, () => assert.equal(parseTlsVersion(input), want));
}

test("tlsVersionName writes the form the UI and JSON use", () => {
  assert.equal(tlsVersionName("1.2"), "TLSv1.2");
  assert.equal(tlsVersionName("1.0"), "TLSv1");
  for (const v of ["1.0", "1.1", "1.2", "1.3"] as const) assert.equal(parseTlsVersion(tlsVersionName(v)), v);
});

test("certscope handshake takes --tls-max 1.2, TLSv1.2 and tls1.2 alike (and rejects a bad one with the forms it takes)", async () => {
  const io = (sink: { err: string }) => ({ stdout: () => {}, stderr: (t: string) => (sink.err += t), env: {} });
  for (const v of ["1.2", "TLSv1.2", "tls1.2"]) {
    const sink = { err: "" };
    // --tls-min above --tls-max is a usage error found after both versions are read: proves both parsed.
    const code = await main(["handshake", "127.0.0.1:1", "--tls-min", "1.3", "--tls-max", v], io(sink));
    assert.equal(code, 2);
    assert.match(sink.err, /--tls-min is above --tls-max/, v);
  }
  const sink = { err: "" };
  assert.equal(await main(["handshake", "127.0.0.1:1", "--tls-max", "TLSv9"], io(sink)), 2);
  assert.match(sink.err, /--tls-max must be one of 1\.0, 1\.1, 1\.2, 1\.3 \(or TLSv1\.2/);
});

test("chain badges: plain words and a tooltip for every source; a server's chain says 'sent by the server'", () => {
  for (const s of ["leaf", "file", "untrusted", "trusted", "system", "aia"]) {
    const b = chainSourceBadge(s);
    assert.ok(b.text && b.text !== s && !/^(file|untrusted|extra intermediate)$/.test(b.text), `${s}: ${b.text}`);
    assert.ok(b.tooltip.length > 20, s);
  }
  assert.equal(chainSourceBadge("file", "server").text, "sent by the server");
  assert.equal(chainSourceBadge("weird").text, "weird");
});

test("the handshake panel's form takes TLSv1.2 and tls1.2 as 1.2, and still refuses a bad version", async () => {
  const { emptyForm, parseForm } = await import("../../src/shared/protocol/handshake");
  const ok = parseForm({ ...emptyForm(), host: "h", tlsMin: "TLSv1.2", tlsMax: "tls1.3" });
  assert.ok(!("invalid" in ok));
  assert.equal(ok.tlsMin, "1.2");
  assert.equal(ok.tlsMax, "1.3");
  assert.ok("invalid" in parseForm({ ...emptyForm(), host: "h", tlsMin: "TLSv2" }));
});
