"""The task definition fragment (`--format task-definition`), merged into a minimal task
definition, must be valid input of ECS's RegisterTaskDefinition as botocore's service model
describes it, and name the roles of the `json` rendering: the first execution role and the
first task role, by the ARN IAM gives them."""

import json

import botocore.session
import pytest
from botocore.validate import ParamValidator

import oracle

CATALOG = json.loads(oracle.run_bin(["catalog", "--json"]).stdout)
KINDS = {k["id"]: k for k in CATALOG["roleKinds"]}
SHAPE = (
    botocore.session.get_session()
    .get_service_model("ecs")
    .operation_model("RegisterTaskDefinition")
    .input_shape
)
MINIMAL = {"family": "app", "containerDefinitions": [{"name": "app", "image": "public.ecr.aws/docker/library/busybox:latest"}]}


def role_arn(role, partition, account):
    template = CATALOG["iam"]["arns"]["role"]
    return (
        template.replace("${Partition}", partition)
        .replace("${Account}", account)
        .replace("${Path}", role.get("Path", "/"))
        .replace("${Name}", role["RoleName"])
    )


@pytest.mark.parametrize("fixture", oracle.FIXTURES, ids=oracle.FIXTURE_IDS)
def test_the_fragment_registers_and_names_the_roles(fixture):
    cfg = oracle.load_config(fixture)
    partition, region, account = oracle.deployment_of(fixture)
    text = oracle.render(fixture, "task-definition").stdout
    fragment = json.loads(oracle.substitute(text, partition, region, account))
    # Merged as a user merges it: the fragment's container into the task's own.
    merged = {**MINIMAL, **fragment}
    containers = fragment.get("containerDefinitions")
    if containers:
        merged["containerDefinitions"] = [{**MINIMAL["containerDefinitions"][0], **containers[0]}]
    report = ParamValidator().validate(merged, SHAPE)
    assert not report.has_errors(), report.generate_report()
    # What the containers use comes from the features of the roles the fragment names.
    for volume in fragment.get("volumes", []):
        efs = volume["efsVolumeConfiguration"]
        assert efs["authorizationConfig"]["iam"] == "ENABLED" and efs["transitEncryption"] == "ENABLED", volume
    fragment = {k: fragment[k] for k in ("taskRoleArn", "executionRoleArn") if k in fragment}
    rendering = oracle.json_rendering(fixture)
    expected = {}
    for r, role in zip(
        [r for r in cfg["roles"] if not KINDS[r["kind"]].get("policyOnly")], rendering["Roles"]
    ):
        field = KINDS[r["kind"]]["taskDefinitionField"]
        if field and field not in expected:
            expected[field] = role_arn(role, partition, account)
    assert fragment == expected


def test_the_model_refuses_a_misspelt_field():
    report = ParamValidator().validate({**MINIMAL, "executionRoleARN": "x"}, SHAPE)
    assert report.has_errors()
