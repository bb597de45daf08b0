// The documentation-site widget: dist/embed-example.html, a page of prose with two
// <ecs-iam-builder> elements, in headless Chromium. The CLI is the oracle for every output.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { ARTIFACTS, cliRender, launchBrowser, parseFragment, session, startServer } from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await startServer({ prefix: '/docs/ecs/' });
  browser = await launchBrowser();
  mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** The text of a widget's output element (Playwright's CSS selectors pierce open shadow roots). */
async function widgetOutput(page, id) {
  return page.locator(`ecs-iam-builder#${id} code[data-format]`).textContent();
}

async function widgetFormat(page, id) {
  return page.locator(`ecs-iam-builder#${id} code[data-format]`).getAttribute('data-format');
}

async function openExample(t) {
  const s = await session(t, browser, server.origin);
  await s.page.goto(server.url + 'embed-example.html');
  for (const id of ['efs', 'infrastructure']) {
    await s.page.locator(`ecs-iam-builder#${id} code[data-format]`).waitFor({ timeout: 30000 });
  }
  return s;
}

async function attribute(page, id, name) {
  return page.locator(`ecs-iam-builder#${id}`).getAttribute(name);
}

test('both widgets render what the CLI renders for their config and format', async (t) => {
  const s = await openExample(t);
  for (const id of ['efs', 'infrastructure']) {
    const config = await attribute(s.page, id, 'config');
    const format = await attribute(s.page, id, 'format');
    assert.equal(await widgetFormat(s.page, id), format);
    assert.equal(await widgetOutput(s.page, id), cliRender(config, format), `widget ${id}`);
    // Compact on a documentation page: the output first, the controls folded.
    const height = await s.page.locator(`ecs-iam-builder#${id}`).evaluate((e) => e.getBoundingClientRect().height);
    assert.ok(height <= 800, `widget ${id} is ${height}px tall`);
  }
  await s.page.screenshot({ path: path.join(ARTIFACTS, 'embed-example.png'), fullPage: true });
  s.finish();
});

test('changing one widget\'s attributes re-renders that widget only', async (t) => {
  const s = await openExample(t);
  const before = await widgetOutput(s.page, 'infrastructure');
  await s.page.locator('ecs-iam-builder#efs').evaluate((e) => e.setAttribute('format', 'json'));
  await s.page.locator('ecs-iam-builder#efs code[data-format="json"]').waitFor();
  const config = await attribute(s.page, 'efs', 'config');
  assert.equal(await widgetOutput(s.page, 'efs'), cliRender(config, 'json'));
  assert.equal(await widgetOutput(s.page, 'infrastructure'), before, 'the other widget did not change');

  const next = JSON.stringify({ roles: [{ kind: 'task', name: 'docs-task', features: [{ id: 'efs', fileSystems: ['fs-0fedcba9876543210'] }] }] });
  await s.page.locator('ecs-iam-builder#efs').evaluate((e, c) => e.setAttribute('config', c), next);
  await s.page.waitForFunction(
    () => document.querySelector('ecs-iam-builder#efs').shadowRoot.querySelector('code[data-format]')?.textContent.includes('docs-task'),
  );
  assert.equal(await widgetOutput(s.page, 'efs'), cliRender(next, 'json'));
  assert.equal(await widgetOutput(s.page, 'infrastructure'), before, 'the other widget did not change');

  // Typing inside one widget changes that widget only, and the output follows the CLI.
  await s.page.locator('ecs-iam-builder#infrastructure details.widget-controls > summary').click();
  const input = s.page.locator('ecs-iam-builder#infrastructure #roles-0-name');
  await input.fill('docsInfrastructureRole');
  await s.page.waitForFunction(
    () => document.querySelector('ecs-iam-builder#infrastructure').shadowRoot.querySelector('code[data-format]')?.textContent.includes('docsInfrastructureRole'),
  );
  const edited = JSON.parse(await attribute(s.page, 'infrastructure', 'config'));
  edited.roles[0].name = 'docsInfrastructureRole';
  assert.equal(await widgetOutput(s.page, 'infrastructure'), cliRender(JSON.stringify(edited), 'aws-cli'));
  assert.equal(await widgetOutput(s.page, 'efs'), cliRender(next, 'json'));
  s.finish();
});

test('attributes set together in one go all apply, in any order and number', async (t) => {
  const s = await openExample(t);
  const cases = [
    { format: 'aws-cli', config: { roles: [{ kind: 'task', name: 'together-one' }] }, order: ['format', 'config'] },
    { format: 'cloudformation-json', config: { roles: [{ kind: 'task-execution', name: 'together-two' }] }, order: ['config', 'format'] },
    { format: 'json', config: { roles: [{ kind: 'task', name: 'together-three' }] }, order: ['format', 'config', 'format', 'config'] },
  ];
  for (const c of cases) {
    const config = JSON.stringify(c.config);
    await s.page.locator('ecs-iam-builder#efs').evaluate((e, { order, format, config }) => {
      // In one task: intermediate values first, the final ones last.
      for (const [i, name] of order.entries()) {
        const last = order.lastIndexOf(name) === i;
        e.setAttribute(name, name === 'format' ? (last ? format : 'ufo') : (last ? config : '{"roles": [{"kind": "task"}]}'));
      }
    }, { order: c.order, format: c.format, config });
    const name = c.config.roles[0].name;
    await s.page.waitForFunction(
      ({ format, name }) => {
        const code = document.querySelector('ecs-iam-builder#efs').shadowRoot.querySelector(`code[data-format="${format}"]`);
        return code?.textContent.includes(name);
      },
      { format: c.format, name },
    );
    assert.equal(await widgetOutput(s.page, 'efs'), cliRender(config, c.format), c.order.join(' '));
    assert.equal(await s.page.locator('ecs-iam-builder#efs code[data-format]').count(), 1, 'one widget app in the element');
  }
  s.finish();
});

test('the attributes limit what a widget offers', async (t) => {
  const s = await openExample(t);
  const tabs = await s.page.locator('ecs-iam-builder#efs button[role=tab]').evaluateAll((b) => b.map((x) => x.dataset.tab));
  assert.deepEqual(tabs, ['cloudformation-yaml', 'cloudformation-json', 'aws-cli', 'json'], 'tool="cloudformation aws-cli json"');
  const chips = await s.page.locator('ecs-iam-builder#efs button.chip[data-filter=feature]').evaluateAll((b) => b.map((x) => x.dataset.value));
  assert.deepEqual(chips.sort(), ['ecr-pull', 'efs', 'logs']);
  const kinds = await s.page.locator('ecs-iam-builder#infrastructure .add-role button[data-kind]').evaluateAll((b) => b.map((x) => x.dataset.kind));
  assert.deepEqual(kinds, ['infrastructure', 'deployer']);
  s.finish();
});

test('a format the first download leaves out (Terraform) renders in a widget, by the tools module beside the widget\'s script', async (t) => {
  const s = await openExample(t);
  assert.ok(!s.pageRequests.some((u) => u.includes('/tools/')), 'the widgets\' first render loads no tools');
  const config = JSON.stringify({ roles: [{ kind: 'infrastructure', name: 'from-the-tools' }] });
  await s.page.locator('ecs-iam-builder#infrastructure').evaluate((e, config) => {
    e.setAttribute('tool', 'terraform cloudformation');
    e.setAttribute('format', 'terraform');
    e.setAttribute('config', config);
  }, config);
  await s.page.waitForFunction(() => document.querySelector('ecs-iam-builder#infrastructure').shadowRoot
    .querySelector('code[data-format="terraform"]')?.textContent.includes('from-the-tools'));
  assert.equal(await widgetOutput(s.page, 'infrastructure'), cliRender(config, 'terraform'));
  assert.ok(s.pageRequests.some((u) => u.endsWith('/tools/ecs_iam_tools_bg.wasm')), 'the renderer came from the tools module');
  s.finish();
});

test('the host page\'s CSS does not reach the widgets', async (t) => {
  const s = await openExample(t);
  const styles = () =>
    s.page.evaluate(() =>
      [...document.querySelectorAll('ecs-iam-builder')].map((w) => {
        const root = w.shadowRoot;
        const pick = (el, props) => props.map((p) => getComputedStyle(el)[p]);
        return [
          pick(root.querySelector('code[data-format]'), ['color', 'fontFamily', 'fontSize']),
          pick(root.querySelector('button'), ['color', 'fontFamily', 'backgroundColor']),
          pick(root.querySelector('input, textarea'), ['color', 'fontFamily', 'borderTopColor']),
          pick(root.querySelector('.ecs-iam-widget'), ['backgroundColor', 'color', 'fontFamily', 'lineHeight']),
        ];
      }),
    );
  const withHostCss = await styles();
  // The host page's rules are loud on purpose (red Comic Sans, custom properties): the widget
  // must look the same with and without them.
  await s.page.evaluate(() => document.querySelectorAll('head style').forEach((e) => e.remove()));
  const withoutHostCss = await styles();
  assert.deepEqual(withHostCss, withoutHostCss);
  assert.ok(!JSON.stringify(withHostCss).includes('Comic Sans'));
  // ...and the widget's CSS does not leave its shadow root.
  const hostButton = await s.page.evaluate(() => {
    const b = document.createElement('button');
    document.body.append(b);
    return getComputedStyle(b).borderRadius;
  });
  assert.equal(hostButton, '0px', 'a host button keeps the browser default');
  s.finish();
});

test('the link opens the full app with the same configuration', async (t) => {
  const s = await openExample(t);
  const config = await attribute(s.page, 'efs', 'config');
  const link = s.page.locator('ecs-iam-builder#efs a.open-app');
  const href = await link.getAttribute('href');
  assert.ok(href.startsWith(server.url + '#config='), href);
  const [app] = await Promise.all([s.context.waitForEvent('page'), link.click()]);
  await app.waitForSelector('code[data-format]', { timeout: 30000 });
  const fragment = parseFragment(await app.evaluate(() => location.hash));
  assert.deepEqual(JSON.parse(fragment.config), JSON.parse(config));
  assert.equal(fragment.format, 'cloudformation-yaml');
  assert.equal(await app.locator('code[data-format="cloudformation-yaml"]').textContent(), cliRender(config, 'cloudformation-yaml'));
  s.finish();
});

test('a wrongly set up widget says so inside itself', async (t) => {
  const s = await openExample(t);
  await s.page.evaluate(() => {
    const w = document.createElement('ecs-iam-builder');
    w.id = 'broken';
    w.setAttribute('config', '{not json');
    w.setAttribute('format', 'pdf');
    document.body.append(w);
  });
  const notice = s.page.locator('ecs-iam-builder#broken #notice');
  await notice.waitFor({ timeout: 30000 });
  const text = await notice.textContent();
  assert.match(text, /config attribute/);
  assert.match(text, /"pdf"/);
  // It still shows the default configuration's output.
  await s.page.locator('ecs-iam-builder#broken code[data-format]').waitFor();
  s.finish();
});
