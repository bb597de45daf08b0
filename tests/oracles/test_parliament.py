"""parliament finds nothing wrong in the identity policies ecs-iam renders.

For every fixture and permission style, the `json` rendering (placeholders filled in with aws,
us-east-1, 123456789012) gives the inline policies of each role and the customer managed
policies; each document is analysed with parliament's Python API. Trust policies are not identity
policies and are left out.

The only findings allowed are those of parliament-allowlist.json, a list of
  {"issue": ISSUE, "match": SUBSTRING or [SUBSTRING, ...] (optional), "why": EXPLANATION}
An entry allows a finding when the issue is the same and every substring occurs in the finding's
context: "fixture=STEM policy=POLICY detail=DETAIL statement=STATEMENT-JSON" (the statement the
finding points at, as compact JSON). Every entry must still allow something, so that the list
cannot rot."""

import itertools
import json
import warnings

import pytest

import oracle

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from parliament import analyze_policy_string

ALLOWLIST_PATH = oracle.HERE / "parliament-allowlist.json"
ALLOWLIST = json.loads(ALLOWLIST_PATH.read_text())
FILL = ("aws", "us-east-1", "123456789012")

CASES = list(itertools.product(oracle.FIXTURES, oracle.STYLES))
IDS = [f"{f.stem}-{style}" for f, style in CASES]

_used = set()


def identity_policies(rendering):
    """(label, document) of every identity policy of a `json` rendering."""
    for role in rendering["Roles"]:
        for p in role.get("Policies", []):
            yield f"{role['RoleName']}/{p['PolicyName']}", p["PolicyDocument"]
    for m in rendering.get("ManagedPolicies", []):
        yield m["PolicyName"], m["PolicyDocument"]


def policy_text(doc):
    """The document as JSON with each statement on its own line (line 3 + i for statement i), so
    that a finding's line tells which statement it is about."""
    statements = doc["Statement"] if isinstance(doc.get("Statement"), list) else [doc["Statement"]]
    head = {k: v for k, v in doc.items() if k != "Statement"}
    lines = [json.dumps(head)[:-1] + ', "Statement": [']
    lines.append(",\n".join(json.dumps(s) for s in statements))
    lines.append("]}")
    return "\n".join(lines), statements


def findings_of(label, doc, fixture_stem):
    text, statements = policy_text(doc)
    assert json.loads(text) == doc
    policy = analyze_policy_string(text)
    out = []
    for f in policy.findings:
        line = (f.location or {}).get("line")
        stmt = statements[line - 2] if isinstance(line, int) and 2 <= line < 2 + len(statements) else None
        context = (
            f"fixture={fixture_stem} policy={label} detail={f.detail} "
            f"statement={json.dumps(stmt, separators=(',', ':')) if stmt is not None else None}"
        )
        out.append((f.issue, context))
    return out


def allowed(issue, context):
    for i, entry in enumerate(ALLOWLIST):
        if entry["issue"] != issue:
            continue
        match = entry.get("match", [])
        match = [match] if isinstance(match, str) else match
        if all(m in context for m in match):
            _used.add(i)
            return True
    return False


@pytest.mark.parametrize("fixture,style", CASES, ids=IDS)
def test_no_parliament_findings(fixture, style):
    rendering = oracle.json_rendering(fixture, style, deployment=FILL)
    policies = list(identity_policies(rendering))
    problems = []
    for label, doc in policies:
        for issue, context in findings_of(label, doc, fixture.stem):
            if not allowed(issue, context):
                problems.append(f"{issue}: {context}")
    assert not problems, "parliament findings not in the allowlist:\n" + "\n".join(problems)


def test_allowlist_entries_are_explained_and_used():
    """Runs after the cases above (same module, defined later): every entry says why, and every
    entry still allows at least one finding."""
    for entry in ALLOWLIST:
        assert set(entry) <= {"issue", "match", "why"}, entry
        assert entry.get("issue") and len(entry.get("why", "")) > 20, entry
    # Analyse everything here too, so that this test stands alone when run by itself.
    for fixture, style in CASES:
        rendering = oracle.json_rendering(fixture, style, deployment=FILL)
        for label, doc in identity_policies(rendering):
            for issue, context in findings_of(label, doc, fixture.stem):
                allowed(issue, context)
    unused = [ALLOWLIST[i] for i in range(len(ALLOWLIST)) if i not in _used]
    assert not unused, f"allowlist entries that allow nothing any more: {unused}"


def test_parliament_reports_a_bad_policy():
    """The oracle itself: an unknown action and a resource of the wrong service are reported."""
    doc = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"},
            {"Effect": "Allow", "Action": "ecr:BatchGetImage", "Resource": "arn:aws:s3:::bucket"},
        ],
    }
    issues = {issue for issue, _ in findings_of("bad", doc, "none")}
    assert "UNKNOWN_ACTION" in issues and "RESOURCE_MISMATCH" in issues, issues
