// The Chromium run: bundles browser.mjs from the scratch consumer for the browser, serves it
// from a loopback http server, opens it in Debian's Chromium through playwright-core with a
// fresh profile, and reads the verdict back. Any console error or page error fails the run.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const HOST = '127.0.0.1';
// Without these, Chromium reaches for Google's services at start-up: this machine's closed
// network refuses them, and each refusal is a console error or a stall.
const ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const PAGE = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>learner-status smoke</title></head><body><script type="module" src="/smoke.js"></script></body></html>`;

/** The verdict the page computes; `{ verdict, consoleErrors }`. */
export async function chromiumVerdict({ consumer, executablePath }) {
  const bundle = await build({
    entryPoints: [join(consumer, 'browser.mjs')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'error',
  });
  const script = bundle.outputFiles[0].text;
  const server = createServer((request, response) => {
    const body = request.url === '/' ? PAGE : request.url === '/smoke.js' ? script : undefined;
    if (body === undefined) {
      response.writeHead(404).end();
      return;
    }
    const type = request.url === '/' ? 'text/html' : 'text/javascript';
    response.writeHead(200, { 'content-type': `${type}; charset=utf-8` }).end(body);
  });
  await new Promise((resolve) => server.listen(0, HOST, resolve));
  const profile = mkdtempSync(join(tmpdir(), 'learner-status-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: ARGS,
      timeout: 60_000,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const consoleErrors = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(String(error?.stack ?? error)));
    await page.goto(`http://${HOST}:${server.address().port}/`, { timeout: 60_000 });
    await page.waitForFunction(() => typeof globalThis.runSmoke === 'function', null, {
      timeout: 60_000,
    });
    const json = await page.evaluate(() => globalThis.runSmoke());
    return { verdict: JSON.parse(json), consoleErrors };
  } finally {
    await context?.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
