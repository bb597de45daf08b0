// Shared by the end-to-end tests (app.test.mjs) and the measurements (perf.mjs): a static file
// server for dist/, Chromium, the ecs-iam CLI as the oracle, and a browser session that records
// every request, page error and console error.

import { createServer } from 'node:http';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = path.resolve(ROOT, process.env.ECS_IAM_DIST || 'dist');
export const BIN = path.resolve(ROOT, process.env.ECS_IAM_BIN || 'target/debug/ecs-iam');
export const FIXTURES = path.join(ROOT, 'tests', 'fixtures');
export const ARTIFACTS = path.join(ROOT, 'tests', 'artifacts');
export const AXE = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');
export const PATTERNS = path.join(ROOT, 'crates', 'core', 'catalog', 'patterns.json');

const require = createRequire(import.meta.url);
export const { chromium } = require(path.join(ROOT, 'node_modules', 'playwright-core'));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves `root` under `prefix` (such as `/` or `/tools/iam/`) on 127.0.0.1 and a random port.
 * Anything outside the prefix is a 404, so an asset asked for at the wrong path shows up.
 * `server.log` lists every request path; `server.close()` stops it (and drops open sockets).
 * `headers` are sent with every response (a host page's Content-Security-Policy, say).
 */
export async function startServer({ root = DIST, prefix = '/', headers: extra = {} } = {}) {
  assert.ok(prefix.startsWith('/') && prefix.endsWith('/'), `prefix ${prefix} must start and end with /`);
  assert.ok(existsSync(path.join(root, 'index.html')), `${root}/index.html is missing: build the app first (trunk build --release)`);
  const log = [];
  const sockets = new Set();
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    log.push({ method: req.method, path: url.pathname });
    const send = (status, headers, body) => {
      res.writeHead(status, { 'cache-control': 'no-cache', ...extra, ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { 'content-type': 'text/plain' }, 'method not allowed\n');
    if (url.pathname === prefix.slice(0, -1) && prefix !== '/') return send(301, { location: prefix + url.search }, '');
    if (!url.pathname.startsWith(prefix)) return send(404, { 'content-type': 'text/plain' }, 'not found\n');
    let rel;
    try {
      rel = decodeURIComponent(url.pathname.slice(prefix.length));
    } catch {
      return send(400, { 'content-type': 'text/plain' }, 'bad path\n');
    }
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.resolve(root, rel);
    if (!file.startsWith(root + path.sep)) return send(404, { 'content-type': 'text/plain' }, 'not found\n');
    let body;
    try {
      if (!statSync(file).isFile()) throw new Error('not a file');
      body = readFileSync(file);
    } catch {
      return send(404, { 'content-type': 'text/plain' }, 'not found\n');
    }
    const type = TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
    send(200, { 'content-type': type, 'content-length': body.length }, body);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    url: origin + prefix,
    prefix,
    log,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

// ---- the oracle -------------------------------------------------------------------------------

const renderCache = new Map();

/** `ecs-iam render - --format FORMAT` on a configuration JSON text: its stdout, exactly. */
export function cliRender(configJson, format) {
  const key = `${format}\n${configJson}`;
  if (!renderCache.has(key)) {
    const r = spawnSync(BIN, ['render', '-', '--format', format], { input: configJson, encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(r.status, 0, `ecs-iam render --format ${format} failed (${r.status}): ${r.stderr}\n${configJson}`);
    renderCache.set(key, r.stdout);
  }
  return renderCache.get(key);
}

/** `ecs-iam render FILE --format FORMAT` on a file. */
export function cliRenderFile(file, format) {
  return execFileSync(BIN, ['render', file, '--format', format], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

/** What the CLI says about an invalid configuration: `{status, stderr}`. */
export function cliReject(configJson) {
  const r = spawnSync(BIN, ['render', '-', '--format', 'json'], { input: configJson, encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr, stdout: r.stdout };
}

/** The output formats, from the CLI's catalogue (in its order). */
export function cliFormats() {
  const catalog = JSON.parse(execFileSync(BIN, ['catalog', '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 }));
  return catalog.formats.map((f) => f.id);
}

// ---- share links --------------------------------------------------------------------------------

/** `#config=<base64url, no padding>&format=<id>` as `{config, format, configParam}`. */
export function parseFragment(hash) {
  const params = new Map(hash.replace(/^#/, '').split('&').map((p) => {
    const k = p.indexOf('=');
    return k < 0 ? [p, ''] : [p.slice(0, k), p.slice(k + 1)];
  }));
  const configParam = params.get('config');
  assert.ok(configParam !== undefined, `no config in the fragment ${hash}`);
  assert.match(configParam, /^[A-Za-z0-9_-]*$/, 'the config is base64url without padding');
  const config = Buffer.from(configParam, 'base64url').toString('utf8');
  assert.equal(Buffer.from(config, 'utf8').toString('base64url'), configParam, 'the config decodes and re-encodes to the same text');
  return { config, format: params.get('format'), configParam };
}

export function makeFragment(configJson, format) {
  return `#config=${Buffer.from(configJson, 'utf8').toString('base64url')}&format=${format}`;
}

// ---- a browser session ------------------------------------------------------------------------

/**
 * A fresh browser context (no storage) with one page, recording every request URL, every
 * page error and every console error. `finish()` asserts that nothing went to another origin
 * (only `origin`, data: and blob: are allowed) and that the page raised no error. The context
 * is closed after the test.
 */
const sessions = new WeakMap();

export async function session(t, browser, origin, options = {}) {
  const { allowConsole = [], ...contextOptions } = options;
  const context = await browser.newContext(contextOptions);
  sessions.set(t, (sessions.get(t) || 0) + 1);
  const index = sessions.get(t);
  const requests = [];
  // What the page itself asked for (the service worker's precaching left out).
  const pageRequests = [];
  const errors = [];
  context.on('request', (r) => {
    requests.push(r.url());
    if (!r.serviceWorker()) pageRequests.push(r.url());
  });
  const watch = (page) => {
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' && !allowConsole.some((re) => re.test(m.text()))) errors.push(`console.error: ${m.text()}`);
    });
    page.on('websocket', (ws) => requests.push(ws.url()));
    page.on('crash', () => errors.push('the page crashed'));
  };
  context.on('page', watch);
  const page = await context.newPage();
  t.after(() => context.close().catch(() => {}));
  return {
    context,
    page,
    requests,
    pageRequests,
    errors,
    async newPage() {
      return context.newPage();
    },
    /** Asserts the recorded traffic and errors; call at the end of a test. */
    finish() {
      // Every request URL of the test, for a look afterwards.
      const slug = t.name.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
      mkdirSync(path.join(ARTIFACTS, 'requests'), { recursive: true });
      writeFileSync(path.join(ARTIFACTS, 'requests', `${slug}-${index}.txt`), requests.join('\n') + '\n');
      assert.deepEqual(errors, [], 'no page error and no console error');
      assert.ok(requests.length > 0, 'requests were recorded');
      const foreign = requests.filter((u) => !(u.startsWith(origin + '/') || u.startsWith('data:') || u.startsWith('blob:')));
      assert.deepEqual(foreign, [], `only ${origin}, data: and blob: were requested`);
    },
  };
}

// ---- the page -----------------------------------------------------------------------------------

export const output = (format) => `code[data-format="${format}"]`;

/** Waits until the output element of `format` holds exactly `expected`, then asserts it. */
export async function expectOutput(page, format, expected, timeout = 15000) {
  try {
    await page.waitForFunction(
      ([sel, want]) => document.querySelector(sel)?.textContent === want,
      [output(format), expected],
      { timeout, polling: 'raf' },
    );
  } catch {
    // Report what is there instead.
  }
  const actual = await page.evaluate((sel) => {
    const el = document.querySelector(sel);
    if (el) return el.textContent;
    const invalid = document.querySelector('.invalid');
    return invalid ? `<.invalid: ${invalid.textContent}>` : `<no ${sel}>`;
  }, output(format));
  assert.equal(actual, expected, `the ${format} output equals ecs-iam render --format ${format}`);
}

/** Waits for the app to have rendered (an output or the invalid panel). */
export async function appReady(page, timeout = 30000) {
  await page.waitForSelector('#output-panel code[data-format], #output-panel .invalid', { timeout });
  // The role cards of a big configuration come a few per frame after the first output.
  await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'), null, { timeout });
}

/** Waits for two frames: the app brings the URL up to date right after the frame that shows
 * a change, so the address bar then holds the current share link. */
export async function settled(page) {
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 0)))));
}

/** Starts recording, in the page, each keystroke's latency into `window.__lat`: from the input
 * event (caught in the capture phase, before the app's own listener) to the animation frame
 * after the output panel's DOM changed. */
export async function watchKeystrokes(page) {
  await page.evaluate(() => {
    window.__lat = [];
    window.__t0 = null;
    addEventListener('input', () => { window.__t0 = performance.now(); }, true);
    new MutationObserver(() => {
      const t0 = window.__t0;
      if (t0 === null) return;
      window.__t0 = null;
      requestAnimationFrame(() => window.__lat.push(performance.now() - t0));
    }).observe(document.querySelector('#output-panel'), { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

/** Puts the caret at the end of the field `selector`. */
export async function caretAtEnd(page, selector) {
  await page.locator(selector).click();
  await page.keyboard.press('Control+End');
}

/** Types `count` characters where the caret is (`caretAtEnd`), one at a time, each after the
 * previous one's output is on screen (`watchKeystrokes` first); returns the latencies in ms. */
export async function typeKeystrokes(page, count) {
  const letters = 'abcdefghijklmnopqrstuvwxyz0123456789';
  for (let i = 0; i < count; i += 1) {
    await page.keyboard.type(letters[i % letters.length]);
    await page.waitForFunction((n) => window.__lat.length > n, i, { timeout: 30000 });
  }
  return page.evaluate(() => window.__lat);
}

/** The share link's configuration and format, as the page keeps them in its URL. */
export async function pageFragment(page) {
  await settled(page);
  return parseFragment(await page.evaluate(() => location.hash));
}

/** Clicks a format tab and waits for its output element. */
export async function showFormat(page, format) {
  await page.click(`button[role=tab][data-tab="${format}"]`);
  await page.waitForSelector(`button[role=tab][data-tab="${format}"][aria-selected=true]`);
}

/** Opens a `<details>` (by clicking its summary) unless it is open. */
export async function openDetails(locator) {
  if (!(await locator.evaluate((d) => d.open))) await locator.locator(':scope > summary').click();
  await locator.locator(':scope[open]').waitFor();
}
