/**
 * Safe output of text that came from a file or a server. Certificate fields are attacker-chosen: a CN holding
 * `ESC]0;title BEL ESC[2J` rewrites the user's terminal when printed raw, and a file named
 * `client$(touch PWNED).p12` runs a command when a generated command line is pasted into a shell. Everything
 * CertScope prints or offers to copy goes through these two functions. No DOM, no Node, no vscode.
 */

/**
 * Shows control characters visibly: C0 (except none: tab and newline too, since a field is one line), DEL,
 * C1 (U+0080–U+009F, which some terminals read as CSI), and the bidi controls that reorder what is shown
 * (U+200E/F, U+202A–U+202E, U+2066–U+2069) and the Unicode line/paragraph separators. Each becomes `\xHH` / `\uHHHH`; a backslash stays as it is.
 */
export function escapeControl(s: string): string {
  if (!/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(s)) return s;
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, "0")}` : `\\u${n.toString(16).padStart(4, "0")}`;
  });
}

/** A part of a shell word: literal text, or a reference to an environment variable (expanded by the shell). */
export type ShellPart = string | { env: string };

/**
 * One word of a POSIX sh command line: literal parts in single quotes (nothing inside is special; `'` is
 * written `'\''`), environment variables as `"$NAME"`, concatenated without spaces. A word of safe characters
 * only stays bare. `shellWord("a b")` → `'a b'`; `shellWord(["x$(id).p12:", { env: "PW" }])` → `'x$(id).p12:'"$PW"`.
 */
export function shellWord(word: string | ShellPart[]): string {
  const parts = typeof word === "string" ? [word] : word;
  const out = parts.map((p) => {
    if (typeof p !== "string") {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(p.env)) throw new Error(`not an environment variable name: ${p.env}`);
      return `"$${p.env}"`;
    }
    if (p !== "" && /^[A-Za-z0-9_@%+=:,./-]+$/.test(p)) return p;
    return `'${p.replace(/'/g, `'\\''`)}'`;
  });
  return out.join("") || "''";
}

/** A whole POSIX sh command line from its words (see shellWord). */
export function shellCommand(words: (string | ShellPart[])[]): string {
  return words.map(shellWord).join(" ");
}

/** escapeControl for a multi-line report: line breaks stay, every other control character is escaped. */
export function escapeLines(s: string): string {
  return s.split("\n").map(escapeControl).join("\n");
}
