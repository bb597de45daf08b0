"""The `handoff` format (a Markdown request for the IAM admin), read by a CommonMark parser
(markdown-it-py) as GitHub reads it:
  - every JSON block parses, and the blocks are exactly the documents of the `json` rendering:
    each trust policy, inline policy, customer managed policy and owner statement, once;
  - the one shell block is the `aws-cli` rendering, passes `bash -n`, and run against moto
    creates what the `json` rendering describes;
  - nothing else is a code block, and text from the configuration never becomes markup
    (the hostile values of test_bad_values.py go through `blocks_of` too)."""

from __future__ import annotations

import json
import subprocess

import pytest
from markdown_it import MarkdownIt

import oracle
from test_moto_cli import compare_models

CASES = [(f, s) for f in oracle.FIXTURES for s in oracle.STYLES]
IDS = [f"{f.stem}-{s}" for f, s in CASES]
PARSER = MarkdownIt("commonmark").enable("table")


def blocks_of(markdown):
    """The fenced blocks as (info, text), in order; indented code blocks are not expected."""
    out = []
    for token in PARSER.parse(markdown):
        if token.type == "fence":
            out.append((token.info.strip(), token.content))
        elif token.type == "code_block":
            out.append(("indented", token.content))
    return out


def documents_of(rendering):
    """Every document of a `json` rendering that the hand-off must show, canonically."""
    docs = []
    for r in rendering["Roles"]:
        docs.append(r["AssumeRolePolicyDocument"])
        docs += [p["PolicyDocument"] for p in r.get("Policies", [])]
    docs += [m["PolicyDocument"] for m in rendering.get("ManagedPolicies", [])]
    docs += [o["Statement"] for o in rendering.get("OwnerPolicies", [])]
    return sorted(json.dumps(d, sort_keys=True) for d in docs)


def check_blocks(markdown, json_text, aws_cli_text):
    """Problems of a hand-off against the json and aws-cli renderings of the same config."""
    problems = []
    blocks = blocks_of(markdown)
    shown = []
    shells = []
    for info, body in blocks:
        if info == "json":
            try:
                shown.append(json.dumps(json.loads(body), sort_keys=True))
            except json.JSONDecodeError as e:
                problems.append(f"a JSON block does not parse: {e}: {body[:300]!r}")
        elif info == "bash":
            shells.append(body)
        else:
            problems.append(f"an unexpected block ({info!r}): {body[:300]!r}")
    if sorted(shown) != documents_of(json.loads(json_text)):
        problems.append("the JSON blocks are not the documents of the json rendering")
    if shells != [aws_cli_text]:
        problems.append("the shell block is not the aws-cli rendering")
    for body in shells:
        r = subprocess.run(["bash", "-n"], input=body, capture_output=True, text=True)
        if r.returncode != 0:
            problems.append(f"bash -n: {r.stderr}")
    return problems


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_blocks_are_the_json_and_aws_cli_renderings(case):
    fixture, style = case
    markdown = oracle.render(fixture, "handoff", style).stdout
    problems = check_blocks(
        markdown,
        oracle.render(fixture, "json", style).stdout,
        oracle.render(fixture, "aws-cli", style).stdout,
    )
    assert not problems, "\n".join(problems)
    # every role has its console steps and its checks
    for r in oracle.json_rendering(fixture, style)["Roles"]:
        assert f"Role `{r['RoleName']}`:" in markdown
        assert f"aws iam get-role --role-name {r['RoleName']}" in markdown


@pytest.mark.parametrize("fixture", oracle.FIXTURES, ids=[f.stem for f in oracle.FIXTURES])
def test_the_shell_block_creates_the_roles_in_moto(moto_fleet, tmp_path, fixture):
    markdown = oracle.render(fixture, "handoff", "inline").stdout
    [script] = [body for info, body in blocks_of(markdown) if info == "bash"]
    path = tmp_path / "from-the-request.sh"
    path.write_text(script)
    partition, region, account = oracle.deployment_of(fixture)
    moto, env, _ = moto_fleet.deploy(fixture)
    proc = oracle.run_script(path, env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rendering = oracle.json_rendering(fixture, "inline", (partition, region, account))
    compare_models(oracle.expected_model(rendering, partition, account), oracle.read_back_gaad(moto, env))


def test_text_from_the_configuration_never_becomes_markup():
    """A description and a custom statement full of Markdown and HTML: the rendered HTML holds
    no element the request did not write, and every block still checks."""
    hostile = "x <script>alert(1)</script> **b** _i_ [l](http://e) | ``` ~~~ $x$ # h \\ `c`"
    config = {"account": "123456789012", "region": "us-east-1", "roles": [
        {"kind": "task", "description": hostile.replace("<", "(").replace(">", ")"), "features": [
            {"id": "custom", "statements": [{"Sid": "Mine", "Effect": "Allow", "Action": "s3:GetObject",
                "Resource": "arn:aws:s3:::b/k", "Condition": {"StringEquals": {"aws:PrincipalTag/t": hostile}}}]}]}]}
    markdown = oracle.render(config, "handoff").stdout
    problems = check_blocks(
        markdown, oracle.render(config, "json").stdout, oracle.render(config, "aws-cli").stdout
    )
    assert not problems, "\n".join(problems)
    html = PARSER.render(markdown)
    assert "<script" not in html and "<strong>b</strong>" not in html and "<em>i</em>" not in html
    assert '<a href="http://e"' not in html


def test_the_oracle_sees_a_changed_document():
    fixture = oracle.FIXTURE_DIR / "seed-002-secrets.json"
    markdown = oracle.render(fixture, "handoff").stdout
    changed = markdown.replace("secretsmanager:GetSecretValue", "secretsmanager:*", 1)
    assert check_blocks(
        changed, oracle.render(fixture, "json").stdout, oracle.render(fixture, "aws-cli").stdout
    )
