"""The `terraform` format, judged by real Terraform (see terraform.py).

For every fixture and permission style, both the module that `--out` writes (main.tf,
outputs.tf, versions.tf) and the one text that the app shows (to paste into a module):
  - `terraform fmt -check` changes nothing;
  - Terraform's configuration loader reports no error;
  - every role, inline policy, attachment, customer managed policy and instance profile,
    evaluated by `terraform console` with the data sources given the deployment's partition,
    Region and account, is exactly the IAM of the `json` rendering (documents compared as
    parsed JSON, names and paths as strings);
  - every output names an existing resource, and each role's ARN is an output."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

import oracle
import terraform

CASES = [(f, s) for f in oracle.FIXTURES for s in oracle.STYLES]
CASE_IDS = [f"{f.stem}-{s}" for f, s in CASES]


def model_of(expected):
    return {"roles": expected["roles"], "policies": expected["policies"]}


def differences(expected, actual):
    """Every difference between two models, one line each."""
    problems = []
    for kind in ("roles", "policies"):
        exp, act = expected[kind], actual[kind]
        for name in sorted(set(exp) | set(act)):
            if name not in act:
                problems.append(f"{kind} {name}: missing")
            elif name not in exp:
                problems.append(f"{kind} {name}: not in the json rendering")
            else:
                for key in sorted(set(exp[name]) | set(act[name])):
                    if exp[name].get(key) != act[name].get(key):
                        problems.append(
                            f"{kind} {name} {key}:\n  json      {json.dumps(exp[name].get(key))[:1500]}\n  terraform {json.dumps(act[name].get(key))[:1500]}"
                        )
    return problems


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Every case rendered twice: the --out module, and the one text pasted into a module."""
    work = tmp_path_factory.mktemp("terraform")
    out = {}
    for (fixture, style), cid in zip(CASES, CASE_IDS):
        module = work / cid / "module"
        oracle.render(fixture, "terraform", style, out=module)
        pasted = work / cid / "pasted"
        pasted.mkdir()
        (pasted / "iam.tf").write_text(oracle.render(fixture, "terraform", style).stdout)
        out[cid] = (module, pasted)
    return work, out


@pytest.fixture(scope="module")
def evaluated(rendered):
    """Both forms of every case, evaluated by Terraform in one run."""
    _, dirs = rendered
    modules = []
    for (fixture, _), cid in zip(CASES, CASE_IDS):
        deployment = oracle.deployment_of(fixture)
        modules.append((dirs[cid][0], deployment))
        modules.append((dirs[cid][1], deployment))
    models = terraform.evaluate(modules)
    return {cid: (models[2 * n], models[2 * n + 1]) for n, cid in enumerate(CASE_IDS)}


def test_fmt_changes_nothing(rendered):
    work, _ = rendered
    rc, diff = terraform.fmt_check(work)
    assert rc == 0, f"terraform fmt would change:\n{diff[:6000]}"


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_terraform_means_the_json_rendering(evaluated, case):
    fixture, style = case
    cid = f"{fixture.stem}-{style}"
    deployment = oracle.deployment_of(fixture)
    expected = oracle.expected_model(
        oracle.json_rendering(fixture, style, deployment), deployment[0], deployment[2]
    )
    module, pasted = evaluated[cid]
    for form, model in (("module", module), ("pasted", pasted)):
        problems = differences(model_of(expected), model)
        assert not problems, f"{form}:\n" + "\n".join(problems)
        arns = set(model["outputs"].values())
        for name, role in expected["roles"].items():
            arn = f"arn:{deployment[0]}:iam::{deployment[2]}:role{role['Path']}{name}"
            assert arn in arns, f"{form}: no output gives {arn}: {sorted(arns)}"


def test_the_module_pins_terraform_and_the_provider(rendered):
    _, dirs = rendered
    module, _ = dirs[CASE_IDS[0]]
    assert sorted(p.name for p in module.iterdir()) == ["main.tf", "outputs.tf", "versions.tf"]
    mod, errors = terraform.load(module)
    assert not errors
    assert mod["ProviderRequirements"]["RequiredProviders"]["aws"]["Source"] == "hashicorp/aws"
    assert mod["CoreVersionConstraints"], "versions.tf sets required_version"


def test_the_oracle_sees_a_changed_action_a_bad_layout_and_a_dangling_reference(rendered, tmp_path):
    """Each check above fails on a module that is wrong in its way."""
    _, dirs = rendered
    fixture = oracle.FIXTURE_DIR / "seed-002-secrets.json"
    cid = f"{fixture.stem}-inline"
    source = dirs[cid][0]
    deployment = oracle.deployment_of(fixture)
    expected = model_of(
        oracle.expected_model(oracle.json_rendering(fixture, "inline", deployment), deployment[0], deployment[2])
    )
    # a changed action: evaluates, and differs
    changed = tmp_path / "changed"
    shutil.copytree(source, changed)
    main = (changed / "main.tf").read_text()
    assert "secretsmanager:GetSecretValue" in main
    (changed / "main.tf").write_text(main.replace("secretsmanager:GetSecretValue", "secretsmanager:*", 1))
    [model] = terraform.evaluate([(changed, deployment)])
    assert differences(expected, model)
    # an attribute out of line: fmt says so
    layout = tmp_path / "layout"
    shutil.copytree(source, layout)
    (layout / "main.tf").write_text(main.replace("  role ", "  role  ", 1).replace("  name ", "   name ", 1))
    assert terraform.fmt_check(layout)[0] != 0
    # a reference to a role that is not there: the evaluation fails
    dangling = tmp_path / "dangling"
    shutil.copytree(source, dangling)
    outputs = (dangling / "outputs.tf").read_text()
    (dangling / "outputs.tf").write_text(outputs.replace("aws_iam_role.", "aws_iam_role.x", 1))
    with pytest.raises(AssertionError):
        terraform.evaluate([(dangling, deployment)])


CHECKOV = oracle.ROOT / ".venv-checkov" / "bin" / "checkov"
CHECKOV_ALLOWLIST = json.loads((oracle.HERE / "checkov-allowlist.json").read_text())


def checkov_findings(directory):
    """checkov's failed checks over every module below `directory`, offline
    (`--skip-download`): a set of (case id, check id, policy or role name)."""
    proc = subprocess.run(
        [str(CHECKOV), "-d", str(directory), "--framework", "terraform", "--skip-download",
         "--compact", "--quiet", "-o", "json"],
        capture_output=True, text=True, timeout=1200,
    )
    assert proc.returncode in (0, 1), f"checkov exited {proc.returncode}: {proc.stderr[-3000:]}"
    reports = json.loads(proc.stdout) if proc.stdout.strip() else []
    reports = reports if isinstance(reports, list) else [reports]
    found = set()
    for report in reports:
        assert report["summary"]["parsing_errors"] == 0, report["summary"]
        for f in report["results"]["failed_checks"]:
            path = Path(f["file_abs_path"])
            lines = path.read_text().splitlines()[f["file_line_range"][0] - 1 : f["file_line_range"][1]]
            names = [re.match(r'\s*name\s*=\s*"(.*)"', l) for l in lines]
            name = next((m.group(1) for m in names if m), f["resource"])
            found.add((path.parent.parent.name, f["check_id"], name))
    return found


def allowed_by(entry, finding):
    """An entry names the policy as the inline style does; managed policies are named after
    their role (`ROLE-NAME`)."""
    cid, check, name = finding
    fixture = next((cid.removesuffix("-" + s) for s in oracle.STYLES if cid.endswith("-" + s)), cid)
    return (
        entry["check"] == check
        and fixture == entry["fixture"]
        and (name == entry["policy"] or name.endswith("-" + entry["policy"]))
    )


def test_checkov_finds_nothing_beyond_the_allowlist(rendered):
    work, _ = rendered
    found = checkov_findings(work)
    unexplained = sorted(f for f in found if not any(allowed_by(e, f) for e in CHECKOV_ALLOWLIST))
    assert not unexplained, "checkov findings not in checkov-allowlist.json:\n" + "\n".join(map(str, unexplained))
    unused = [e for e in CHECKOV_ALLOWLIST if not any(allowed_by(e, f) for f in found)]
    assert not unused, f"allowlist entries no rendering needs: {unused}"
    assert all(len(e["why"]) > 40 for e in CHECKOV_ALLOWLIST)


def test_checkov_sees_a_wildcard_pass_role(tmp_path):
    """checkov runs its IAM checks on these files: an iam:PassRole on every role fails."""
    config = {"roles": [{"kind": "task", "features": [{"id": "custom", "statements": [
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}]}]}
    module = tmp_path / "case" / "module"
    oracle.render(config, "terraform", out=module)
    assert any(check == "CKV_AWS_289" for _, check, _ in checkov_findings(tmp_path))
