// A stand-in for the `vscode` module, enough to load dist/extension.js (or src/adapters) in plain Node:
// the activation bench and the document-service test use it. Real classes for what the text surfaces use
// (events, positions, ranges, hovers, symbols, diagnostics); registrations are recorded in `fake` so a caller
// can invoke the providers. Anything else is a permissive no-op proxy, so other features' register
// functions run without a real editor.
"use strict";

function anything(name) {
  const fn = function () {};
  const props = new Map();
  return new Proxy(fn, {
    set(_t, p, v) {
      props.set(p, v);
      return true;
    },
    defineProperty(_t, p, d) {
      props.set(p, d.value);
      return true;
    },
    get(_t, p) {
      if (props.has(p)) return props.get(p);
      if (p === "dispose") return () => {};
      if (p === "then") return undefined;
      if (p === Symbol.toPrimitive) return () => `[fake ${name}]`;
      if (p === Symbol.iterator) return function* () {};
      if (p === Symbol.hasInstance) return () => false;
      if (p === "length") return 0;
      return anything(`${name}.${String(p)}`);
    },
    apply() {
      return anything(`${name}()`);
    },
    construct() {
      return anything(`new ${name}`);
    },
  });
}

class Disposable {
  constructor(fn) {
    this._fn = fn;
  }
  dispose() {
    if (this._fn) this._fn();
    this._fn = undefined;
  }
  static from(...ds) {
    return new Disposable(() => ds.forEach((d) => d && d.dispose && d.dispose()));
  }
}

class EventEmitter {
  constructor() {
    this.listeners = new Set();
    this.event = (listener, thisArg) => {
      const l = thisArg ? listener.bind(thisArg) : listener;
      this.listeners.add(l);
      return new Disposable(() => this.listeners.delete(l));
    };
  }
  fire(value) {
    for (const l of [...this.listeners]) l(value);
  }
  dispose() {
    this.listeners.clear();
  }
}

class CancellationError extends Error {
  constructor() {
    super("Canceled");
    this.name = "Canceled";
  }
}

class CancellationTokenSource {
  constructor() {
    const emitter = new EventEmitter();
    this._emitter = emitter;
    this.token = { isCancellationRequested: false, onCancellationRequested: emitter.event };
  }
  cancel() {
    if (this.token.isCancellationRequested) return;
    this.token.isCancellationRequested = true;
    this._emitter.fire();
  }
  dispose() {}
}

class Position {
  constructor(line, character) {
    this.line = line;
    this.character = character;
  }
}

class Range {
  constructor(a, b, c, d) {
    if (a instanceof Position) {
      this.start = a;
      this.end = b;
    } else {
      this.start = new Position(a, b);
      this.end = new Position(c, d);
    }
  }
}

class MarkdownString {
  constructor(value = "", supportThemeIcons = false) {
    this.value = value;
    this.supportThemeIcons = supportThemeIcons;
  }
}

class Hover {
  constructor(contents, range) {
    this.contents = Array.isArray(contents) ? contents : [contents];
    this.range = range;
  }
}

class DocumentSymbol {
  constructor(name, detail, kind, range, selectionRange) {
    Object.assign(this, { name, detail, kind, range, selectionRange, children: [] });
  }
}

class CodeLens {
  constructor(range, command) {
    this.range = range;
    this.command = command;
  }
}

class Diagnostic {
  constructor(range, message, severity) {
    Object.assign(this, { range, message, severity });
  }
}

class Uri {
  constructor(scheme, path) {
    this.scheme = scheme;
    this.path = path;
    this.fsPath = path;
  }
  static file(p) {
    return new Uri("file", p);
  }
  static parse(s) {
    const m = /^([a-z-]+):(?:\/\/)?(.*)$/.exec(s);
    return m ? new Uri(m[1], m[2]) : new Uri("file", s);
  }
  static joinPath(base, ...parts) {
    return new Uri(base.scheme, [base.path, ...parts].join("/"));
  }
  toString() {
    return `${this.scheme}://${this.path}`;
  }
}

const fake = {
  providers: { hover: [], symbols: [], codeLens: [] },
  commands: new Map(),
  diagnostics: new Map(),
  logLines: [],
  settings: {},
  events: {
    open: new EventEmitter(),
    change: new EventEmitter(),
    close: new EventEmitter(),
    config: new EventEmitter(),
  },
  textDocuments: [],
};

/** A TextDocument over a string; `edit(text)` replaces the text, bumps the version and fires the change event. */
function makeDocument(path, text, languageId = "plaintext") {
  let starts;
  const doc = {
    uri: Uri.file(path),
    fileName: path,
    languageId,
    version: 1,
    isClosed: false,
    getText: () => text,
    offsetAt(pos) {
      if (!starts) {
        starts = [0];
        for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
      }
      return Math.min(text.length, (starts[pos.line] ?? text.length) + pos.character);
    },
    edit(next) {
      text = next;
      starts = undefined;
      doc.version++;
      fake.events.change.fire({ document: doc, contentChanges: [{ text: next }] });
    },
  };
  return doc;
}

const LogLevel = { Off: 0, Trace: 1, Debug: 2, Info: 3, Warning: 4, Error: 5 };

const outputChannel = (name) => {
  const rec = (level) => (msg) => fake.logLines.push(`[${level}] ${msg}`);
  return {
    name,
    logLevel: LogLevel.Info,
    onDidChangeLogLevel: new EventEmitter().event,
    trace: rec("trace"),
    debug: rec("debug"),
    info: rec("info"),
    warn: rec("warn"),
    error: rec("error"),
    append: rec("append"),
    appendLine: rec("line"),
    replace() {},
    clear() {},
    show() {},
    hide() {},
    dispose() {},
  };
};

/** Classes other features construct or test with `instanceof` (bundles copy the module's own keys only). */
const generic = {};
for (const name of ["TabInputCustom", "TabInputText", "TabInputTextDiff", "TreeItem", "ThemeIcon", "ThemeColor", "RelativePattern", "WorkspaceEdit", "Selection", "Location", "SnippetString", "DataTransferItem", "FileSystemError", "CodeAction", "CodeActionKind", "CompletionItem", "TextEdit"]) {
  generic[name] = class {
    constructor(...args) {
      this.args = args;
    }
  };
}
generic.ThemeIcon.File = new generic.ThemeIcon("file");
generic.ThemeIcon.Folder = new generic.ThemeIcon("folder");
const enums = {
  StatusBarAlignment: { Left: 1, Right: 2 },
  ViewColumn: { Active: -1, Beside: -2, One: 1, Two: 2 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  TextEditorRevealType: { Default: 0, InCenter: 1, InCenterIfOutsideViewport: 2, AtTop: 3 },
  FileType: { Unknown: 0, File: 1, Directory: 2, SymbolicLink: 64 },
  QuickPickItemKind: { Separator: -1, Default: 0 },
  ColorThemeKind: { Light: 1, Dark: 2, HighContrast: 3, HighContrastLight: 4 },
  ExtensionMode: { Production: 1, Development: 2, Test: 3 },
  EndOfLine: { LF: 1, CRLF: 2 },
};

const real = {
  ...generic,
  ...enums,
  fake,
  makeDocument,
  Disposable,
  EventEmitter,
  CancellationError,
  CancellationTokenSource,
  Position,
  Range,
  MarkdownString,
  Hover,
  DocumentSymbol,
  CodeLens,
  Diagnostic,
  Uri,
  LogLevel,
  SymbolKind: new Proxy({}, { get: (_t, p) => String(p) }),
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
  TreeItemCollapsibleState: { None: 0, Collapsed: 1, Expanded: 2 },
  l10n: {
    t: (message, ...args) => String(message).replace(/\{(\d+)\}/g, (m, i) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : m)),
  },
  window: new Proxy(
    { createOutputChannel: (name) => outputChannel(name) },
    { get: (t, p) => (p in t ? t[p] : anything(`window.${String(p)}`)) },
  ),
  workspace: new Proxy(
    {
      get textDocuments() {
        return fake.textDocuments;
      },
      getConfiguration: (section) => ({
        get: (key, dflt) => {
          const v = fake.settings[`${section}.${key}`];
          return v === undefined ? dflt : v;
        },
        has: () => false,
        inspect: () => undefined,
        update: async () => {},
      }),
      onDidOpenTextDocument: fake.events.open.event,
      onDidChangeTextDocument: fake.events.change.event,
      onDidCloseTextDocument: fake.events.close.event,
      onDidChangeConfiguration: fake.events.config.event,
    },
    { get: (t, p) => (p in t ? t[p] : anything(`workspace.${String(p)}`)) },
  ),
  languages: new Proxy(
    {
      registerHoverProvider: (_sel, p) => (fake.providers.hover.push(p), new Disposable()),
      registerDocumentSymbolProvider: (_sel, p) => (fake.providers.symbols.push(p), new Disposable()),
      registerCodeLensProvider: (_sel, p) => (fake.providers.codeLens.push(p), new Disposable()),
      createDiagnosticCollection: (name) => ({
        name,
        set: (uri, ds) => fake.diagnostics.set(uri.toString(), ds),
        delete: (uri) => fake.diagnostics.delete(uri.toString()),
        clear: () => fake.diagnostics.clear(),
        dispose() {},
      }),
    },
    { get: (t, p) => (p in t ? t[p] : anything(`languages.${String(p)}`)) },
  ),
  commands: new Proxy(
    {
      registerCommand: (id, fn) => (fake.commands.set(id, fn), new Disposable(() => fake.commands.delete(id))),
      executeCommand: async (id, ...args) => (fake.commands.has(id) ? fake.commands.get(id)(...args) : undefined),
    },
    { get: (t, p) => (p in t ? t[p] : anything(`commands.${String(p)}`)) },
  ),
};

module.exports = new Proxy(real, { get: (t, p) => (p in t ? t[p] : anything(String(p))) });
