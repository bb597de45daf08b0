"""UFO's DSL (`--format ufo`), evaluated by real Ruby as UFO evaluates it (ufo_dsl.rb follows
Ufo::IamRole::Dsl and Ufo::IamRole::Builder), must give the roles the `json` rendering
describes: the same inline policies (in the `managed` style, UFO holds the customer managed
policies inline) and the same AWS managed policy ARNs, as UFO expands them."""

import json
import subprocess
from pathlib import Path

import pytest

import oracle

HERE = Path(__file__).resolve().parent
HARNESS = HERE / "ufo_dsl.rb"
CATALOG = json.loads(oracle.run_bin(["catalog", "--json"]).stdout)
UFO = next(f for f in CATALOG["formats"] if f["id"] == "ufo")
FILES = {rf["file"]: rf["kind"] for rf in UFO["roleFiles"]}
CASES = [(f, s) for f in oracle.FIXTURES for s in oracle.STYLES]


def evaluate(path):
    proc = subprocess.run(
        ["ruby", str(HARNESS), str(path)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, f"ruby could not evaluate {path.name}:\n{proc.stderr}"
    return json.loads(proc.stdout)


def resolve_sub(node, deployment):
    """CloudFormation's Fn::Sub of the placeholders, wherever UFO passes one through."""
    partition, region, account = deployment
    if isinstance(node, dict):
        if set(node) == {"Fn::Sub"}:
            return oracle.substitute(node["Fn::Sub"], partition, region, account)
        return {k: resolve_sub(v, deployment) for k, v in node.items()}
    if isinstance(node, list):
        return [resolve_sub(v, deployment) for v in node]
    return node


def kind_of(role_name, config):
    cfg = oracle.load_config(config)
    for r in cfg["roles"]:
        kind = next(k for k in CATALOG["roleKinds"] if k["id"] == r["kind"])
        if r.get("name", kind["defaultName"]) == role_name:
            return r["kind"]
    raise AssertionError(f"{role_name} is not a role of the configuration")


@pytest.mark.parametrize("fixture,style", CASES, ids=[f"{f.stem}-{s}" for f, s in CASES])
def test_ufo_files_hold_the_json_rendering(fixture, style, tmp_path):
    cfg = oracle.load_config(fixture)
    # UFO expands managed policy names into the aws partition; the test deploys there unless
    # the configuration names its partition.
    deployment = (cfg.get("partition", "aws"), cfg.get("region", "us-east-1"), cfg.get("account", oracle.MOTO_ACCOUNT))
    oracle.render(fixture, "ufo", style, out=tmp_path)
    rendering = oracle.json_rendering(fixture, style, deployment)
    managed = {m["PolicyName"]: m for m in rendering["ManagedPolicies"]}
    written = sorted((tmp_path / ".ufo" / "iam_roles").glob("*.rb")) if (tmp_path / ".ufo").exists() else []
    seen_kinds = []
    for path in written:
        kind = FILES[path.name]
        # The first role of each kind is the one UFO's file holds.
        role = next(r for r in rendering["Roles"] if kind_of(r["RoleName"], fixture) == kind)
        assert kind not in seen_kinds
        seen_kinds.append(kind)
        got = resolve_sub(evaluate(path), deployment)
        aws_managed = [a for a in role["ManagedPolicyArns"] if ":iam::aws:policy/" in a]
        # Customer managed policies of the `managed` style UFO writes inline; one the
        # configuration names by ARN it cannot attach, and says so.
        customer = [a.rsplit("/", 1)[1] for a in role["ManagedPolicyArns"] if ":iam::aws:policy/" not in a]
        external = [n for n in customer if n not in managed]
        customer = [n for n in customer if n in managed]
        header = oracle.render(fixture, "ufo", style).stdout.splitlines()[0]
        for n in external:
            assert n in header and "not written" in header, header
        want_policies = [{"PolicyName": p["PolicyName"], "PolicyDocument": p["PolicyDocument"]} for p in role["Policies"]]
        want_policies += [{"PolicyName": n, "PolicyDocument": managed[n]["PolicyDocument"]} for n in customer]
        assert got.get("Policies", []) == want_policies, path.name
        assert got.get("ManagedPolicyArns", []) == aws_managed, path.name
    # Every execution and task role is written, unless UFO's DSL cannot hold the configuration.
    kinds = {kind_of(r["RoleName"], fixture) for r in rendering["Roles"]}
    assert set(seen_kinds) == kinds & set(FILES.values())


def test_a_managed_policy_of_another_account_is_said_to_be_left_out(tmp_path):
    arn = "arn:aws:iam::123456789012:policy/team-boundary"
    config = {"roles": [{"kind": "task", "managedPolicies": [arn]}]}
    text = oracle.render(config, "ufo").stdout
    assert text.startswith("# UFO's DSL") and arn in text.splitlines()[0], text
    oracle.render(config, "ufo", out=tmp_path)
    got = evaluate(tmp_path / ".ufo" / "iam_roles" / "task_role.rb")
    assert "ManagedPolicyArns" not in got, got


def test_the_harness_sees_a_broken_file(tmp_path):
    bad = tmp_path / "task_role.rb"
    bad.write_text("iam_policy('p', [\n")
    proc = subprocess.run(["ruby", str(HARNESS), str(bad)], capture_output=True, text=True)
    assert proc.returncode != 0
