// `ecs-iam-builder/tools` (the wasm module of its own in the package's tools/) against the CLI:
// importConfig, diff, vectors and diagnose answer what `ecs-iam import/diff/vectors/diagnose
// --json` print, and evaluate decides as the core does. In Node the subpath is ready on import.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const pkg = process.env.ECS_IAM_PKG ?? path.join(root, "crates/js/pkg");
const cli = process.env.ECS_IAM_BIN ?? path.join(root, "target/debug/ecs-iam");
const fixtures = path.join(root, "tests/fixtures");

const tools = await import(path.join(pkg, "tools/ecs_iam_tools.js"));
tools.initSync({ module: readFileSync(path.join(pkg, "tools/ecs_iam_tools_bg.wasm")) });

function cliJson(args, input) {
  const r = spawnSync(cli, args, { input, encoding: "utf8" });
  assert.ok(r.status === 0 || r.status === 1, `${args.join(" ")}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const importInputs = readdirSync(path.join(fixtures, "import"))
  .filter((f) => /\.(json|ya?ml)$/.test(f))
  .sort();

test("there are task definitions and templates to import", () => {
  assert.ok(importInputs.length >= 5, importInputs.join(", "));
});

for (const file of importInputs) {
  test(`importConfig(${file}) equals ecs-iam import --json`, () => {
    const full = path.join(fixtures, "import", file);
    const text = readFileSync(full, "utf8");
    assert.deepEqual(tools.importConfig(text), cliJson(["import", full, "--json"]));
  });
}

test("importConfig takes an object too, and throws the CLI's message for what is no task definition", () => {
  const td = { family: "web", executionRoleArn: "arn:aws:iam::111122223333:role/web-exec", containerDefinitions: [{ name: "a", image: "nginx", secrets: [{ name: "A", valueFrom: "db-password" }] }] };
  assert.deepEqual(tools.importConfig(td), cliJson(["import", "-", "--json"], JSON.stringify(td)));
  const r = spawnSync(cli, ["import", "-"], { input: "{\"family\": \"x\"}", encoding: "utf8" });
  assert.equal(r.status, 2);
  assert.throws(() => tools.importConfig({ family: "x" }), (e) => e instanceof Error && e.message === r.stderr.trim());
});

const diffDir = path.join(fixtures, "diff");
for (const file of readdirSync(diffDir).filter((f) => f.startsWith("over-broad.")).sort()) {
  test(`diff(service, ${file}) equals ecs-iam diff --json`, () => {
    const config = readFileSync(path.join(diffDir, "service.config.json"), "utf8");
    const against = readFileSync(path.join(diffDir, file), "utf8");
    const got = tools.diff(config, against);
    assert.deepEqual(got, cliJson(["diff", path.join(diffDir, "service.config.json"), "--against", path.join(diffDir, file), "--json"]));
    assert.ok(got.findings.some((f) => f.kind === "wrong-role"), "the over-broad roles have a permission on the wrong role");
  });
}

test("vectors and diagnose equal the CLI", () => {
  for (const file of ["seed-002-secrets.json", "cross-account.json", "exec-and-policy-variables.json"]) {
    const full = path.join(fixtures, file);
    assert.deepEqual(tools.vectors(readFileSync(full, "utf8")), cliJson(["vectors", full, "--json"]), file);
  }
  const message = "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/ecsTaskExecutionRole/abc is not authorized to perform: secretsmanager:GetSecretValue on resource: arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf";
  const got = tools.diagnose(message);
  assert.deepEqual(got, cliJson(["diagnose", "--json"], message));
  assert.equal(got.recognised, true);
  assert.equal(got.roleName, "ecsTaskExecutionRole");
  // With a configuration: the fix applied, as `diagnose --config` applies it.
  const config = path.join(fixtures, "seed-002-secrets.json");
  const fixed = tools.diagnose(message, readFileSync(config, "utf8"));
  assert.deepEqual(fixed, cliJson(["diagnose", "--config", config, "--json"], message));
  assert.ok(fixed.applied.changes.length > 0, JSON.stringify(fixed.applied));
  assert.equal(tools.diagnose(message, null).applied, undefined);
});

test("evaluate decides as IAM: explicit deny over allow, conditions, the trust policy's service", () => {
  const allow = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:Get*", Resource: "arn:aws:s3:::b/*" }] };
  const deny = { Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "s3:GetObject", Resource: "arn:aws:s3:::b/secret/*" }] };
  assert.equal(tools.evaluate([allow], { action: "s3:GetObject", resource: "arn:aws:s3:::b/x" }).decision, "allow");
  assert.equal(tools.evaluate([allow, deny], { action: "s3:GetObject", resource: "arn:aws:s3:::b/secret/k" }).decision, "explicit-deny");
  assert.equal(tools.evaluate([allow], { action: "s3:PutObject", resource: "arn:aws:s3:::b/x" }).decision, "implicit-deny");
  const trust = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } }] };
  const assume = (context) => tools.evaluate([], { principal: "ecs-tasks.amazonaws.com", action: "sts:AssumeRole", resource: "arn:aws:iam::111122223333:role/r", context }, trust).decision;
  assert.equal(assume({ "aws:SourceAccount": "111122223333" }), "allow");
  assert.equal(assume({ "aws:SourceAccount": "444455556666" }), "implicit-deny");
  assert.equal(assume(undefined), "implicit-deny");
  assert.throws(() => tools.evaluate({}, { action: "a", resource: "*" }), /policies: must be an array/);
  assert.throws(() => tools.evaluate([], { action: "a" }), /request: needs action and resource/);
});

test("in Node, ecs-iam-builder/tools is ready on import and typed", () => {
  const project = mkdtempSync(path.join(tmpdir(), "ecs-iam-tools-"));
  mkdirSync(path.join(project, "node_modules"));
  symlinkSync(pkg, path.join(project, "node_modules", "ecs-iam-builder"), "dir");
  writeFileSync(
    path.join(project, "ready.mjs"),
    `import { diagnose } from "ecs-iam-builder/tools";
import { render } from "ecs-iam-builder";
process.stdout.write(String(diagnose("ECS was unable to assume the role 'arn:aws:iam::111122223333:role/x'").recognised) + " " + render({ roles: [{ kind: "task" }] }, "json").length);`,
  );
  const r = spawnSync(process.execPath, ["ready.mjs"], { cwd: project, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^true \d+$/);
  const dts = readFileSync(path.join(pkg, "tools/ecs_iam_tools.d.ts"), "utf8");
  for (const needle of [
    "export function importConfig(input: string | object): ImportResult;",
    "export function diff(config: ToolsConfig | string, against: string | object): Diff;",
    "export function vectors(config: ToolsConfig | string): Vector[];",
    "export function diagnose(text: string, config?: ToolsConfig | string | null): Diagnosis;",
    "export interface Finding",
  ]) {
    assert.ok(dts.includes(needle), `types lack ${needle}`);
  }
  const manifest = JSON.parse(readFileSync(path.join(pkg, "package.json"), "utf8"));
  assert.equal(manifest.exports["./tools"].node, "./tools/node.js");
  assert.ok(execFileSync("ls", [path.join(pkg, "tools")], { encoding: "utf8" }).includes("ecs_iam_tools_bg.wasm"));
});

// The optional formats (the web app's first download leaves their renderers out and renders
// them here): the text and the `--out` files equal the CLI's; the other formats are refused.
test("renderFormat and renderFiles give the CLI's optional formats; the base formats are the main module's", () => {
  const files = readdirSync(fixtures).filter((f) => f.endsWith(".json")).sort();
  assert.ok(files.length >= 5);
  for (const file of files) {
    const full = path.join(fixtures, file);
    const text = readFileSync(full, "utf8");
    for (const format of ["terraform", "cdk-typescript", "pulumi-typescript", "handoff", "ufo", "task-definition"]) {
      const want = execFileSync(cli, ["render", full, "--format", format], { encoding: "utf8" });
      assert.equal(tools.renderFormat(text, format), want, `${file} ${format}`);
      assert.equal(tools.renderFormat(JSON.parse(text), format), want, `${file} ${format} from an object`);
    }
    const out = mkdtempSync(path.join(tmpdir(), "ecs-iam-files-"));
    execFileSync(cli, ["render", full, "--format", "terraform", "--out", out]);
    for (const f of tools.renderFiles(text, "terraform")) {
      assert.equal(f.contents, readFileSync(path.join(out, f.path), "utf8"), `${file} ${f.path}`);
    }
  }
  assert.throws(() => tools.renderFormat('{"roles":[{"kind":"task"}]}', "cloudformation-yaml"), /main module/);
  assert.throws(() => tools.renderFormat('{"roles":[{"kind":"task"}]}', "pdf"), /no format `pdf`/);
  assert.throws(() => tools.renderFormat('{"roles":[{"kind":"nope"}]}', "terraform"), /kind/);
});
