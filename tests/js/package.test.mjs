// The npm package `ecs-iam-builder`, built by wasm-pack (--target web), against the CLI:
// the same renderings, the same error messages, the same catalogue.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { gzipSync, constants } from "node:zlib";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const pkg = process.env.ECS_IAM_PKG ?? path.join(root, "crates/js/pkg");
const cli = process.env.ECS_IAM_BIN ?? path.join(root, "target/debug/ecs-iam");
const fixtures = path.join(root, "tests/fixtures");

const manifest = JSON.parse(readFileSync(path.join(pkg, "package.json"), "utf8"));
const engine = await import(path.join(pkg, manifest.module ?? manifest.main));
engine.initSync({ module: readFileSync(path.join(pkg, manifest.name.replaceAll("-", "_") + "_bg.wasm")) });

// Every format of the catalogue, as the CLI lists it.
const FORMATS = JSON.parse(execFileSync(cli, ["catalog", "--json"], { encoding: "utf8" })).formats.map((f) => f.id);
const fixtureFiles = readdirSync(fixtures).filter((f) => f.endsWith(".json")).sort();

function cliRender(file, format) {
  return execFileSync(cli, ["render", file, "--format", format], { encoding: "utf8" });
}

test("the package's wasm is within its budget of 171 KB gzipped", () => {
  // A size budget, not a timing: the same toolchain gives the same bytes. The figure is also
  // in the README (node tests/e2e/perf.mjs prints it). The target is 100 KB; the role kinds of
  // 2026 took the package to 123 KB, and the Terraform, CDK, Pulumi and hand-off renderers to
  // 140 KB, and the IAM evaluator behind check's denied-by-statement and the error patterns of
  // the catalogue to 152 KB, and the hand-off's requests to check (the test vectors) to 157.5 KB,
  // and the application's own features of the task role (nine features with their statements,
  // switches and reasons), the AWS CLI script that is safe to run again and the task definition
  // fragment's containers to about 167 KB (the budget went from 160 to 170 KB with them), and
  // the engine's faster paths (the policy-size walk, the escaper's and placeholders' byte scans,
  // the hand-off's in-place table and vectors: 30% fewer instructions for every format) to
  // 171.0 KB (the budget to 171 KB). The budget holds the line until the engine is smaller.
  const wasm = readFileSync(path.join(pkg, manifest.name.replaceAll("-", "_") + "_bg.wasm"));
  const gz = gzipSync(wasm, { level: constants.Z_BEST_COMPRESSION }).length;
  assert.ok(gz <= 171_000, `the wasm is ${gz} bytes gzipped, over the 171,000-byte budget`);
});

test("the package is ecs-iam-builder with types", () => {
  assert.equal(manifest.name, "ecs-iam-builder");
  const dts = readFileSync(path.join(pkg, manifest.types), "utf8");
  for (const needle of [
    "export function render(config: Config | string, format: FormatId): string;",
    "export function check(config: Config | string): Diagnostic[];",
    "export function catalog(): Catalog;",
    "export function explain(config: Config | string): Explanation[];",
    "export interface Config",
    "export type FormatId =",
    "export interface EcrPullFeature",
  ]) {
    assert.ok(dts.includes(needle), `types lack ${needle}`);
  }
  // The API is typed; only wasm-bindgen's description of the raw wasm exports (InitOutput,
  // internal to its loader) speaks of `any`.
  const api = dts.replace(/\/\*\*[\s\S]*?\*\//g, "").replace(/export interface InitOutput \{[\s\S]*?\n\}/, "");
  assert.ok(!/\bany\b/.test(api), "no `any` in the API's types");
});

for (const file of fixtureFiles) {
  test(`render(${file}) equals the CLI, from a string and from an object`, () => {
    const full = path.join(fixtures, file);
    const text = readFileSync(full, "utf8");
    for (const format of FORMATS) {
      const want = cliRender(full, format);
      assert.equal(engine.render(text, format), want, `${format} from a string`);
      assert.equal(engine.render(JSON.parse(text), format), want, `${format} from an object`);
    }
    // `check` exits 1 when it finds errors; its JSON is on stdout either way.
    const checked = JSON.parse(spawnSync(cli, ["check", full, "--json"], { encoding: "utf8" }).stdout);
    assert.deepEqual(engine.check(JSON.parse(text)), checked);
    const explained = JSON.parse(execFileSync(cli, ["explain", full, "--json"], { encoding: "utf8" }));
    assert.deepEqual(engine.explain(text), explained);
    assert.ok(explained.length > 0 && explained.every((e) => e.policies.every((p) => p.statements.every((st) => st.why))));
  });
}

test("a bad config throws an Error with the CLI's message", () => {
  const bad = {
    roles: [{ kind: "task-execution", features: [{ id: "ecr-pull", repositories: ["ok", "My Repo"] }] }],
  };
  const cliRun = spawnSync(cli, ["render", "-", "--format", "json"], { input: JSON.stringify(bad), encoding: "utf8" });
  assert.equal(cliRun.status, 2);
  const message = cliRun.stderr.trim();
  assert.match(message, /^roles\[0\]\.features\[0\]\.repositories\[1\]: "My Repo"/);
  for (const input of [bad, JSON.stringify(bad)]) {
    assert.throws(() => engine.render(input, "json"), (e) => e instanceof Error && e.message === message);
    assert.throws(() => engine.check(input), (e) => e instanceof Error && e.message === message);
    assert.throws(() => engine.explain(input), (e) => e instanceof Error && e.message === message);
  }
  assert.throws(() => engine.render("{", "json"), (e) => e instanceof Error && e.message.startsWith("config: is not valid JSON"));
  assert.throws(() => engine.render({ roles: [{ kind: "task" }] }, "pdf"), (e) => e instanceof Error && e.message.startsWith('format: "pdf"'));
  assert.throws(() => engine.render({ rolez: [] }, "json"), (e) => /rolez/.test(e.message));
  // A key written twice in a JSON string is refused with the path of its object, as the CLI does.
  const twice = '{"roles": [{"kind": "task", "name": "a", "name": "b"}]}';
  const cliTwice = spawnSync(cli, ["render", "-", "--format", "json"], { input: twice, encoding: "utf8" });
  assert.equal(cliTwice.status, 2);
  assert.match(cliTwice.stderr, /^roles\[0\]: has the key "name" twice/);
  assert.throws(() => engine.render(twice, "json"), (e) => e instanceof Error && e.message === cliTwice.stderr.trim());
});

test("catalog() lists every id the CLI's catalog --json lists", () => {
  const want = JSON.parse(execFileSync(cli, ["catalog", "--json"], { encoding: "utf8" }));
  const got = engine.catalog();
  assert.deepEqual(got, want);
  for (const key of ["roleKinds", "features", "formats"]) {
    assert.ok(got[key].length > 0, key);
  }
});

// The TypeScript compiler is the oracle for the types: a correct use compiles, and a typo in
// a feature parameter, an unknown format or a feature on the wrong role kind does not.
test("the TypeScript types accept correct configs and reject wrong ones", () => {
  const tsc = path.join(root, "node_modules/typescript/bin/tsc");
  const dir = mkdtempSync(path.join(tmpdir(), "ecs-iam-types-"));
  const types = path.join(pkg, manifest.types).replaceAll("\\", "/").replace(/\.d\.ts$/, "");
  const compile = (body) => {
    const file = path.join(dir, `use-${Math.random().toString(36).slice(2)}.ts`);
    writeFileSync(file, `import { render, check, explain, catalog, type Config } from ${JSON.stringify(types)};\n${body}\n`);
    return spawnSync(process.execPath, [tsc, "--noEmit", "--strict", "--target", "es2022", "--module", "es2022", "--moduleResolution", "bundler", file], { encoding: "utf8" });
  };
  const good = compile(`
const config: Config = {
  partition: "aws", region: "us-west-1", account: "209640446841",
  roles: [
    { kind: "task-execution", name: "ecsTaskExecutionRole", managedPolicies: ["AmazonECSTaskExecutionRolePolicy"], confusedDeputy: true,
      features: [{ id: "ecr-pull", repositories: ["my-repo"] }, { id: "logs", logGroups: ["my-log-group-name"] }] },
    { kind: "task", features: [{ id: "efs", fileSystems: ["fs-0123456789abcdef0"], write: true },
      { id: "custom", statements: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/*" }] }] },
    { kind: "deployer", passRoles: ["ecsTaskExecutionRole"] },
  ],
};
const text: string = render(config, "cloudformation-yaml");
const severities: Array<"error" | "warning" | "info"> = check(config).map((d) => d.severity);
const ids: string[] = catalog().features.map((f) => f.id);
const why: string[] = explain(config).flatMap((e) => e.policies.flatMap((p) => p.statements.map((st) => st.why)));
console.log(text, severities, ids, why);`);
  assert.equal(good.status, 0, good.stdout + good.stderr);
  for (const [what, body] of [
    ["a misspelt parameter", `const c: Config = { roles: [{ kind: "task-execution", features: [{ id: "ecr-pull", repository: ["x"] }] }] };`],
    ["an unknown format", `render({ roles: [] }, "pdf");`],
    ["a feature on the wrong role", `const c: Config = { roles: [{ kind: "infrastructure", features: [{ id: "ecr-pull" }] }] };`],
    ["an unknown role kind", `const c: Config = { roles: [{ kind: "lambda" }] };`],
    ["a field explain does not return", `explain({ roles: [] })[0].policies[0].reason;`],
  ]) {
    const bad = compile(body);
    assert.notEqual(bad.status, 0, `${what} compiled`);
  }
});

// Node resolves the package through its exports: the "node" entry has the engine ready on
// import. The README's Node example (initSync with the wasm file) keeps working too.
test("in Node, the installed package is ready on import, and the README's example runs", () => {
  const project = mkdtempSync(path.join(tmpdir(), "ecs-iam-node-"));
  mkdirSync(path.join(project, "node_modules"));
  symlinkSync(pkg, path.join(project, "node_modules", "ecs-iam-builder"), "dir");
  const config = JSON.stringify({ roles: [{ kind: "task-execution", features: [{ id: "logs", logGroups: ["/ecs/app"] }] }] });
  const run = (file, body) => {
    writeFileSync(path.join(project, file), body);
    const r = spawnSync(process.execPath, [path.join(project, file)], { cwd: project, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const ready = run(
    "ready.mjs",
    `import { render, explain } from "ecs-iam-builder";
import init from "ecs-iam-builder";
await init(); // a no-op here, so code written for the browser runs unchanged
process.stdout.write(render(${JSON.stringify(config)}, "json") + "\\n" + explain(${JSON.stringify(config)}).length);`,
  );
  const want = spawnSync(cli, ["render", "-", "--format", "json"], { input: config, encoding: "utf8" }).stdout;
  assert.equal(ready, want + "\n1");

  const readme = readFileSync(path.join(root, "crates/js/README.md"), "utf8");
  const example = readme.slice(readme.indexOf("## Node")).match(/```js\n([\s\S]*?)```/)[1];
  const printed = run("readme.mjs", example);
  const wantCli = spawnSync(cli, ["render", "-", "--format", "aws-cli"], {
    input: JSON.stringify({ roles: [{ kind: "task-execution" }] }),
    encoding: "utf8",
  }).stdout;
  assert.equal(printed, wantCli + "\n", "the README's example prints the CLI's script");
});
