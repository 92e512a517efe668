#!/usr/bin/env node
// The demo's runner (scripts/demo.sh does set-up, build and packaging first): makes the demo workspace in the
// git-ignored .e2e/demo/, an mTLS test kit and a local test server through CertScope's own core (dist/core.js),
// installs the .vsix into a fresh code-server on 127.0.0.1 and prints the address. Ctrl-C stops it all.
import { createRequire } from "node:module";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { FIXTURE, makeWorkspace } from "../test/e2e/fixtures.mjs";
import { startCodeServer } from "../test/e2e/harness.mjs";
import { DEMO_GUIDE, DEMO_SETTINGS, writeDemoGuide, writeDemoJwks } from "./demo-guide.mjs";

const root = resolve(new URL("..", import.meta.url).pathname);
const vsix = resolve(process.argv[2] ?? join(root, ".e2e/demo/certscope.vsix"));
const demo = join(root, ".e2e/demo");
const workspace = join(demo, "workspace");
const core = createRequire(import.meta.url)(join(root, "dist/core.js"));

const port = process.env.PORT ? Number(process.env.PORT) : undefined;
if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
  console.error(`demo: PORT must be a TCP port number, not ${JSON.stringify(process.env.PORT)}`);
  process.exit(2);
}

rmSync(workspace, { recursive: true, force: true });
await makeWorkspace(workspace);
const kitDir = join(workspace, "mtls-lab");
await core.writeTestKit(kitDir);
const lab = await core.startTestServer({
  mode: "required",
  kitDir,
  port: 0,
  onEvent: (e) => console.log(`demo: test server: ${e.remote} ${e.outcome}: ${e.message}`),
});
const target = `127.0.0.1:${lab.port}`;

// Saved endpoints for "Test TLS Handshake" / "Run Saved Endpoint": the local server without and with the kit's
// client certificate. Paths are absolute so they work whatever the setting's base folder is.
mkdirSync(join(workspace, ".vscode"), { recursive: true });
writeFileSync(
  join(workspace, ".vscode/settings.json"),
  JSON.stringify(
    {
      "certscope.endpoints": [
        { name: "Local mTLS test server, no client certificate", host: "127.0.0.1", port: lab.port, servername: "localhost", ca: [join(kitDir, "ca.crt")] },
        {
          name: "Local mTLS test server, with the kit's client certificate",
          host: "127.0.0.1",
          port: lab.port,
          servername: "localhost",
          ca: [join(kitDir, "ca.crt")],
          cert: join(kitDir, "client.crt"),
          key: join(kitDir, "client.key"),
        },
      ],
    },
    null,
    2,
  ) + "\n",
);
writeDemoJwks(workspace, FIXTURE.der);
writeDemoGuide(workspace, target);

const server = await startCodeServer({ work: join(demo, "vscode"), workspace, vsix, port, handleSignals: false, settings: DEMO_SETTINGS });
let stopping = false;
async function stop(code = 0) {
  if (stopping) return;
  stopping = true;
  console.log("\ndemo: stopping code-server and the test server…");
  await Promise.allSettled([server.stop(), lab.close()]);
  process.exit(code);
}
process.on("SIGINT", () => void stop(0));
process.on("SIGTERM", () => void stop(0));

console.log(`
  CertScope is running in VS Code (code-server ${server.port === port ? "on your PORT" : "on a free port"}):

      ${server.url}

  Demo workspace: ${workspace}
  It opens on ${DEMO_GUIDE}, the guide: what each file shows and what to try.
  Local mTLS test server (client certificate required): ${target}
  Press Ctrl-C to stop.
`);
// Stay in the foreground until Ctrl-C.
setInterval(() => {}, 1 << 30);
