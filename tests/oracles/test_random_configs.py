"""Random valid configurations (the generator of the property tests, a new seed every run:
`write_random_configurations` in crates/core/tests/properties.rs) through the real tools of the
formats that have no check in Rust: Terraform (fmt -check, and the evaluated IAM), the AWS CDK
(tsc, synthesis, the synthesized IAM), Pulumi's SDK (tsc, the mocks' IAM) and CommonMark (the
hand-off's blocks), each against the `json` rendering of the same configuration.

The configurations are written by `cargo test -p ecs-iam-core --test properties -- --ignored
write_random_configurations` into ECS_IAM_RANDOM_CONFIGS, or into a temporary directory when
that is not set. A failing configuration is kept in the failure's message."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import pytest

import oracle
import terraform
from test_cdk import normalize_model, synth_batch
from test_handoff import check_blocks
from test_moto_cli import compare_models
from test_pulumi import model_of as pulumi_model
from test_pulumi import run_batch
from test_terraform import differences


def _configs():
    given = os.environ.get("ECS_IAM_RANDOM_CONFIGS")
    directory = Path(given) if given else Path(tempfile.mkdtemp(prefix="ecs-iam-random-"))
    if not any(directory.glob("random-*.json")):
        subprocess.run(
            ["cargo", "test", "-q", "-p", "ecs-iam-core", "--test", "properties", "--",
             "--ignored", "write_random_configurations"],
            cwd=oracle.ROOT, check=True, capture_output=True, text=True,
            env={**os.environ, "ECS_IAM_RANDOM_CONFIGS": str(directory)},
        )
    return sorted(directory.glob("random-*.json"))


CONFIGS = _configs()
IDS = [p.stem for p in CONFIGS]


def expected_of(path):
    deployment = oracle.deployment_of(path)
    rendering = oracle.json_rendering(path, None, deployment)
    return oracle.expected_model(rendering, deployment[0], deployment[2]), deployment


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    work = tmp_path_factory.mktemp("random")
    modules, cdk_items, pulumi_items = [], [], []
    for path in CONFIGS:
        module = work / "terraform" / path.stem
        oracle.render(path, "terraform", out=module)
        modules.append((module, oracle.deployment_of(path)))
        cdk_items.append((path.stem, oracle.render(path, "cdk-typescript").stdout))
        pulumi_items.append((path.stem, oracle.render(path, "pulumi-typescript").stdout, oracle.deployment_of(path)))
    fmt = terraform.fmt_check(work / "terraform")
    models = terraform.evaluate(modules)
    _, templates = synth_batch(work / "cdk", cdk_items, validate=False)
    _, programs = run_batch(work / "pulumi", pulumi_items)
    return fmt, dict(zip(IDS, models)), templates, programs


def test_there_are_random_configurations():
    assert len(CONFIGS) >= 20


def test_terraform_fmt_changes_nothing(checked):
    rc, diff = checked[0]
    assert rc == 0, diff[:6000]


@pytest.mark.parametrize("path", CONFIGS, ids=IDS)
def test_every_format_means_the_json_rendering(checked, path):
    _, models, templates, programs = checked
    expected, (partition, region, account) = expected_of(path)
    config = path.read_text()
    problems = differences({"roles": expected["roles"], "policies": expected["policies"]}, models[path.stem])
    assert not problems, f"terraform:\n" + "\n".join(problems) + f"\nconfig: {config}"
    t = templates[path.stem]
    assert "error" not in t, f"cdk: {t.get('error')}\nconfig: {config}"
    compare_models(normalize_model(json.loads(json.dumps(expected))),
                   normalize_model(oracle.evaluate_template(t["template"], partition, region, account)),
                   f"cdk vs json; config: {config}")
    p = programs[path.stem]
    assert "error" not in p, f"pulumi: {p.get('error')}\nconfig: {config}"
    compare_models(expected, pulumi_model(p["resources"], partition, account), f"pulumi vs json; config: {config}")
    problems = check_blocks(oracle.render(path, "handoff").stdout, oracle.render(path, "json").stdout,
                            oracle.render(path, "aws-cli").stdout)
    assert not problems, "handoff:\n" + "\n".join(problems) + f"\nconfig: {config}"
