"""cfn-lint accepts every CloudFormation rendering: every fixture, both CloudFormation formats,
every permission style, with no error and no warning (informational findings are allowed).

All templates are rendered and linted in one cfn-lint run per Region (cfn-lint takes a second to
start and a tenth of a second per template); each case then looks its own findings up."""

import itertools

import pytest

import oracle

CASES = list(itertools.product(oracle.FIXTURES, oracle.CFN_FORMATS, oracle.STYLES))
IDS = [f"{f.stem}-{fmt}-{style}" for f, fmt, style in CASES]


@pytest.fixture(scope="module")
def linted(tmp_path_factory):
    out = tmp_path_factory.mktemp("cfn")
    rendered = {}  # case id -> (path, render error or None)
    by_region = {}
    for case_id, (fixture, fmt, style) in zip(IDS, CASES):
        proc = oracle.render(fixture, fmt, style, check=False)
        path = out / (case_id + (".yaml" if fmt.endswith("yaml") else ".json"))
        if proc.returncode != 0:
            rendered[case_id] = (path, f"exit {proc.returncode}: {proc.stderr}")
            continue
        path.write_text(proc.stdout)
        rendered[case_id] = (path, None)
        region = oracle.load_config(fixture).get("region", "us-east-1")
        by_region.setdefault(region, []).append(path)
    findings = {}
    for region, paths in by_region.items():
        findings.update(oracle.cfn_lint_batch(paths, region=region))
    return rendered, findings


@pytest.mark.parametrize("case_id", IDS)
def test_cfn_lint_clean(linted, case_id):
    rendered, findings = linted
    path, error = rendered[case_id]
    assert error is None, f"render failed: {error}"
    found = findings[str(path)]
    assert not found, f"cfn-lint on {path.name}:\n{oracle.format_lint(found)}"


def test_cfn_lint_catches_a_broken_template(tmp_path):
    """The oracle itself: a template with an invalid role name and a missing trust policy is
    reported (so a silent cfn-lint would not pass the tests above)."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "Resources:\n  R:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: 'a b'\n"
    )
    found = oracle.cfn_lint_batch([bad])[str(bad)]
    rules = {f["rule"] for f in found}
    assert {"E3003", "E3031"} <= rules, found
