// A documentation author's first page, made from the README alone: the README's own embedding
// snippet in a plain HTML page, with the release build copied to /ecs-iam/ beside it, served
// under a strict Content-Security-Policy of the kind the README says a host needs. The CLI is
// the oracle for the output.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { DIST, ROOT, cliRender, launchBrowser, session, startServer } from './helpers.mjs';

// What the README tells a host page to allow, and nothing more.
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; img-src 'self'; object-src 'none'";

let site;
let server;
let browser;

/** The first ```html block of the README's widget section, pointed at this test's site. */
function readmeSnippet() {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## The widget'));
  const block = section.match(/```html\n([\s\S]*?)```/);
  assert.ok(block, 'the README shows how to embed the widget');
  assert.match(block[1], /https:\/\/your\.site\/ecs-iam\/ecs-iam-builder\.js/);
  return block[1].replaceAll('https://your.site/ecs-iam/', '/ecs-iam/');
}

before(async () => {
  site = mkdtempSync(path.join(tmpdir(), 'ecs-iam-docs-'));
  cpSync(DIST, path.join(site, 'ecs-iam'), { recursive: true });
  writeFileSync(
    path.join(site, 'index.html'),
    `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Our ECS guide</title>
<link rel="stylesheet" href="site.css"><link rel="icon" href="ecs-iam/icon.svg"></head>
<body>
<h1>Mounting EFS in a task</h1>
<p>The task role needs the EFS client permissions.</p>
${readmeSnippet()}
</body>
</html>
`,
  );
  writeFileSync(path.join(site, 'site.css'), 'body { font-family: serif; color: #333 } code { color: red }\n');
  server = await startServer({ root: site, headers: { 'content-security-policy': CSP } });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (site) rmSync(site, { recursive: true, force: true });
});

test('the README\'s snippet works in a plain page under a strict Content-Security-Policy', async (t) => {
  const s = await session(t, browser, server.origin);
  const violations = [];
  await s.page.exposeFunction('reportViolation', (v) => violations.push(v));
  await s.page.addInitScript(() =>
    document.addEventListener('securitypolicyviolation', (e) => window.reportViolation(`${e.violatedDirective} ${e.blockedURI}`)),
  );
  const response = await s.page.goto(server.url);
  assert.equal(response.headers()['content-security-policy'], CSP);
  const widget = s.page.locator('ecs-iam-builder');
  await widget.locator('code[data-format]').waitFor({ timeout: 30000 });
  const config = await widget.getAttribute('config');
  const format = await widget.getAttribute('format');
  assert.equal(await widget.locator('code[data-format]').getAttribute('data-format'), format);
  assert.equal(await widget.locator('code[data-format]').textContent(), cliRender(config, format));
  // The attributes of the snippet limit it: its tools' tabs, its feature chips.
  const tabs = await widget.locator('button[role=tab]').evaluateAll((b) => b.map((x) => x.dataset.tab));
  assert.deepEqual(tabs, ['cloudformation-yaml', 'cloudformation-json', 'aws-cli']);
  const chips = await widget.locator('button.chip[data-filter=feature]').evaluateAll((b) => b.map((x) => x.dataset.value));
  assert.deepEqual(chips.sort(), ['efs', 'logs']);
  // Typing works under the policy too (the controls are folded under the output).
  await widget.locator('details.widget-controls > summary').click();
  await widget.locator('#roles-0-name').fill('guideTaskRole');
  await s.page.waitForFunction(() =>
    document.querySelector('ecs-iam-builder').shadowRoot.querySelector('code[data-format]')?.textContent.includes('guideTaskRole'),
  );
  const edited = JSON.parse(config);
  edited.roles[0].name = 'guideTaskRole';
  assert.equal(await widget.locator('code[data-format]').textContent(), cliRender(JSON.stringify(edited), format));
  assert.deepEqual(violations, [], 'nothing the widget does is refused by the policy');
  // Everything came from the site's own /ecs-iam/ folder (or the page itself).
  const paths = s.requests.map((u) => new URL(u, server.origin).pathname);
  assert.ok(paths.every((p) => p === '/' || p === '/site.css' || p.startsWith('/ecs-iam/')), paths.join('\n'));
  s.finish();
});
