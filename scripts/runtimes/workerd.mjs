// The workerd run: bundles worker.mjs from the scratch consumer as a Worker is deployed, serves
// it with `workerd serve` on a free loopback port, POSTs the smoke program's CSV upload and
// reads the verdict back. The server is always ended, whatever happened.
import { writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';
import { build } from 'esbuild';
import { start } from './process.mjs';
import { CSV_FILES } from './smoke.mjs';

const HOST = '127.0.0.1';

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

const accepts = (port) =>
  new Promise((resolve) => {
    const socket = connect(port, HOST);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

/** The verdict workerd's Worker answers; throws with workerd's output when there is none. */
export async function workerdVerdict({ consumer, workerd, compatibilityDate }) {
  await build({
    entryPoints: [join(consumer, 'worker.mjs')],
    outfile: join(consumer, 'worker.js'),
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    // What wrangler resolves for a Worker; the package needs none of them, a dependency might.
    conditions: ['workerd', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    target: 'es2022',
    logLevel: 'error',
  });
  const port = await freePort();
  writeFileSync(
    join(consumer, 'workerd.capnp'),
    `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "smoke", worker = .smokeWorker)],
  sockets = [(name = "http", address = "${HOST}:${port}", http = (), service = "smoke")],
);
const smokeWorker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = "${compatibilityDate}",
);
`,
  );
  const server = start(workerd, ['serve', 'workerd.capnp'], { cwd: consumer, timeoutMs: 120_000 });
  let exited = false;
  server.done.then(() => {
    exited = true;
  });
  try {
    const deadline = performance.now() + 30_000;
    while (!(await accepts(port))) {
      if (exited || performance.now() > deadline)
        throw new Error(`not listening on ${HOST}:${port}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const response = await fetch(`http://${HOST}:${port}/`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: new Blob(CSV_FILES.comma.chunks),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`the Worker answered ${response.status}:\n${text}`);
    return JSON.parse(text);
  } catch (error) {
    const output = server.output().trim();
    throw new Error(`workerd: ${error.message}${output ? `\nworkerd's output:\n${output}` : ''}`);
  } finally {
    await server.stop();
  }
}
