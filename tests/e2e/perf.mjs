// Measurements of the web app (not a test: it asserts nothing about time, it prints figures).
//
//   node tests/e2e/perf.mjs [--loads N] [--keys N]
//
// (a) share link → rendered output: performance.now() (from navigation start) when the output
//     element first exists with text, over N loads of a big configuration's link, cold (a new
//     browser context each time: no HTTP cache, no service worker) and warm (one context,
//     controlled by the service worker);
// (b) keystroke → outputs updated: typing into a list field, per keystroke, from the input event
//     to the next animation frame after the output panel's DOM changed (a MutationObserver);
//     each with the longest task the page ran meanwhile (PerformanceObserver 'longtask': tasks over
//     50 ms; "none" when no task took that long);
// (c) the gzipped size of every file of dist/ and the total;
// (d) the gzipped size of the npm package's wasm (crates/js/pkg): target 100 KB, budget 170 KB.
// Env: ECS_IAM_DIST (default dist/). Chromium and the server are the tests' (helpers.mjs).

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync, constants } from 'node:zlib';
import path from 'node:path';
import os from 'node:os';
import { DIST, ROOT, FIXTURES, PATTERNS, appReady, launchBrowser, makeFragment, startServer, caretAtEnd, typeKeystrokes, watchKeystrokes } from './helpers.mjs';

const arg = (name, fallback) => {
  const k = process.argv.indexOf(name);
  return k > 0 ? Number(process.argv[k + 1]) : fallback;
};
const LOADS = arg('--loads', 20);
const KEYS = arg('--keys', 100);
const pkgWasm = path.join(ROOT, 'crates/js/pkg/ecs_iam_builder_bg.wasm');
if (!existsSync(pkgWasm)) throw new Error(`${pkgWasm} is missing: scripts/build.sh builds the npm package`);

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const k = (s.length - 1) * q;
  const lo = Math.floor(k);
  const hi = Math.ceil(k);
  return s[lo] + (s[hi] - s[lo]) * (k - lo);
};
const ms = (x) => `${x.toFixed(1)} ms`;
const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;

// Records, in the page, the duration of every task over 50 ms: from the page's start when
// `buffered`, else from now on.
const LONG_TASKS = (buffered) => {
  window.__long = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__long.push(e.duration);
  }).observe({ type: 'longtask', buffered });
};
const longest = (xs) => (xs.length ? ms(Math.max(...xs)) : 'none');

// Records, in the page, when the output element first holds text (time since navigation start).
const FIRST_OUTPUT = () => {
  const check = () => {
    const el = document.querySelector('code[data-format]');
    if (el && el.textContent.length > 0 && window.__firstOutput === undefined) {
      window.__firstOutput = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { subtree: true, childList: true, characterData: true });
};

async function loadTimes(browser, url, { warm }) {
  const times = [];
  const long = [];
  let shared;
  if (warm) {
    shared = await browser.newContext();
    await shared.addInitScript(FIRST_OUTPUT);
    await shared.addInitScript(LONG_TASKS, true);
    const p = await shared.newPage();
    await p.goto(url);
    await appReady(p);
    await p.evaluate(async () => navigator.serviceWorker.ready);
    await p.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await p.close();
  }
  for (let i = 0; i < LOADS; i += 1) {
    const context = shared || (await browser.newContext());
    if (!warm) {
      await context.addInitScript(FIRST_OUTPUT);
      await context.addInitScript(LONG_TASKS, true);
    }
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForFunction(() => window.__firstOutput !== undefined, null, { timeout: 60000 });
    times.push(await page.evaluate(() => window.__firstOutput));
    // The tasks up to the first output and those right after it (the rest of the page).
    await page.evaluate(() => new Promise((done) => setTimeout(done, 300)));
    long.push(...(await page.evaluate(() => window.__long)));
    await page.close();
    if (!warm) await context.close();
  }
  if (shared) await shared.close();
  return { times, long };
}

// Types `count` characters at the end of a list field and returns the latency of each.
async function keystrokes(browser, url, field, count) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await appReady(page);
  await page.evaluate(LONG_TASKS, false);
  await watchKeystrokes(page);
  await caretAtEnd(page, field);
  const lat = await typeKeystrokes(page, count);
  const long = await page.evaluate(() => window.__long);
  const valid = await page.locator('code[data-format]').count();
  await context.close();
  if (!valid) throw new Error(`${field}: the typed text made the configuration invalid`);
  return { lat, long };
}

function sizes() {
  const files = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        const body = readFileSync(p);
        files.push({ name: path.relative(DIST, p), raw: body.length, gz: gzipSync(body, { level: constants.Z_BEST_COMPRESSION }).length });
      }
    }
  };
  walk(DIST);
  return files;
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const large = readFileSync(path.join(FIXTURES, 'large.json'), 'utf8');
  const patterns = JSON.parse(readFileSync(PATTERNS, 'utf8')).patterns;
  const biggest = patterns.reduce((a, b) => (JSON.stringify(b.config).length > JSON.stringify(a.config).length ? b : a));
  const links = [
    ['tests/fixtures/large.json (16 roles), CloudFormation YAML', server.url + makeFragment(large, 'cloudformation-yaml')],
    [`biggest pattern (${biggest.id}), CloudFormation YAML`, server.url + makeFragment(JSON.stringify(biggest.config), 'cloudformation-yaml')],
  ];

  console.log(`# ecs-iam web app: measurements\n`);
  console.log(`${os.cpus().length} × ${os.cpus()[0]?.model?.trim()}, Chromium headless, dist: ${DIST}\n`);
  console.log(`## (a) Share link → output rendered (${LOADS} loads each)\n`);
  console.log('| link | cache | median | p95 | min | max | longest task |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const [label, url] of links) {
    for (const warm of [false, true]) {
      const { times: t, long } = await loadTimes(browser, url, { warm });
      console.log(`| ${label} | ${warm ? 'warm (service worker)' : 'cold (new context)'} | ${ms(quantile(t, 0.5))} | ${ms(quantile(t, 0.95))} | ${ms(Math.min(...t))} | ${ms(Math.max(...t))} | ${longest(long)} |`);
    }
  }

  console.log(`\n## (b) Keystroke → output updated (${KEYS} keystrokes each)\n`);
  console.log('| configuration | field | format | p50 | p95 | max | longest task |');
  console.log('|---|---|---|---:|---:|---:|---:|');
  const defaults = server.url;
  const cases = [
    ['default', defaults, 'cloudformation-yaml'],
    ['large.json (16 roles)', server.url + makeFragment(large, 'cloudformation-yaml'), 'cloudformation-yaml'],
    ['large.json (16 roles)', server.url + makeFragment(large, 'aws-cli'), 'aws-cli'],
  ];
  for (const [label, url, format] of cases) {
    const field = '#roles-0-features-0-repositories';
    const { lat, long } = await keystrokes(browser, url, field, KEYS);
    console.log(`| ${label} | ${field} | ${format} | ${ms(quantile(lat, 0.5))} | ${ms(quantile(lat, 0.95))} | ${ms(Math.max(...lat))} | ${longest(long)} |`);
  }

  console.log(`\n## (c) dist/ size\n`);
  console.log('| file | bytes | gzip -9 |');
  console.log('|---|---:|---:|');
  const files = sizes();
  for (const f of files) console.log(`| ${f.name} | ${f.raw} (${kb(f.raw)}) | ${f.gz} (${kb(f.gz)}) |`);
  const raw = files.reduce((a, f) => a + f.raw, 0);
  const gz = files.reduce((a, f) => a + f.gz, 0);
  console.log(`| **total** | ${raw} (${kb(raw)}) | ${gz} (${kb(gz)}) |`);

  console.log(`\n## (d) npm package wasm\n`);
  const body = readFileSync(pkgWasm);
  const pkgGz = gzipSync(body, { level: constants.Z_BEST_COMPRESSION }).length;
  console.log(`| file | bytes | gzip -9 |\n|---|---:|---:|\n| ecs_iam_builder_bg.wasm | ${body.length} | ${pkgGz} (${(pkgGz / 1000).toFixed(1)} KB) |`);
} finally {
  await browser.close();
  await server.close();
}
