// End-to-end tests of the web app (dist/, built by Trunk) in Chromium. The oracle is the CLI:
// the text of the output panel must equal `ecs-iam render CONFIG --format FMT` byte for byte.
//
//   node --test tests/e2e/
//
// Env: ECS_IAM_DIST (default dist/), ECS_IAM_BIN (default target/debug/ecs-iam). Screenshots go to
// tests/artifacts/. Every test records every request and fails on one to another origin, and on
// any page error or console error (session().finish()).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import {
  ARTIFACTS,
  AXE,
  BIN,
  FIXTURES,
  PATTERNS,
  appReady,
  cliFormats,
  cliReject,
  cliRender,
  expectOutput,
  launchBrowser,
  makeFragment,
  openDetails,
  output,
  pageFragment,
  settled,
  parseFragment,
  session,
  showFormat,
  startServer,
} from './helpers.mjs';

const TIMEOUT = { timeout: 180_000 };
const fixture = (name) => readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8');

let server;
let browser;
let FORMATS;

before(async () => {
  assert.ok(existsSync(BIN), `${BIN} is missing: cargo build -p ecs-iam`);
  FORMATS = cliFormats();
  assert.ok(FORMATS.length >= 6, `the CLI lists its formats: ${FORMATS}`);
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const shot = (page, name, options = {}) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), ...options });

/** Opens the app (optionally with a fragment) and waits for it to render. */
async function open(page, fragment = '', base = server.url) {
  await page.goto(base + fragment);
  await appReady(page);
}

/** The current output text must equal the CLI's rendering of the configuration in the URL. */
async function outputMatchesFragment(page) {
  const { config, format } = await pageFragment(page);
  await expectOutput(page, format, cliRender(config, format));
  return { config, format };
}

const managedPolicies = (page, i) =>
  page.locator(`article.role[data-role-index="${i}"] details`, {
    has: page.locator(':scope > summary', { hasText: /^AWS managed policies/ }),
  });

test('1. building the seed EFS role by clicking and typing gives the CLI output in every format', TIMEOUT, async (t) => {
  const s = await session(t, browser, server.origin);
  const { page } = s;
  await open(page);

  // The tabs are the CLI's formats, in its order.
  const tabs = await page.$$eval('[role=tablist] [role=tab][data-tab]', (els) => els.map((e) => e.dataset.tab));
  assert.deepEqual(tabs, FORMATS, 'one tab per format of ecs-iam catalog');

  await page.getByRole('button', { name: 'New', exact: true }).click();
  await page.waitForFunction(() => document.querySelectorAll('article.role').length === 0);
  assert.deepEqual(JSON.parse((await pageFragment(page)).config).roles, [], 'New clears to no roles');

  await page.click('.add-role button[data-kind="task-execution"]');
  await page.waitForSelector('article.role[data-role-index="0"][data-kind="task-execution"]');
  const name = page.locator('#roles-0-name');
  await name.fill('');
  await name.pressSequentially('TaskExecutionRole');
  assert.equal(await name.inputValue(), 'TaskExecutionRole');

  await openDetails(managedPolicies(page, 0));
  const policy = page.locator('#roles-0-managedPolicies-AmazonECSTaskExecutionRolePolicy');
  await policy.check();
  assert.ok(await policy.isChecked());

  await openDetails(page.locator('details.settings'));
  await page.selectOption('#permissions', 'per-feature');

  await page.selectOption('#roles-0-add-feature', 'efs');
  const fileSystems = page.locator('#roles-0-features-0-fileSystems');
  await fileSystems.click();
  await fileSystems.pressSequentially('fs-0123456789abcdef0');
  await page.locator('#roles-0-features-0-write').check();
  await page.locator('#roles-0-features-0-describe').check();

  // The configuration in the share link is the seed's ...
  const seed = fixture('seed-000-efs');
  await page.waitForFunction(() => location.hash.includes('format='));
  assert.deepEqual(JSON.parse((await pageFragment(page)).config), JSON.parse(seed), 'the clicked configuration is the seed');
  // ... and every tab shows what the CLI prints for it.
  for (const format of FORMATS) {
    await showFormat(page, format);
    await expectOutput(page, format, cliRender(seed, format));
  }
  s.finish();
});

test('2. every gallery pattern opens to the CLI output of its fixture', TIMEOUT, async (t) => {
  const patterns = JSON.parse(readFileSync(PATTERNS, 'utf8')).patterns;
  const withFixture = patterns.filter((p) => p.fixture);
  assert.ok(withFixture.length >= 10, 'the seed patterns have fixtures');
  const s = await session(t, browser, server.origin);
  const { page } = s;
  await open(page);

  const shown = await page.$$eval('li.pattern[data-pattern]', (els) => els.map((e) => e.dataset.pattern));
  assert.deepEqual(shown, patterns.map((p) => p.id), 'the gallery shows every pattern');
  await page.locator('#patterns').screenshot({ path: path.join(ARTIFACTS, 'gallery.png') });

  for (const p of withFixture) {
    const file = path.join(FIXTURES, `${p.fixture}.json`);
    assert.ok(existsSync(file), `${p.id}: fixture ${file} exists`);
    const config = readFileSync(file, 'utf8');
    await page.click(`button[data-open="${p.id}"]`);
    await page.waitForFunction(
      (want) => {
        try {
          const c = location.hash.match(/config=([^&]*)/)[1].replace(/-/g, '+').replace(/_/g, '/');
          return JSON.stringify(JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(c), (x) => x.charCodeAt(0))))) === want;
        } catch {
          return false;
        }
      },
      JSON.stringify(JSON.parse(config)),
      { timeout: 10000 },
    ).catch(() => {});
    assert.deepEqual(JSON.parse((await pageFragment(page)).config), JSON.parse(config), `${p.id} loads its fixture's configuration`);
    for (const format of FORMATS) {
      await showFormat(page, format);
      await expectOutput(page, format, cliRender(config, format));
    }
  }
  s.finish();
});

test('3. a share link opens the same configuration, tab and output in a fresh browser', TIMEOUT, async (t) => {
  const s = await session(t, browser, server.origin);
  const { page, context } = s;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  await open(page);

  await openDetails(page.locator('details.settings'));
  await page.locator('#region').pressSequentially('eu-west-1');
  await page.locator('#account').pressSequentially('123456789012');
  await page.selectOption('#roles-1-add-feature', 'exec');
  await page.locator('#roles-1-features-0-logGroup').pressSequentially('/ecs/exec-audit');
  await showFormat(page, 'ufo');
  await page.waitForFunction(() => location.hash.endsWith('&format=ufo'));

  const href = await page.evaluate(() => location.href);
  const { config, format } = parseFragment(new URL(href).hash);
  assert.equal(format, 'ufo');
  const parsed = JSON.parse(config);
  assert.equal(parsed.region, 'eu-west-1');
  assert.equal(parsed.account, '123456789012');
  const text = await page.textContent(output('ufo'));
  // The fragment's configuration is one the CLI accepts, and renders to what the page shows.
  assert.equal(text, cliRender(config, 'ufo'));

  // "Copy share link" copies this very URL.
  await page.click('#share');
  // The button confirms its own action, and no message moves the page.
  await page.waitForFunction(() => document.querySelector('#share').textContent.includes('copied ✓'));
  assert.equal(await page.locator('#notice').count(), 0, 'no page-level message for a copy');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), href, 'the copied link is the page URL');

  // "Copy as request" copies the hand-off for the IAM admin, from any tab.
  await page.click('#copy-request');
  await page.waitForFunction(() => document.querySelector('#copy-request').textContent.includes('copied ✓'));
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), cliRender(config, 'handoff'),
    'the copied request is the CLI\'s handoff rendering');

  const fresh = await session(t, browser, server.origin);
  assert.deepEqual((await fresh.context.storageState()).origins, [], 'the second context has no storage');
  await open(fresh.page, new URL(href).hash);
  await fresh.page.waitForSelector('button[role=tab][data-tab="ufo"][aria-selected=true]');
  assert.equal(await fresh.page.inputValue('#region'), 'eu-west-1');
  assert.equal(await fresh.page.inputValue('#roles-1-features-0-logGroup'), '/ecs/exec-audit');
  await expectOutput(fresh.page, 'ufo', text);
  assert.equal((await pageFragment(fresh.page)).config, config, 'the reopened page keeps the same configuration');
  assert.equal(await fresh.page.evaluate(() => location.href), href);
  s.finish();
  fresh.finish();
});

test('4. a reload keeps the configuration, the tab and the theme', TIMEOUT, async (t) => {
  const s = await session(t, browser, server.origin, { colorScheme: 'light' });
  const { page } = s;
  await open(page);
  await openDetails(page.locator('details.settings'));
  await page.locator('#region').pressSequentially('ap-southeast-2');
  await page.click('.add-role button[data-kind="infrastructure"]');
  await page.waitForSelector('article.role[data-kind="infrastructure"]');
  await showFormat(page, 'json');
  assert.equal(await page.getAttribute('html', 'data-theme'), null, 'the theme follows the system at first');
  await page.click('#theme');
  await page.waitForSelector('html[data-theme="dark"]');
  await page.waitForFunction(() => (localStorage.getItem('ecs-iam.config') || '').includes('ap-southeast-2') && localStorage.getItem('ecs-iam.format') === 'json');
  const before = await outputMatchesFragment(page);
  const textBefore = await page.textContent(output('json'));

  // Reload with the link in the URL.
  await page.reload();
  await appReady(page);
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  await expectOutput(page, 'json', textBefore);

  // Open the bare address: only local storage can bring the configuration back.
  await page.goto('about:blank');
  await page.goto(server.url);
  await appReady(page);
  await settled(page);
  assert.equal(await page.evaluate(() => location.hash.includes('config=')), true);
  const after = await pageFragment(page);
  assert.equal(after.config, before.config, 'local storage kept the configuration');
  assert.equal(after.format, 'json', 'local storage kept the tab');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark', 'the theme survived the reload');
  assert.equal(await page.inputValue('#region'), 'ap-southeast-2');
  await expectOutput(page, 'json', textBefore);
  const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  // And back to light, which survives too.
  await page.click('#theme');
  await page.waitForSelector('html[data-theme="light"]');
  await page.reload();
  await appReady(page);
  assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
  const light = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(light, dark, 'the theme changes the colours');
  s.finish();
});

test('5. after one visit the app works offline (service worker)', TIMEOUT, async (t) => {
  const own = await startServer();
  t.after(() => own.close());
  const s = await session(t, browser, own.origin);
  const { page, context } = s;
  await open(page, '', own.url);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert.equal(scope, own.url);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 15000 });
  const { config, format } = await pageFragment(page);

  // The network is gone: the browser is offline and the server is down.
  await context.setOffline(true);
  await own.close();
  const served = own.log.length;
  await page.reload();
  await appReady(page);
  await expectOutput(page, format, cliRender(config, format));

  // A share link opened while offline works too.
  const efs = fixture('seed-000-efs');
  const other = await s.newPage();
  await open(other, makeFragment(efs, 'aws-cli'), own.url);
  await expectOutput(other, 'aws-cli', cliRender(efs, 'aws-cli'));
  // A format the first download leaves out renders from the precached tools module.
  await showFormat(other, 'terraform');
  await expectOutput(other, 'terraform', cliRender(efs, 'terraform'));
  assert.equal(own.log.length, served, 'nothing reached the server while offline');
  assert.equal(await page.evaluate(() => navigator.onLine), false, 'the page was offline');
  s.finish();
});

test('6. a broken link shows a message and the default configuration, and keeps what was stored', TIMEOUT, async (t) => {
  // The default configuration, as a new visitor sees it.
  const first = await session(t, browser, server.origin);
  await open(first.page);
  const defaults = await pageFragment(first.page);
  first.finish();

  const s = await session(t, browser, server.origin);
  const { page } = s;
  await page.goto(server.url + '#config=***');
  await appReady(page);
  const notice = page.locator('#notice[role=alert]');
  assert.match(await notice.textContent(), /broken/);
  assert.ok((await page.locator('article.role').count()) > 0, 'the default roles are shown');
  const shown = await outputMatchesFragment(page);
  assert.equal(shown.config, defaults.config, 'the default configuration is shown');
  assert.ok((await page.textContent(output(shown.format))).length > 100, 'the output is not empty');
  assert.equal(await page.evaluate(() => localStorage.getItem('ecs-iam.config')), null, 'a broken link writes nothing');

  // With a configuration of one's own in storage, a broken link leaves it there, and offers it back.
  await openDetails(page.locator('details.settings'));
  await page.locator('#region').pressSequentially('eu-central-1');
  await page.waitForFunction(() => (localStorage.getItem('ecs-iam.config') || '').includes('eu-central-1'));
  const mine = await pageFragment(page);
  await page.goto('about:blank');
  await page.goto(server.url + '#config=***');
  await appReady(page);
  assert.match(await page.locator('#notice[role=alert]').textContent(), /broken/);
  assert.equal((await pageFragment(page)).config, defaults.config);
  assert.match(await page.evaluate(() => localStorage.getItem('ecs-iam.config')), /eu-central-1/, 'storage is untouched');
  await page.getByRole('button', { name: 'Restore my last configuration' }).click();
  await page.waitForFunction(() => location.hash.includes('format=') && !document.querySelector('#notice[role=alert]'));
  assert.equal((await pageFragment(page)).config, mine.config, 'the stored configuration is back');
  await outputMatchesFragment(page);

  // A broken link pasted into the address bar of the running app (hashchange), with a bad format.
  await page.evaluate(() => { location.hash = '#config=e30&format=pdf'; });
  await page.waitForSelector('#notice[role=alert]');
  assert.match(await page.textContent('#notice'), /broken.*pdf/s);
  assert.equal((await pageFragment(page)).config, defaults.config);
  await outputMatchesFragment(page);
  s.finish();
});

test('7. the request recorder catches a request to another origin (every test asserts there is none)', TIMEOUT, async (t) => {
  const elsewhere = await startServer();
  t.after(() => elsewhere.close());
  const s = await session(t, browser, server.origin);
  await open(s.page);
  s.finish();
  // Another origin: same host, other port.
  await s.page.goto(elsewhere.url + 'icon.svg');
  assert.throws(() => s.finish(), /only http:\/\/127\.0\.0\.1:\d+, data: and blob: were requested/);
  assert.ok(s.requests.some((u) => u.startsWith(elsewhere.origin)));
});

/** Runs axe-core on the page; fails on serious or critical violations. */
async function axe(page, label) {
  await page.addScriptTag({ path: AXE });
  const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  assert.ok(r.passes.length > 10 || r.violations.length > 0, `${label}: axe ran its rules`);
  const bad = r.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} ${n.failureSummary?.split('\n').slice(1).join(' ')}`).join('\n  ')}`);
  assert.deepEqual(bad, [], `${label}: no serious or critical accessibility violation`);
}

const INVALID = JSON.stringify({
  region: 'eu-west-1',
  roles: [{ kind: 'task-execution', name: 'web-execution', features: [{ id: 'ecr-pull', repositories: ['my-repo', 'My Repo'] }] }],
});

test('8. no serious or critical axe violations, light and dark, valid and invalid', TIMEOUT, async (t) => {
  const bodyBg = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const run = async (colorScheme, toggle, fragment, label) => {
    const s = await session(t, browser, server.origin, { bypassCSP: true, colorScheme });
    await open(s.page, fragment);
    if (toggle) {
      await s.page.click('#theme');
      await s.page.waitForSelector(`html[data-theme="${colorScheme === 'light' ? 'dark' : 'light'}"]`);
    }
    await openDetails(s.page.locator('details.settings'));
    await axe(s.page, label);
    const bg = await bodyBg(s.page);
    s.finish();
    return { s, bg };
  };
  const light = await run('light', false, '', 'light');
  await shot(light.s.page, 'light', { fullPage: true });
  const dark = await run('dark', false, '', 'dark');
  await shot(dark.s.page, 'dark', { fullPage: true });
  assert.notEqual(light.bg, dark.bg, 'the dark scheme is dark');
  const toggledDark = await run('light', true, '', 'light, switched to dark with #theme');
  assert.equal(toggledDark.bg, dark.bg, '#theme gives the dark colours');
  const toggledLight = await run('dark', true, '', 'dark, switched to light with #theme');
  assert.equal(toggledLight.bg, light.bg, '#theme gives the light colours');

  const invalidLight = await run('light', false, makeFragment(INVALID, 'json'), 'invalid, light');
  await invalidLight.s.page.waitForSelector('.invalid[role=alert]');
  await shot(invalidLight.s.page, 'invalid', { fullPage: true });
  const invalidDark = await run('dark', false, makeFragment(INVALID, 'json'), 'invalid, dark');
  await invalidDark.s.page.waitForSelector('.invalid[role=alert]');
  await shot(invalidDark.s.page, 'invalid-dark');
});

test('9. a bad value is named under its field, keeps the last valid output marked stale, survives a reload and can be fixed', TIMEOUT, async (t) => {
  const s = await session(t, browser, server.origin);
  const { page } = s;
  const start = JSON.stringify({ roles: [{ kind: 'task-execution', name: 'web-execution', features: [{ id: 'ecr-pull', repositories: ['my-repo'] }] }] });
  await open(page, makeFragment(start, 'json'));
  await expectOutput(page, 'json', cliRender(start, 'json'));

  const field = page.locator('#roles-0-features-0-repositories');
  await field.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('My Repo');
  assert.equal(await field.inputValue(), 'my-repo\nMy Repo');

  // The CLI's message for the same configuration.
  const bad = JSON.stringify({ roles: [{ kind: 'task-execution', name: 'web-execution', features: [{ id: 'ecr-pull', repositories: ['my-repo', 'My Repo'] }] }] });
  const cli = cliReject(bad);
  assert.equal(cli.status, 2, 'the CLI rejects it');
  const message = cli.stderr.trim();
  assert.match(message, /^roles\[0\]\.features\[0\]\.repositories\[1\]: "My Repo" /);

  const checkInvalid = async (stale) => {
    const error = page.locator('#roles-0-features-0-repositories-error');
    await error.waitFor();
    // Under the field: what is wrong first, the line of the list it is on, no internal path.
    assert.equal((await error.textContent()).trim(), message.replace(/^roles\[0\]\.features\[0\]\.repositories\[1\]: /, 'Line 2: '),
      'the field shows the CLI message, with the line and the value');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.match(await field.getAttribute('aria-describedby'), /\broles-0-features-0-repositories-error\b/);
    await page.waitForSelector('#output-panel .invalid[role=alert]');
    assert.match(await page.textContent('#output-panel .invalid'), new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    assert.equal(await field.inputValue(), 'my-repo\nMy Repo');
    if (stale === undefined) {
      assert.equal(await page.locator('#output-panel code[data-format]').count(), 0, 'no valid configuration yet: no output');
    } else {
      // The last valid output stays, marked stale, with Copy and Download.
      assert.equal(await page.textContent('#output-panel pre.code.stale code[data-format="json"]'), stale);
      assert.match(await page.textContent('#output-panel .invalid'), /from the last valid configuration/);
      assert.equal(await page.locator('#copy').count(), 1);
    }
  };
  await checkInvalid(cliRender(start, 'json'));

  // Nothing typed is lost: not on reload, nor when opening the bare address (local storage).
  await page.reload();
  await appReady(page);
  await checkInvalid();
  await page.goto('about:blank');
  await page.goto(server.url);
  await appReady(page);
  await checkInvalid();

  // Fixing the line brings the output back.
  await field.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Shift+Home');
  await page.keyboard.type('my-other-repo');
  const fixed = JSON.stringify({ roles: [{ kind: 'task-execution', name: 'web-execution', features: [{ id: 'ecr-pull', repositories: ['my-repo', 'my-other-repo'] }] }] });
  await expectOutput(page, 'json', cliRender(fixed, 'json'));
  assert.equal(await page.locator('#roles-0-features-0-repositories-error').count(), 0);
  assert.equal(await field.getAttribute('aria-invalid'), 'false');
  assert.deepEqual(JSON.parse((await pageFragment(page)).config), JSON.parse(fixed));
  s.finish();
});

test('10. the format tabs are reachable with Tab and the arrow keys switch the format', TIMEOUT, async (t) => {
  const s = await session(t, browser, server.origin);
  const { page } = s;
  await open(page);
  const { config } = await pageFragment(page);
  const focused = () => page.evaluate(() => ({ tab: document.activeElement?.dataset?.tab ?? null, role: document.activeElement?.getAttribute('role') ?? null }));
  const selected = () => page.$eval('[role=tab][aria-selected=true]', (e) => e.dataset.tab);

  let presses = 0;
  while ((await focused()).role !== 'tab') {
    await page.keyboard.press('Tab');
    presses += 1;
    assert.ok(presses < 200, 'a tab is reachable with the Tab key');
  }
  assert.equal((await focused()).tab, await selected(), 'Tab lands on the selected tab');
  assert.equal(await selected(), FORMATS[0]);

  const expectSelected = async (format) => {
    await page.waitForSelector(`[role=tab][data-tab="${format}"][aria-selected=true]`);
    await page.waitForFunction((f) => document.activeElement?.dataset?.tab === f, format);
    await expectOutput(page, format, cliRender(config, format));
  };
  await page.keyboard.press('ArrowRight');
  await expectSelected(FORMATS[1]);
  await page.keyboard.press('ArrowRight');
  await expectSelected(FORMATS[2]);
  await page.keyboard.press('ArrowLeft');
  await expectSelected(FORMATS[1]);
  await page.keyboard.press('End');
  await expectSelected(FORMATS.at(-1));
  await page.keyboard.press('ArrowRight');
  await expectSelected(FORMATS[0]);
  await page.keyboard.press('ArrowLeft');
  await expectSelected(FORMATS.at(-1));
  await page.keyboard.press('Home');
  await expectSelected(FORMATS[0]);

  // Tab leaves the tab list (one tab stop for the whole list).
  await page.keyboard.press('Tab');
  assert.notEqual((await focused()).role, 'tab');
  s.finish();
});

test('11. dist/ works from a sub-path', TIMEOUT, async (t) => {
  const sub = await startServer({ prefix: '/tools/iam/' });
  t.after(() => sub.close());
  const s = await session(t, browser, sub.origin);
  const { page } = s;
  await open(page, '', sub.url);
  await outputMatchesFragment(page);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert.equal(scope, sub.url, 'the service worker is scoped to the sub-path');

  // A share link under the sub-path, and the address without its trailing slash.
  const efs = fixture('seed-000-efs');
  await page.goto('about:blank');
  await open(page, makeFragment(efs, 'cloudformation-json'), sub.url);
  await expectOutput(page, 'cloudformation-json', cliRender(efs, 'cloudformation-json'));
  await page.goto('about:blank');
  await open(page, '', sub.origin + '/tools/iam');
  assert.equal(new URL(page.url()).pathname, '/tools/iam/');
  await outputMatchesFragment(page);

  const outside = sub.log.filter((r) => !r.path.startsWith('/tools/iam/') && r.path !== '/tools/iam');
  assert.deepEqual(outside, [], 'nothing was asked for outside the sub-path');
  assert.ok(s.requests.some((u) => u.startsWith(sub.url) && u.endsWith('.wasm')), 'the wasm came from the sub-path');
  s.finish();
});

test('12. at phone widths (390px, 320px) the page fits the screen and renders the output, a long unbroken value included', TIMEOUT, async (t) => {
  for (const screen of [390, 320]) {
    const s = await session(t, browser, server.origin, { viewport: { width: screen, height: 844 }, deviceScaleFactor: 2, hasTouch: true });
    const { page } = s;
    await open(page);
    await outputMatchesFragment(page);
    // A long value without a break point (a repository path of 200 characters) widens nothing.
    const field = page.locator('#roles-0-features-0-repositories');
    await field.fill(`team/${'a'.repeat(200)}`);
    await outputMatchesFragment(page);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    await shot(page, `phone-${screen}`, { fullPage: true });
    assert.ok(width <= screen, `no horizontal scrolling at ${screen}px (the page is ${width}px wide)`);
    s.finish();
  }
});

test('13. Export downloads a configuration the CLI renders the same; Import loads a file', TIMEOUT, async (t) => {
  const s = await session(t, browser, server.origin);
  const { page } = s;
  const efs = fixture('efs-task-role');
  await open(page, makeFragment(efs, 'aws-cli'));
  const shown = await page.textContent(output('aws-cli'));
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export', exact: true }).click()]);
  assert.equal(download.suggestedFilename(), 'ecs-iam.json');
  const exported = readFileSync(await download.path(), 'utf8');
  assert.deepEqual(JSON.parse(exported), JSON.parse(efs));
  assert.equal(cliRender(exported, 'aws-cli'), shown, 'the CLI renders the exported file as the page shows it');

  const file = path.join(FIXTURES, 'seed-004-infrastructure.json');
  await page.getByLabel('Import a configuration JSON file').setInputFiles(file);
  const infra = readFileSync(file, 'utf8');
  await expectOutput(page, 'aws-cli', cliRender(infra, 'aws-cli'));
  assert.match(await page.textContent('#notice'), /Imported/);

  // A file that is not a configuration changes nothing, and says so.
  const junk = path.join(path.dirname(await download.path()), 'not-a-config.json');
  writeFileSync(junk, '[1, 2, 3]');
  await page.getByLabel('Import a configuration JSON file').setInputFiles(junk);
  await page.waitForSelector('#notice[role=alert]');
  assert.match(await page.textContent('#notice'), /Could not import/);
  await expectOutput(page, 'aws-cli', cliRender(infra, 'aws-cli'));
  s.finish();
});

test('14. in-page links (Patterns, skip link) keep the tab, the share link, and show their target', TIMEOUT, async (t) => {
  const s = await session(t, browser, server.origin);
  const { page } = s;
  await open(page);
  await showFormat(page, 'json');
  await openDetails(page.locator('details.settings'));
  await page.locator('#region').pressSequentially('eu-west-1');
  // Wait for the last keystroke to reach the URL (the fragment's config holds the whole Region).
  await page.waitForFunction(() => {
    const m = /^#config=([A-Za-z0-9_-]*)&format=json$/.exec(location.hash);
    if (!m) return false;
    const b64 = m[1].replace(/-/g, '+').replace(/_/g, '/');
    return atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)).includes('"eu-west-1"');
  });
  const before = await pageFragment(page);
  assert.match(before.config, /eu-west-1/);

  const follow = async (click, target) => {
    await page.evaluate(() => { window.__hashchanged = new Promise((r) => addEventListener('hashchange', (e) => r(new URL(e.newURL).hash), { once: true })); });
    await click();
    assert.equal(await page.evaluate(() => window.__hashchanged), `#${target}`, `the link goes to #${target}`);
    // The URL holds the share link again, unchanged.
    await page.waitForFunction(() => location.hash.includes('config='), null, { timeout: 5000 }).catch(() => {});
    assert.deepEqual(await pageFragment(page), before, `after #${target}: the share link is back in the URL, unchanged`);
    await page.waitForSelector('[role=tab][data-tab="json"][aria-selected=true]', { timeout: 2000 });
    assert.equal(await page.inputValue('#region'), 'eu-west-1');
  };

  await follow(() => page.click('header a[href="#patterns"]'), 'patterns');
  const { title, bar } = await page.evaluate(() => ({
    title: document.querySelector('#patterns-title').getBoundingClientRect().top,
    bar: document.querySelector('.topbar').getBoundingClientRect().bottom,
  }));
  assert.ok(title >= bar, `the gallery title (top ${title}) is not hidden under the top bar (bottom ${bar})`);
  await shot(page, 'patterns-link');

  await page.focus('a.skip');
  await follow(() => page.keyboard.press('Enter'), 'main');
  await expectOutput(page, 'json', cliRender(before.config, 'json'));
  s.finish();
});

/** `ecs-iam SUBCOMMAND ... --json` (exit 0 or 1), parsed. */
function cliJson(args, input) {
  const r = spawnSync(BIN, args, { input, encoding: 'utf8' });
  assert.ok(r.status === 0 || r.status === 1, `${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

async function runTool(page, tab, text) {
  await page.click(`#tool-tab-${tab}`);
  if (text !== undefined) await page.fill('#tool-text', text);
  await page.click('#tool-run');
  await page.waitForSelector('#tool-result');
  const error = page.locator('p.tool-error#tool-result');
  if (await error.count()) assert.fail(`the ${tab} panel refused the input: ${await error.textContent()}`);
}

test('15. a task definition in, an error explained, existing roles compared, the vectors: all as the CLI says', TIMEOUT, async (t) => {
  const s = await session(t, browser, server.origin);
  const { page } = s;
  await open(page, makeFragment(fixture('seed-001-minimal'), 'json'));
  const before = await pageFragment(page);
  // The page loads the tools' module when a panel is first used (the service worker may
  // precache it in the background, for offline use).
  assert.ok(!s.pageRequests.some((u) => u.includes('/tools/')), 'the first render loads no tools');

  // Import: a public task definition becomes the configuration the CLI derives, shown with
  // where each value comes from; Use replaces the configuration, and the notice restores it.
  const dir = path.join(FIXTURES, 'import');
  const file = readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .find((f) => JSON.stringify(cliJson(['import', path.join(dir, f), '--json']).config).includes('"features":[{'));
  assert.ok(file, 'an import fixture that derives features');
  const want = cliJson(['import', path.join(dir, file), '--json']);
  // Dropped on the text box, as from a file manager.
  const body = readFileSync(path.join(dir, file), 'utf8');
  await page.click('#tool-tab-import');
  const dropped = await page.evaluateHandle(([text, name]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], name, { type: 'application/json' }));
    return dt;
  }, [body, file]);
  await page.dispatchEvent('#tool-text', 'drop', { dataTransfer: dropped });
  await page.waitForFunction((want) => document.querySelector('#tool-text').value === want, body);
  await runTool(page, 'import');
  assert.ok(s.pageRequests.some((u) => u.endsWith('/tools/ecs_iam_tools_bg.wasm')), 'the tools module loads from this origin on first use');
  const shownConfig = await page.textContent('#tool-result details:last-of-type pre');
  assert.deepEqual(JSON.parse(shownConfig), want.config);
  assert.equal(await page.locator('#tool-result .derivations tbody tr').count(), want.derivations.length);
  assert.equal(await page.locator('#tool-result .unknowns li').count(), want.unknowns.length);
  await shot(page, 'tools-import');
  // Nothing is replaced before Use.
  assert.deepEqual(await pageFragment(page), before);
  await page.click('#tool-use');
  const derived = JSON.stringify(want.config);
  await expectOutput(page, 'json', cliRender(derived, 'json'));
  await page.getByRole('button', { name: 'Restore my last configuration' }).click();
  await expectOutput(page, 'json', cliRender(before.config, 'json'));

  // A quoted error message: the cause, the role and the fix.
  const message = 'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/ecsTaskExecutionRole/8f1d is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf';
  await runTool(page, 'error', message);
  const d = cliJson(['diagnose', '--json'], message);
  const text = await page.textContent('#tool-result');
  for (const part of [d.cause, d.fix, d.roleName]) assert.ok(text.includes(part), `the answer shows ${part}`);
  // ... and its fix, applied to the builder's configuration as `diagnose --config` applies it.
  const fixed = cliJson(['diagnose', message, '--config', '-', '--json'], before.config).applied;
  assert.ok(fixed && fixed.changes.length > 0, 'the CLI applies the fix');
  assert.equal(await page.locator('#tool-result ul.changes li').count(), fixed.changes.length);
  await page.click('#tool-apply');
  await expectOutput(page, 'json', cliRender(JSON.stringify(fixed.config), 'json'));
  await page.getByRole('button', { name: 'Restore my last configuration' }).click();
  await expectOutput(page, 'json', cliRender(before.config, 'json'));

  // Compare: the over-broad roles of tests/fixtures/diff against their configuration.
  const diffDir = path.join(FIXTURES, 'diff');
  await open(page, makeFragment(readFileSync(path.join(diffDir, 'service.config.json'), 'utf8'), 'json'));
  const against = path.join(diffDir, 'over-broad.authorization-details.json');
  await runTool(page, 'compare', readFileSync(against, 'utf8'));
  const diff = cliJson(['diff', path.join(diffDir, 'service.config.json'), '--against', against, '--json']);
  assert.equal(await page.locator('#tool-result table.findings tbody tr').count(), diff.findings.length);
  assert.equal(await page.locator('#tool-result tr[data-kind="wrong-role"]').count(), diff.findings.filter((f) => f.kind === 'wrong-role').length);
  await shot(page, 'tools-compare');

  // Verify: the vectors of the configuration.
  await runTool(page, 'verify');
  const vectors = cliJson(['vectors', path.join(diffDir, 'service.config.json'), '--json']);
  assert.equal(await page.locator('#tool-result table.vectors tbody tr').count(), vectors.length);
  assert.match(await page.textContent('#tool-summary'), new RegExp(`^${vectors.length} requests`));
  s.finish();
});

test('16. a Fargate service with ECR, logs, a KMS-encrypted secret and an S3 bucket for the app takes no raw JSON; a statement on the wrong role moves in one click', TIMEOUT, async (t) => {
  const s = await session(t, browser, server.origin);
  const { page } = s;
  await open(page);
  // The default configuration: an execution role with ECR and logs, and a task role.
  await page.click('button[data-filter="feature"][data-value="secrets-manager"]');
  const secrets = page.locator('#roles-0-features-2-secrets');
  await secrets.click();
  await secrets.pressSequentially('prod/my-app/db');
  const keys = page.locator('#roles-0-features-2-kmsKeys');
  await keys.click();
  await keys.pressSequentially('1234abcd-12ab-34cd-56ef-1234567890ab');

  // S3 for the application goes on the task role, with its access levels as switches.
  await page.click('button[data-filter="feature"][data-value="s3"]');
  const buckets = page.locator('#roles-1-features-0-buckets');
  await buckets.waitFor();
  await buckets.click();
  await buckets.pressSequentially('my-app-uploads');
  // No access chosen yet: said on the feature, in words.
  await page.waitForSelector('#output-panel .invalid[role=alert]');
  assert.match(await page.textContent('#output-panel .invalid'), /s3 grants nothing as given: set at least one of read, write, list, delete/);
  await page.locator('#roles-1-features-0-read').check();
  await page.locator('#roles-1-features-0-write').check();
  // The lines the edit changed are marked for a moment (the markers hold no text).
  await page.waitForSelector('#output-panel pre.code .changed', { state: 'attached' });
  const marked = await page.$$eval('#output-panel pre.code .changed', (els) => els.length);
  assert.ok(marked >= 1 && marked <= 60, `${marked} lines marked`);

  const { config } = await outputMatchesFragment(page);
  const roles = JSON.parse(config).roles;
  assert.deepEqual(roles[1].features, [{ id: 's3', buckets: ['my-app-uploads'], read: true, write: true }]);
  assert.deepEqual(roles[0].features.map((f) => f.id), ['ecr-pull', 'logs', 'secrets-manager']);
  const json = JSON.parse(cliRender(config, 'json'));
  const task = json.Roles.find((r) => r.RoleName === 'my-app-task');
  const sids = task.Policies.flatMap((p) => p.PolicyDocument.Statement.map((st) => st.Sid));
  assert.deepEqual(sids, ['S3Read', 'S3Write']);

  // The application's statement typed on the execution role: the check says so, and moves it.
  await page.selectOption('#roles-0-add-feature', 'custom');
  const statements = page.locator('#roles-0-features-3-statements');
  await statements.fill(JSON.stringify([{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:us-east-1:111122223333:jobs' }]));
  const wrong = page.locator('li[data-code="wrong-role"]', { hasText: 'sqs:SendMessage' });
  await wrong.waitFor();
  await wrong.getByRole('button', { name: 'Move the statement to the task role' }).click();
  await page.waitForFunction(() => !document.querySelector('#roles-0-features-3-statements'));
  const moved = JSON.parse((await outputMatchesFragment(page)).config).roles;
  assert.deepEqual(moved[0].features.map((f) => f.id), ['ecr-pull', 'logs', 'secrets-manager']);
  assert.deepEqual(moved[1].features[1], { id: 'custom', statements: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:us-east-1:111122223333:jobs' }] });
  assert.equal(await page.locator('li[data-code="wrong-role"]').count(), 0, 'no wrong-role finding is left');
  s.finish();
});

test('17. New asks before it replaces a changed configuration, and Undo brings the work back, also after a reload', TIMEOUT, async (t) => {
  const s = await session(t, browser, server.origin);
  const { page } = s;
  await open(page);
  assert.ok(await page.locator('#undo').isDisabled(), 'nothing to undo yet');
  const name = page.locator('#roles-0-name');
  await name.fill('');
  await name.pressSequentially('orders-execution');
  const changed = JSON.parse((await pageFragment(page)).config);
  assert.equal(changed.roles[0].name, 'orders-execution');

  // New asks; "Keep editing" (the focused choice) keeps everything.
  await page.getByRole('button', { name: 'New', exact: true }).click();
  const dialog = page.getByRole('alertdialog');
  await dialog.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'confirm-cancel');
  await page.keyboard.press('Enter');
  await dialog.waitFor({ state: 'detached' });
  assert.deepEqual(JSON.parse((await pageFragment(page)).config), changed);

  // "Replace" empties it; Undo brings it back, and after a reload it still can.
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await page.click('#confirm-replace');
  await page.waitForFunction(() => document.querySelectorAll('article.role').length === 0);
  await page.click('#undo');
  await page.waitForFunction(() => document.querySelectorAll('article.role').length === 2);
  assert.deepEqual(JSON.parse((await pageFragment(page)).config), changed);
  await page.click('#redo');
  await page.waitForFunction(() => document.querySelectorAll('article.role').length === 0);
  await page.reload();
  await appReady(page);
  assert.equal(await page.locator('article.role').count(), 0, 'the reload keeps the empty configuration');
  await page.click('#undo');
  await page.waitForFunction(() => document.querySelectorAll('article.role').length === 2);
  assert.deepEqual(JSON.parse((await pageFragment(page)).config), changed, 'undo across the reload');
  // Typing the name was one step: one more Undo is the default configuration.
  await page.click('#undo');
  await page.waitForFunction(() => document.querySelector('#roles-0-name')?.value === 'my-app-execution');
  await outputMatchesFragment(page);
  s.finish();
});

test('18. the arrow keys move through "Add a feature" without adding; Enter adds; focus follows Add and Remove', TIMEOUT, async (t) => {
  const s = await session(t, browser, server.origin);
  const { page } = s;
  await open(page);
  const features = () => page.locator('article.role[data-role-index="1"] fieldset.feature').count();
  assert.equal(await features(), 0);
  await page.focus('#roles-1-add-feature');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await settled(page);
  assert.equal(await features(), 0, 'passing options adds nothing');
  const chosen = await page.inputValue('#roles-1-add-feature');
  assert.notEqual(chosen, '', 'the arrows moved the choice');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('article.role[data-role-index="1"] fieldset.feature').length === 1);
  assert.equal(await page.getAttribute('article.role[data-role-index="1"] fieldset.feature', 'data-feature'), chosen, 'Enter adds the option chosen');
  // The new feature's first field has the focus; after Remove, the feature list has it.
  await page.waitForFunction(() => document.activeElement?.id?.startsWith('roles-1-features-0-'));
  await page.click('article.role[data-role-index="1"] .remove-feature');
  await page.waitForFunction(() => document.activeElement?.id === 'roles-1-add-feature');
  assert.equal(await features(), 0);
  s.finish();
});

test('19. the share link and a reload keep the Capacity filter', TIMEOUT, async (t) => {
  const s = await session(t, browser, server.origin);
  const { page } = s;
  await open(page);
  const ec2 = 'button[data-filter="capacity"][data-value="ec2"]';
  await page.click(ec2);
  await page.waitForFunction(() => location.hash.includes('&capacity=ec2'));
  assert.equal(await page.getAttribute(ec2, 'aria-pressed'), 'true');
  const href = await page.evaluate(() => location.href);
  await page.reload();
  await appReady(page);
  assert.equal(await page.getAttribute(ec2, 'aria-pressed'), 'true', 'kept across a reload');
  const fresh = await session(t, browser, server.origin);
  await open(fresh.page, new URL(href).hash);
  assert.equal(await fresh.page.getAttribute(ec2, 'aria-pressed'), 'true', 'kept by the link');
  await outputMatchesFragment(fresh.page);
  s.finish();
  fresh.finish();
});

test('20. "Download files (.zip)" holds the files `render --out` writes, for a format of the first download and one of the tools module', TIMEOUT, async (t) => {
  const s = await session(t, browser, server.origin);
  const { page } = s;
  const config = fixture('seed-000-efs');
  const file = path.join(FIXTURES, 'seed-000-efs.json');
  for (const format of ['aws-cli', 'terraform']) {
    await open(page, makeFragment(config, format));
    await expectOutput(page, format, cliRender(config, format));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-bundle')]);
    assert.equal(download.suggestedFilename(), `ecs-iam-${format}.zip`);
    // The zip read back by Python's zipfile, against the files the CLI writes.
    const read = spawnSync('python3', ['-c', 'import json,sys,zipfile\nz=zipfile.ZipFile(sys.argv[1])\nprint(json.dumps({i.filename: [z.read(i).decode(), (i.external_attr >> 16) & 0o111 != 0] for i in z.infolist()}))', await download.path()], { encoding: 'utf8' });
    assert.equal(read.status, 0, read.stderr);
    const files = JSON.parse(read.stdout);
    const dir = path.join(ARTIFACTS, `bundle-${format}`);
    spawnSync('rm', ['-rf', dir]);
    const cli = spawnSync(BIN, ['render', file, '--format', format, '--out', dir], { encoding: 'utf8' });
    assert.equal(cli.status, 0, cli.stderr);
    const written = spawnSync('find', [dir, '-type', 'f', '-printf', '%P\n'], { encoding: 'utf8' }).stdout.trim().split('\n').sort();
    assert.deepEqual(Object.keys(files).sort(), written, `${format}: the same files`);
    for (const [name, [text, executable]] of Object.entries(files)) {
      assert.equal(text, readFileSync(path.join(dir, name), 'utf8'), `${format}: ${name}`);
      assert.equal(executable, (statSync(path.join(dir, name)).mode & 0o111) !== 0, `${format}: ${name} executable as the CLI writes it`);
    }
  }
  assert.ok(s.pageRequests.some((u) => u.endsWith('/tools/ecs_iam_tools_bg.wasm')), 'the Terraform files came from the tools module');
  s.finish();
});

test('21. a share link of many roles shows the output before the role cards, then every card, the tools and the gallery', TIMEOUT, async (t) => {
  const s = await session(t, browser, server.origin);
  const { page } = s;
  const config = fixture('large');
  const roles = JSON.parse(config).roles.length;
  // What the page holds at the moment the output first has text.
  await page.addInitScript(() => {
    new MutationObserver(() => {
      const code = document.querySelector('#output-panel code[data-format]');
      if (code && code.textContent.length && !window.__atFirstOutput) {
        window.__atFirstOutput = {
          cards: document.querySelectorAll('article.role').length,
          busy: document.querySelector('section.builder')?.getAttribute('aria-busy'),
          loading: document.querySelector('.loading-roles')?.textContent,
          gallery: !!document.querySelector('#patterns'),
          explanations: !!document.querySelector('section.explain'),
        };
      }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  await open(page, makeFragment(config, 'cloudformation-yaml'));
  const first = await page.evaluate(() => window.__atFirstOutput);
  assert.ok(first.cards < roles, `the first output came with ${first.cards} of ${roles} cards`);
  assert.equal(first.busy, 'true', 'the role editor says it is still loading');
  assert.equal(first.loading, `Loading ${roles - first.cards} more roles…`);
  assert.equal(first.gallery, false, 'the gallery comes after the first output');
  assert.equal(first.explanations, false, 'the explanations come in the next frame');
  await expectOutput(page, 'cloudformation-yaml', cliRender(config, 'cloudformation-yaml'));
  // Then every card, in order, and what follows them.
  const indexes = await page.$$eval('article.role', (a) => a.map((e) => Number(e.dataset.roleIndex)));
  assert.deepEqual(indexes, [...Array(roles).keys()]);
  assert.equal(await page.locator('.loading-roles').count(), 0);
  assert.equal(await page.locator('section.builder[aria-busy]').count(), 0);
  await page.waitForSelector('#patterns');
  await page.waitForSelector('.add-role');
  await page.waitForSelector('section.explain');
  // The last card works like the first.
  const last = roles - 1;
  const name = await page.inputValue(`#roles-${last}-name`);
  await page.locator(`#roles-${last}-name`).fill(`${name}-renamed`);
  await settled(page);
  const { config: now } = await pageFragment(page);
  assert.equal(JSON.parse(now).roles[last].name, `${name}-renamed`);
  await expectOutput(page, 'cloudformation-yaml', cliRender(now, 'cloudformation-yaml'));
  s.finish();
});
