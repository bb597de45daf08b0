"""The `pulumi-typescript` format, judged by the real Pulumi SDK (@pulumi/pulumi, @pulumi/aws,
pinned in tests/iac/package.json) and TypeScript, with no CLI, engine or provider plugin:
  - `tsc --strict` accepts the program of every fixture and permission style against the
    `@pulumi/aws` typings (one project holds them all);
  - each program runs under Pulumi's mocks (`pulumi.runtime.setMocks`): they answer the
    partition, Region and account invokes for the deployment and give each resource the ARN
    IAM would, and record the inputs of every resource it registers;
  - the recorded IAM (roles, their trust policies, inline policies, attachments, customer
    managed policies, instance profiles; the policies as the JSON strings Pulumi would send) is
    the IAM of the `json` rendering, and every role's ARN is exported;
  - the project that `--out` writes holds the pinned versions the oracle runs."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

import oracle
from test_cdk import project, tsc, tsc_errors
from test_moto_cli import compare_models

IAC = oracle.ROOT / "tests" / "iac" / "node_modules"
CASES = [(f, s) for f in oracle.FIXTURES for s in oracle.STYLES]
IDS = [f"{f.stem}-{s}" for f, s in CASES]

RUNNER = """import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";

type Case = { id: string; module: string; partition: string; region: string; account: string };

async function main() {
  const cases: Case[] = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
  const out: Record<string, unknown> = {};
  for (const c of cases) {
    const resources: unknown[] = [];
    pulumi.runtime.setMocks({
      newResource(args: pulumi.runtime.MockResourceArgs) {
        const state: Record<string, unknown> = { ...args.inputs };
        const arn = (kind: string) => `arn:${c.partition}:iam::${c.account}:${kind}${args.inputs.path ?? "/"}${args.inputs.name}`;
        if (args.type === "aws:iam/role:Role") state.arn = arn("role");
        if (args.type === "aws:iam/policy:Policy") state.arn = arn("policy");
        if (args.type === "aws:iam/instanceProfile:InstanceProfile") state.arn = arn("instance-profile");
        resources.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        switch (args.token) {
          case "aws:index/getPartition:getPartition": return { id: c.partition, partition: c.partition, dnsSuffix: "amazonaws.com" };
          case "aws:index/getRegion:getRegion": return { id: c.region, region: c.region, name: c.region };
          case "aws:index/getCallerIdentity:getCallerIdentity": return { id: c.account, accountId: c.account, arn: `arn:${c.partition}:iam::${c.account}:user/ci`, userId: "ci" };
        }
        throw new Error(`unexpected invoke ${args.token}`);
      },
    }, "ecs-iam", c.id, false);
    try {
      const mod = require(c.module);
      const exported: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(mod)) {
        if (pulumi.Output.isInstance(v)) exported[k] = await new Promise((r) => (v as pulumi.Output<unknown>).apply((x) => { r(x); return x; }));
      }
      await (pulumi.runtime as any).waitForRPCs();
      out[c.id] = { resources, exported };
    } catch (e) {
      out[c.id] = { error: String((e as Error).stack ?? e) };
    }
  }
  fs.writeFileSync(process.argv[3], JSON.stringify(out));
}
main().catch((e) => { console.error(e); process.exit(1); });
"""


def model_of(resources, partition, account):
    """What the registered resources create in IAM, in the shape of oracle.expected_model (a
    policy's ARN is what IAM gives it, as the mocks do)."""
    roles, policies = {}, {}
    for r in resources:
        i = r["inputs"]
        if r["type"] == "aws:iam/role:Role":
            roles[i["name"]] = {
                "Path": i.get("path", "/"), "Description": i.get("description"),
                "AssumeRolePolicyDocument": json.loads(i["assumeRolePolicy"]),
                "AttachedArns": [], "Inline": {}, "InstanceProfiles": [],
            }
        elif r["type"] == "aws:iam/policy:Policy":
            path = i.get("path", "/")
            policies[i["name"]] = {"Path": path, "Document": json.loads(i["policy"]),
                                   "Arn": f"arn:{partition}:iam::{account}:policy{path}{i['name']}"}
    for r in resources:
        i = r["inputs"]
        if r["type"] == "aws:iam/rolePolicy:RolePolicy":
            assert i["name"] not in roles[i["role"]]["Inline"], f"two inline policies {i['name']}"
            roles[i["role"]]["Inline"][i["name"]] = json.loads(i["policy"])
        elif r["type"] == "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
            roles[i["role"]]["AttachedArns"].append(i["policyArn"])
        elif r["type"] == "aws:iam/instanceProfile:InstanceProfile":
            roles[i["role"]]["InstanceProfiles"].append(i["name"])
        elif r["type"] not in ("aws:iam/role:Role", "aws:iam/policy:Policy"):
            raise AssertionError(f"unexpected resource {r['type']}")
    for role in roles.values():
        role["AttachedArns"].sort()
    return {"roles": roles, "policies": policies}


def run_batch(work, items):
    """Type-checks and runs programs under the mocks in one project: items are (case id,
    program text, (partition, region, account)). Returns (tsc result, {case id: {"resources",
    "exported"} or {"error"}})."""
    proj = work / "all"
    project(proj)
    cases = []
    for n, (cid, text, (partition, region, account)) in enumerate(items):
        (proj / "lib" / f"case{n}.ts").write_text(text)
        cases.append({"id": cid, "module": str(proj / "dist" / "lib" / f"case{n}.js"),
                      "partition": partition, "region": region, "account": account})
    (proj / "bin" / "run.ts").write_text(RUNNER)
    checked = tsc(proj)
    (work / "cases.json").write_text(json.dumps(cases))
    run = subprocess.run(["node", str(proj / "dist" / "bin" / "run.js"), str(work / "cases.json"), str(work / "out.json")],
                         capture_output=True, text=True, timeout=1800, env={**os.environ, "PULUMI_TEST_MODE": "true"})
    assert run.returncode == 0, run.stderr[-4000:]
    out = json.loads((work / "out.json").read_text())
    for n, errs in tsc_errors(checked, len(items)).items():
        out[items[n][0]] = {"error": "tsc: " + "\n".join(errs)}
    return checked, out


@pytest.fixture(scope="module")
def ran(tmp_path_factory):
    work = tmp_path_factory.mktemp("pulumi")
    items = [(cid, oracle.render(f, "pulumi-typescript", s).stdout, oracle.deployment_of(f))
             for (f, s), cid in zip(CASES, IDS)]
    return run_batch(work, items)


def test_tsc_strict_accepts_every_program(ran):
    checked, _ = ran
    assert checked.returncode == 0, (checked.stdout + checked.stderr)[-6000:]


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_the_program_registers_the_json_rendering(ran, case):
    fixture, style = case
    cid = f"{fixture.stem}-{style}"
    _, results = ran
    assert cid in results, "tsc failed: see test_tsc_strict_accepts_every_program"
    result = results[cid]
    assert "error" not in result, result.get("error")
    partition, region, account = oracle.deployment_of(fixture)
    expected = oracle.expected_model(oracle.json_rendering(fixture, style, (partition, region, account)), partition, account)
    actual = model_of(result["resources"], partition, account)
    compare_models(expected, actual, f"{cid} pulumi vs json")
    arns = set(v for v in result["exported"].values() if isinstance(v, str))
    for name, role in expected["roles"].items():
        assert f"arn:{partition}:iam::{account}:role{role['Path']}{name}" in arns


def test_the_project_pins_what_the_oracle_runs(tmp_path):
    out = tmp_path / "project"
    oracle.render(oracle.FIXTURE_DIR / "seed-001-starter.json", "pulumi-typescript", out=out)
    assert sorted(p.name for p in out.iterdir()) == ["Pulumi.yaml", "index.ts", "package.json", "tsconfig.json"]
    pinned = json.loads((out / "package.json").read_text())
    ours = json.loads((oracle.ROOT / "tests" / "iac" / "package.json").read_text())["devDependencies"]
    for name, version in {**pinned["dependencies"], **pinned["devDependencies"]}.items():
        assert ours.get(name) == version, f"{name} {version}: the oracle installs {ours.get(name)}"
    # the project type-checks as it is
    (out / "node_modules").symlink_to(IAC)
    r = subprocess.run([str(IAC / ".bin" / "tsc"), "-p", str(out)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr


def test_the_oracle_sees_a_changed_action_and_a_misspelt_argument(tmp_path):
    fixture = oracle.FIXTURE_DIR / "seed-002-secrets.json"
    program = oracle.render(fixture, "pulumi-typescript").stdout
    proj = tmp_path / "p"
    project(proj)
    (proj / "lib" / "case0.ts").write_text(program.replace("assumeRolePolicy:", "assumeRolePolicyy:", 1))
    (proj / "bin" / "run.ts").write_text(RUNNER)
    assert tsc(proj).returncode != 0
    (proj / "lib" / "case0.ts").write_text(program.replace("secretsmanager:GetSecretValue", "secretsmanager:*", 1))
    assert tsc(proj).returncode == 0
    partition, region, account = oracle.deployment_of(fixture)
    (tmp_path / "cases.json").write_text(json.dumps([{"id": "c", "module": str(proj / "dist" / "lib" / "case0.js"),
                                                      "partition": partition, "region": region, "account": account}]))
    subprocess.run(["node", str(proj / "dist" / "bin" / "run.js"), str(tmp_path / "cases.json"), str(tmp_path / "o.json")], check=True)
    actual = model_of(json.loads((tmp_path / "o.json").read_text())["c"]["resources"], partition, account)
    expected = oracle.expected_model(oracle.json_rendering(fixture, None, (partition, region, account)), partition, account)
    with pytest.raises(AssertionError):
        compare_models(expected, actual)
