/**
 * `certscope scan HOST:PORT [--servername NAME] [--timeout MS] [--concurrency N] [--max-connections N] [--json]`
 * (docs/cli.md): what the server accepts. Exit codes: 0 the scan finished with no finding above info,
 * 1 it finished with findings above info, 2 it could not scan (usage, unreachable, not TLS, cancelled).
 * `--timeout` bounds each connection (default 5000 ms); `--max-connections` caps the scan (default 500).
 */
import { EXIT_BAD, EXIT_CODES_NOTE, EXIT_OK, EXIT_USAGE, parseArgs, UsageError, JSON_FLAG, type CliIo, type CommandSpec } from "./args";
import { parseTarget } from "./handshake";
import { CONNECTION_FLAGS, SERVERNAME_FLAG, timeoutFlag, parseProxy, parseStarttls } from "./connection";
import { makeDialer } from "../core/net/dial";
import { scanServer, ScanError, SCAN_DEFAULTS } from "../core/tls/scan/scanner";
import { renderScanText } from "../core/tls/scan/report";

/** The flags of `certscope scan`: this table drives parsing and `certscope scan --help` (append rows). */
export const SCAN: CommandSpec = {
  name: "scan",
  operands: "HOST:PORT",
  summary: "Finds what a TLS server accepts: protocol versions, every cipher suite explained by its parts, key-exchange groups, certificate chains, and findings with the fix.",
  flags: [
    SERVERNAME_FLAG,
    timeoutFlag("bound of each connection in milliseconds (default 5000)"),
    { name: "concurrency", kind: "string", value: "N", help: "connections at a time (default 4, at most 32)" },
    { name: "max-connections", kind: "string", value: "N", help: "most connections the scan may open (default 500)" },
    ...CONNECTION_FLAGS,
    JSON_FLAG,
  ],
  notes: [EXIT_CODES_NOTE, "scan exits 0 when it finished with no finding above info, 1 with findings above info, 2 when it could not scan (unreachable, not TLS, cancelled)."],
};

function positiveInt(v: string | undefined, flag: string, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) <= 0 || Number(v) > max) throw new UsageError(`${flag} must be a whole number from 1 to ${max} (got '${v}')`);
  return Number(v);
}

export async function runScan(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, SCAN);
  if (args.positionals.length !== 1) throw new UsageError("expected exactly one HOST:PORT");
  const { host, port } = parseTarget(args.positionals[0]);
  const s = args.strings;
  const timeoutMs = positiveInt(s.timeout, "--timeout", 120000);
  const concurrency = positiveInt(s.concurrency, "--concurrency", 32);
  const maxConnections = positiveInt(s["max-connections"], "--max-connections", 5000);
  if (maxConnections !== undefined && maxConnections < 10) throw new UsageError("--max-connections must be at least 10");
  const starttls = parseStarttls(s.starttls);
  if (!args.flags.json)
    io.stderr(
      `Scanning ${host}:${port}: at most ${maxConnections ?? SCAN_DEFAULTS.maxConnections} connections, ${concurrency ?? SCAN_DEFAULTS.concurrency} at a time, ${timeoutMs ?? SCAN_DEFAULTS.timeoutMs} ms each…\n`,
    );
  try {
    const proxy = parseProxy(s.proxy);
    const dialer = makeDialer({ host: host.replace(/^\[(.*)\]$/, "$1"), port, proxy, starttls, servername: s.servername });
    const r = await scanServer({ host, port, servername: s.servername, starttls, timeoutMs, concurrency, maxConnections, dialer, signal: io.signal });
    io.stdout(args.flags.json ? JSON.stringify(r, null, 2) + "\n" : renderScanText(r));
    if (io.signal?.aborted) {
      io.stderr("certscope scan: cancelled before the scan finished; the lists above are incomplete.\n");
      return EXIT_USAGE;
    }
    return r.findings.some((f) => f.severity !== "info") ? EXIT_BAD : EXIT_OK;
  } catch (err) {
    if (!(err instanceof ScanError)) throw err;
    if (args.flags.json) io.stdout(JSON.stringify({ target: { host, port, ...(s.servername ? { servername: s.servername } : {}), ...(starttls ? { starttls } : {}) }, error: { category: err.category, message: err.message } }, null, 2) + "\n");
    io.stderr(`certscope scan: ${err.message}\n`);
    return EXIT_USAGE;
  }
}
