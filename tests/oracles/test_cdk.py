"""The `cdk-typescript` format, judged by the real AWS CDK (aws-cdk-lib, pinned in
tests/iac/package.json) and TypeScript:
  - `tsc --strict` accepts the stack of every fixture and permission style (one project holds
    them all);
  - each stack synthesizes offline, without credentials, with CDK's own template validation
    made fatal (`@aws-cdk/core:validateAgainstDefaultRules`);
  - cfn-lint reports no error or warning on the synthesized templates;
  - the synthesized IAM, its intrinsic functions evaluated for the deployment's partition,
    Region and account (oracle.evaluate_template), is the IAM of the `json` rendering (policy
    documents compared after CDK's own normalization: a one-element list is a scalar);
  - the app that `--out` writes synthesizes with `npx cdk synth` as it is."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest

import oracle
from test_moto_cli import compare_models

CDK = oracle.ROOT / "tests" / "iac" / "node_modules"
CASES = [(f, s) for f in oracle.FIXTURES for s in oracle.STYLES]
IDS = [f"{f.stem}-{s}" for f, s in CASES]
ENV = {**os.environ, "AWS_EC2_METADATA_DISABLED": "true", "CDK_DISABLE_VERSION_CHECK": "1"}
for key in ("AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
    ENV.pop(key, None)

TSCONFIG = {
    "compilerOptions": {
        "target": "ES2022", "module": "commonjs", "lib": ["es2022"], "strict": True,
        "skipLibCheck": True, "outDir": "dist", "rootDir": ".", "types": ["node"],
    },
    "include": ["bin", "lib"],
}


def normalize(node):
    """A document as CDK writes it: one-element lists as scalars, keys in any order."""
    if isinstance(node, dict):
        return {k: normalize(v) for k, v in node.items()}
    if isinstance(node, list):
        items = [normalize(v) for v in node]
        return items[0] if len(items) == 1 else items
    return node


def normalize_model(model):
    for r in model["roles"].values():
        r["AssumeRolePolicyDocument"] = normalize(r["AssumeRolePolicyDocument"])
        r["Inline"] = {k: normalize(v) for k, v in r["Inline"].items()}
    for p in model["policies"].values():
        p["Document"] = normalize(p["Document"])
    return model


def project(directory):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "node_modules").symlink_to(CDK)
    (directory / "tsconfig.json").write_text(json.dumps(TSCONFIG))
    (directory / "bin").mkdir()
    (directory / "lib").mkdir()


def tsc(directory):
    return subprocess.run([str(CDK / ".bin" / "tsc"), "-p", str(directory)], capture_output=True,
                          text=True, timeout=600, env=ENV)


SYNTH_ALL = """import { App, DefaultStackSynthesizer } from "aws-cdk-lib";
import * as fs from "fs";
const out: Record<string, unknown> = {};
function synth(name: string, S: any) {
  try {
    const app = new App({
      analyticsReporting: false,
      context: { "@aws-cdk/core:validateAgainstDefaultRules": process.env.ECS_IAM_CDK_VALIDATE !== "0", "aws:cdk:enable-path-metadata": false },
    });
    new S(app, "EcsIam", { synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }) });
    out[name] = { template: app.synth().getStackByName("EcsIam").template };
  } catch (e) {
    out[name] = { error: String(e) };
  }
}
"""


def tsc_errors(checked, count):
    """tsc's errors by case number (its messages start with the file: lib/caseN.ts(...))."""
    errors = {}
    for line in (checked.stdout + checked.stderr).splitlines():
        m = re.match(r".*lib/case(\d+)\.ts\(", line)
        if m and int(m.group(1)) < count:
            errors.setdefault(int(m.group(1)), []).append(line)
    return errors


def synth_batch(work, items, validate=True):
    """Type-checks and synthesizes stacks in one project: items are (case id, stack text);
    `validate`: CDK's template validation fails the synthesis. Returns (tsc result,
    {case id: {"template": ...} or {"error": ...}})."""
    proj = work / "all"
    project(proj)
    lines = [SYNTH_ALL]
    for n, (cid, text) in enumerate(items):
        (proj / "lib" / f"case{n}.ts").write_text(text)
        lines.append(f'import {{ EcsIamStack as S{n} }} from "../lib/case{n}";\nsynth({json.dumps(cid)}, S{n});\n')
    lines.append("fs.writeFileSync(process.argv[2], JSON.stringify(out));\n")
    (proj / "bin" / "all.ts").write_text("".join(lines))
    checked = tsc(proj)
    result = work / "templates.json"
    run = subprocess.run(["node", str(proj / "dist" / "bin" / "all.js"), str(result)], capture_output=True,
                         text=True, timeout=1800, env={**ENV, "ECS_IAM_CDK_VALIDATE": "1" if validate else "0"})
    assert run.returncode == 0, run.stderr[-4000:]
    out = json.loads(result.read_text())
    for n, errs in tsc_errors(checked, len(items)).items():
        out[items[n][0]] = {"error": "tsc: " + "\n".join(errs)}
    return checked, out


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory):
    """Every case's stack in one TypeScript project: (tsc result, {case id: template or error})."""
    work = tmp_path_factory.mktemp("cdk")
    items = [(cid, oracle.render(f, "cdk-typescript", s).stdout) for (f, s), cid in zip(CASES, IDS)]
    checked, out = synth_batch(work, items)
    return checked, out, work


def test_tsc_strict_accepts_every_stack(synthesized):
    checked, _, _ = synthesized
    assert checked.returncode == 0, (checked.stdout + checked.stderr)[-6000:]


@pytest.fixture(scope="module")
def linted(synthesized):
    _, templates, work = synthesized
    paths = {}
    for cid, result in templates.items():
        if "template" in result:
            path = work / f"{cid}.template.json"
            path.write_text(json.dumps(result["template"], indent=1))
            paths[cid] = path
    findings = oracle.cfn_lint_batch(list(paths.values()))
    return {cid: findings.get(str(p), []) for cid, p in paths.items()}


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_stack_synthesizes_to_the_json_rendering(synthesized, linted, case):
    fixture, style = case
    cid = f"{fixture.stem}-{style}"
    _, templates, _ = synthesized
    assert cid in templates, "tsc failed: see test_tsc_strict_accepts_every_stack"
    result = templates[cid]
    assert "error" not in result, f"synth failed: {result.get('error')}"
    assert not linted[cid], "cfn-lint:\n" + oracle.format_lint(linted[cid])
    partition, region, account = oracle.deployment_of(fixture)
    actual = normalize_model(oracle.evaluate_template(result["template"], partition, region, account))
    expected = normalize_model(oracle.expected_model(
        oracle.json_rendering(fixture, style, (partition, region, account)), partition, account))
    compare_models(expected, actual, f"{cid} cdk vs json")
    outputs = {json.dumps(o["Value"]) for o in result["template"].get("Outputs", {}).values()}
    assert len(outputs) == len(expected["roles"]) + len(expected["policies"]), outputs


def test_the_out_app_synthesizes_with_npx_cdk_synth(tmp_path):
    fixture = oracle.FIXTURE_DIR / "container-instance.json"
    app = tmp_path / "app"
    oracle.render(fixture, "cdk-typescript", out=app)
    assert sorted(str(p.relative_to(app)) for p in app.rglob("*") if p.is_file()) == [
        "bin/app.ts", "cdk.json", "lib/ecs-iam-stack.ts", "package.json", "tsconfig.json"]
    pinned = json.loads((app / "package.json").read_text())
    ours = json.loads((oracle.ROOT / "tests" / "iac" / "package.json").read_text())["devDependencies"]
    for name, version in {**pinned["dependencies"], **pinned["devDependencies"]}.items():
        assert ours.get(name) == version, f"{name} {version}: the oracle installs {ours.get(name)}"
    (app / "node_modules").symlink_to(CDK)
    env = {**ENV, "PATH": f"{CDK / '.bin'}:{ENV['PATH']}"}
    run = subprocess.run(["npx", "--no-install", "cdk", "synth", "--no-notices", "-q", "--no-version-reporting"],
                         cwd=app, capture_output=True, text=True, timeout=600, env=env)
    assert run.returncode == 0, (run.stdout + run.stderr)[-4000:]
    template = json.loads((app / "cdk.out" / "EcsIam.template.json").read_text())
    partition, region, account = oracle.deployment_of(fixture)
    actual = normalize_model(oracle.evaluate_template(template, partition, region, account))
    expected = normalize_model(oracle.expected_model(
        oracle.json_rendering(fixture, None, (partition, region, account)), partition, account))
    compare_models(expected, actual, "cdk synth vs json")


def test_the_oracle_sees_a_changed_action(tmp_path):
    fixture = oracle.FIXTURE_DIR / "seed-002-secrets.json"
    proj = tmp_path / "p"
    project(proj)
    stack = oracle.render(fixture, "cdk-typescript").stdout
    (proj / "lib" / "case0.ts").write_text(stack.replace("secretsmanager:GetSecretValue", "secretsmanager:*", 1))
    (proj / "bin" / "all.ts").write_text(SYNTH_ALL + 'import { EcsIamStack as S0 } from "../lib/case0";\nsynth("c", S0);\nfs.writeFileSync(process.argv[2], JSON.stringify(out));\n')
    assert tsc(proj).returncode == 0
    subprocess.run(["node", str(proj / "dist" / "bin" / "all.js"), str(tmp_path / "t.json")], check=True, env=ENV)
    template = json.loads((tmp_path / "t.json").read_text())["c"]["template"]
    partition, region, account = oracle.deployment_of(fixture)
    actual = normalize_model(oracle.evaluate_template(template, partition, region, account))
    expected = normalize_model(oracle.expected_model(
        oracle.json_rendering(fixture, None, (partition, region, account)), partition, account))
    with pytest.raises(AssertionError):
        compare_models(expected, actual)
    # and a misspelt property fails tsc
    (proj / "lib" / "case0.ts").write_text(stack.replace("roleName:", "roleNam:", 1))
    assert tsc(proj).returncode != 0
