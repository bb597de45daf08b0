// Where a keystroke's time goes in the web app (not a test: it prints a profile).
//
//   node tests/e2e/profile.mjs [--keys N] [--top N] [--format ID] [--fixture NAME]
//
// Opens the share link of a fixture (default tests/fixtures/large.json), types N characters at
// the end of its first list field, as tests/e2e/perf.mjs does, and prints:
// - Chromium's own totals per keystroke (Performance.getMetrics): script, style recalculation,
//   layout, and the whole task time;
// - the sampling profiler's self and inclusive time by function (wasm functions by name when dist/ was built
//   with its names kept, `data-keep-debug` on index.html's rust link), the top N.
// Env: ECS_IAM_DIST (default dist/).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURES, appReady, launchBrowser, makeFragment, startServer, caretAtEnd, typeKeystrokes, watchKeystrokes } from './helpers.mjs';

const arg = (name, fallback) => {
  const k = process.argv.indexOf(name);
  return k > 0 ? process.argv[k + 1] : fallback;
};
const KEYS = Number(arg('--keys', 60));
const TOP = Number(arg('--top', 40));
const FORMAT = arg('--format', 'cloudformation-yaml');
const FIXTURE = arg('--fixture', 'large.json');
const FIELD = '#roles-0-features-0-repositories';

const server = await startServer();
const browser = await launchBrowser();
try {
  const config = readFileSync(path.join(FIXTURES, FIXTURE), 'utf8');
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(server.url + makeFragment(config, FORMAT));
  await appReady(page);
  await watchKeystrokes(page);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  await caretAtEnd(page, FIELD);
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const before = await metrics();
  await cdp.send('Profiler.start');
  const lat = (await typeKeystrokes(page, KEYS)).sort((a, b) => a - b);
  const { profile } = await cdp.send('Profiler.stop');
  const after = await metrics();
  const per = (name) => (((after[name] ?? 0) - (before[name] ?? 0)) * 1000) / KEYS;

  console.log(`# Keystroke profile: ${FIXTURE}, ${FORMAT}, ${KEYS} keystrokes into ${FIELD}\n`);
  console.log(`latency p50 ${lat[Math.floor(lat.length / 2)].toFixed(1)} ms, max ${lat[lat.length - 1].toFixed(1)} ms\n`);
  console.log('| per keystroke (Chromium metrics) | ms |\n|---|---:|');
  for (const name of ['TaskDuration', 'ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration']) {
    console.log(`| ${name} | ${per(name).toFixed(2)} |`);
  }

  // Self time per function from the sampled profile (timeDeltas are in microseconds).
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const n = byId.get(id);
    const f = n.callFrame;
    const where = f.url.endsWith('.wasm') || f.url.includes('wasm://') ? 'wasm' : f.url ? 'js' : '';
    const key = `${where ? `${where}: ` : ''}${f.functionName || '(anonymous)'}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...self.entries()].filter(([k]) => k !== '(idle)').reduce((a, [, v]) => a + v, 0);
  const groups = new Map();
  for (const [k, v] of self) {
    const g = k.startsWith('wasm: ') ? 'wasm' : k.startsWith('js: ') ? 'js' : k;
    groups.set(g, (groups.get(g) ?? 0) + v);
  }
  console.log('\n| sampled self time, by kind (idle excluded) | ms per keystroke | share |\n|---|---:|---:|');
  for (const [g, v] of [...groups.entries()].filter(([g]) => g !== '(idle)').sort((a, b) => b[1] - a[1])) {
    console.log(`| ${g} | ${(v / 1000 / KEYS).toFixed(2)} | ${((100 * v) / total).toFixed(1)} % |`);
  }
  console.log(`\n| function (top ${TOP} by self time) | ms per keystroke | share |\n|---|---:|---:|`);
  for (const [k, v] of [...self.entries()].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    console.log(`| ${k.replaceAll('|', '\\|').slice(0, 140)} | ${(v / 1000 / KEYS).toFixed(2)} | ${((100 * v) / total).toFixed(1)} % |`);
  }

  // Inclusive time: each sample counts once for every function on its stack.
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const incl = new Map();
  profile.samples.forEach((id, i) => {
    const seen = new Set();
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      const name = byId.get(cur).callFrame.functionName;
      if (!name || seen.has(name)) continue;
      seen.add(name);
      incl.set(name, (incl.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0));
    }
  });
  console.log(`\n| function (top ${TOP} by inclusive time) | ms per keystroke | share |\n|---|---:|---:|`);
  for (const [k, v] of [...incl.entries()].filter(([k]) => !k.startsWith('(')).sort((a, b) => b[1] - a[1]).slice(0, TOP)) {
    console.log(`| ${k.replaceAll('|', '\\|').slice(0, 140)} | ${(v / 1000 / KEYS).toFixed(2)} | ${((100 * v) / total).toFixed(1)} % |`);
  }
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
