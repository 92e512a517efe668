/**
 * Real servers for the connection tests, on 127.0.0.1 only, on ports the test picks, stopped by the test:
 * nginx (Debian's, its own -p DIR -c nginx.conf), PostgreSQL (initdb in a temp dir as the `postgres` user),
 * tinyproxy (open, refusing, Basic auth), SMTP with STARTTLS (aiosmtpd) and a small IMAP STARTTLS server.
 * Each start retries on a port race and throws with the server's own output when it cannot start.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync, chownSync, chmodSync, existsSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as net from "node:net";
import { closedPort, type Running } from "../tls/helpers";

const HERE = new URL(".", import.meta.url).pathname;

/** Waits until 127.0.0.1:port accepts a connection (or the child exits / the bound passes). */
export async function waitPort(port: number, child: ChildProcess, ms = 20000, output?: () => string): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}) before listening: ${output?.() ?? ""}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: "127.0.0.1", port });
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not listen on ${port} within ${ms} ms: ${output?.() ?? ""}`);
}

function stop(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const t = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(t);
      resolve();
    });
    child.kill(signal);
  });
}

async function startChild(cmd: string, args: (port: number) => string[], opts: { cwd?: string; signal?: NodeJS.Signals; ready?: RegExp; onPort?: (port: number) => void } = {}): Promise<Running> {
  let last = "";
  for (let tryNo = 0; tryNo < 3; tryNo++) {
    const port = await closedPort();
    opts.onPort?.(port);
    const child = spawn(cmd, args(port), { cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout!.on("data", (b) => (out += b));
    child.stderr!.on("data", (b) => (out += b));
    try {
      await waitPort(port, child, 20000, () => out);
      return { port, close: () => stop(child, opts.signal) };
    } catch (err) {
      last = (err as Error).message;
      await stop(child, "SIGKILL");
    }
  }
  throw new Error(`${cmd} did not start: ${last}`);
}

// ───────────────────────────── nginx ─────────────────────────────

export interface NginxOptions {
  certFile: string;
  keyFile: string;
  clientCaFile: string;
  verify: "on" | "optional";
  /** With "optional": answer 403 unless the client certificate verified (the common $ssl_client_verify rule). */
  forbidWithout?: boolean;
  http2?: boolean;
}

export async function startNginx(o: NginxOptions): Promise<Running & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "certscope-nginx-"));
  const run = await startChild("nginx", () => ["-p", dir, "-c", "nginx.conf", "-e", join(dir, "error.log")], {
    signal: "SIGQUIT",
    onPort: (port) =>
      writeFileSync(
        join(dir, "nginx.conf"),
        `daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 64; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port} ssl${o.http2 ? " http2" : ""};
    server_name localhost;
    ssl_certificate ${o.certFile};
    ssl_certificate_key ${o.keyFile};
    ssl_client_certificate ${o.clientCaFile};
    ssl_verify_client ${o.verify};
    location / {
      ${o.forbidWithout ? "if ($ssl_client_verify != SUCCESS) { return 403; }" : ""}
      return 200 "hello $ssl_client_s_dn\\n";
    }
  }
}
`,
      ),
  });
  return { ...run, dir, close: async () => (await run.close(), rmSync(dir, { recursive: true, force: true })) };
}

// ───────────────────────────── PostgreSQL ─────────────────────────────

function pgBin(): string {
  const versions = readdirSync("/usr/lib/postgresql").filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  if (!versions.length) throw new Error("PostgreSQL is not installed (/usr/lib/postgresql): run scripts/setup.sh");
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

export interface PostgresOptions {
  certPem: string;
  keyPem: string;
  clientCaPem: string;
  /** Roles to create (a client certificate's CN is the user for `cert` authentication). */
  roles: string[];
}

/** initdb in a temp dir as the `postgres` user; ssl = on; hostssl … cert clientcert=verify-full. */
export async function startPostgres(o: PostgresOptions): Promise<Running & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "certscope-pg-"));
  const pwd = spawnSync("id", ["-u", "postgres"]);
  if (pwd.status !== 0) throw new Error("no 'postgres' user: run scripts/setup.sh (Debian postgresql)");
  const uid = Number(pwd.stdout.toString());
  const gid = Number(spawnSync("id", ["-g", "postgres"]).stdout.toString());
  chownSync(dir, uid, gid);
  chmodSync(dir, 0o700);
  const data = join(dir, "data");
  const bin = pgBin();
  const as = (args: string[]) => spawnSync("runuser", ["-u", "postgres", "--", ...args], { cwd: dir, encoding: "utf8" });
  const init = as([`${bin}/initdb`, "-D", data, "-A", "trust", "-U", "postgres", "--no-sync"]);
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  const put = (name: string, text: string, mode = 0o600) => {
    const p = join(data, name);
    writeFileSync(p, text, { mode });
    chownSync(p, uid, gid);
    return p;
  };
  put("server.crt", o.certPem);
  put("server.key", o.keyPem);
  put("client-ca.crt", o.clientCaPem);
  put("pg_hba.conf", "local all all trust\nhostssl all all 127.0.0.1/32 cert clientcert=verify-full\n");
  const run = await startChild("runuser", (port) => {
    put(
      "postgresql.auto.conf",
      `port = ${port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${dir}'\nssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\nssl_ca_file = 'client-ca.crt'\nfsync = off\nlogging_collector = off\n`,
    );
    return ["-u", "postgres", "--", `${bin}/postgres`, "-D", data];
  }, { cwd: dir, signal: "SIGINT" });
  const port = run.port;
  for (const role of o.roles) {
    const r = as([`${bin}/psql`, "-h", dir, "-p", String(port), "-U", "postgres", "-d", "postgres", "-c", `CREATE ROLE "${role.replace(/"/g, "")}" LOGIN`]);
    if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
  }
  return { port, dir, close: async () => (await run.close(), rmSync(dir, { recursive: true, force: true })) };
}

// ───────────────────────────── tinyproxy ─────────────────────────────

export interface ProxyOptions {
  /** Allow CONNECT only to these ports (others: 403). Default: any port. */
  connectPorts?: number[];
  basicAuth?: { user: string; password: string };
}

export async function startTinyproxy(o: ProxyOptions = {}): Promise<Running & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "certscope-proxy-"));
  chmodSync(dir, 0o755);
  const run = await startChild("tinyproxy", (port) => {
    const conf = [
      `Port ${port}`,
      "Listen 127.0.0.1",
      "Allow 127.0.0.1",
      "Timeout 30",
      "MaxClients 20",
      "LogLevel Info",
      "User nobody",
      "Group nogroup",
      ...(o.connectPorts ?? []).map((p) => `ConnectPort ${p}`),
      ...(o.basicAuth ? [`BasicAuth ${o.basicAuth.user} ${o.basicAuth.password}`] : []),
    ].join("\n");
    writeFileSync(join(dir, "tinyproxy.conf"), `${conf}\n`);
    return ["-d", "-c", join(dir, "tinyproxy.conf")];
  });
  return { ...run, dir, close: async () => (await run.close(), rmSync(dir, { recursive: true, force: true })) };
}

// ───────────────────────────── SMTP / IMAP ─────────────────────────────

const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

/** smtp: aiosmtpd with STARTTLS; smtp-plain: without; the others: textservers.py's small servers. */
export function startTextServer(kind: "smtp" | "smtp-plain" | "imap" | "pop3" | "ftp" | "ldap" | "xmpp" | "mysql", certFile: string, keyFile: string): Promise<Running> {
  return startChild(PYTHON, (port) => [join(HERE, "textservers.py"), kind, String(port), certFile, keyFile]);
}
