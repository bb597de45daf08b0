"""The command line: exit codes, --help, `check --json`, `catalog --json`, `schema`, IAM size
limits, determinism."""

from __future__ import annotations

import itertools
import json
import subprocess
import re

import jsonschema
import pytest

import oracle

CATALOG = json.loads(oracle.run_bin(["catalog", "--json"]).stdout)
SCHEMA = json.loads(oracle.run_bin(["schema"]).stdout)
FORMATS = [f["id"] for f in CATALOG["formats"]]
VALUE_KINDS = {vk["id"]: vk for vk in CATALOG["valueKinds"]}
EXPLICIT = {"partition": "aws", "region": "us-east-1", "account": "123456789012"}


def one_line_error(proc, prefix=""):
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert proc.stdout == "", proc.stdout[:300]
    assert proc.stderr.endswith("\n") and proc.stderr.count("\n") == 1, repr(proc.stderr)
    assert proc.stderr.startswith(prefix), proc.stderr


# --------------------------------------------------------------------------------------------
# Exit codes


@pytest.mark.parametrize("fixture", oracle.FIXTURES, ids=oracle.FIXTURE_IDS)
def test_render_and_check_succeed_on_fixtures(fixture):
    for fmt in FORMATS:
        proc = oracle.render(fixture, fmt, check=False)
        assert proc.returncode == 0, (fmt, proc.stderr)
        assert proc.stdout.strip(), fmt
    proc = oracle.run_bin(["check", fixture, "--json"])
    diags = json.loads(proc.stdout)
    errors = [d for d in diags if d["severity"] == "error"]
    assert proc.returncode == (1 if errors else 0), (proc.returncode, diags)


def test_stdin_is_the_same_as_a_path():
    fixture = oracle.FIXTURE_DIR / "exec-and-policy-variables.json"
    for fmt in FORMATS:
        by_path = oracle.render(fixture, fmt).stdout
        by_stdin = oracle.run_bin(["render", "-", "--format", fmt], input=fixture.read_text())
        assert by_stdin.returncode == 0 and by_stdin.stdout == by_path, fmt


def big_inline_config(n_statements=60, pad=150, permissions=None):
    statements = [
        {
            "Sid": f"S{i}",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": f"arn:aws:s3:::bucket-{i:04d}/" + "p" * pad + "/*",
        }
        for i in range(n_statements)
    ]
    cfg = dict(EXPLICIT, roles=[{"kind": "task", "name": "big", "features": [{"id": "custom", "name": "big", "statements": statements}]}])
    if permissions:
        cfg["permissions"] = permissions
    return cfg


def test_check_exits_1_when_inline_policies_exceed_10240_characters():
    cfg = big_inline_config()
    proc = oracle.run_bin(["check", "-", "--json"], input=json.dumps(cfg))
    assert proc.returncode == 1, proc.stdout
    diags = json.loads(proc.stdout)
    assert any(d["code"] == "inline-policies-too-large" and d["severity"] == "error" for d in diags), diags
    text = oracle.run_bin(["check", "-"], input=json.dumps(cfg))
    assert text.returncode == 1 and "inline-policies-too-large" in text.stdout + text.stderr


def test_check_exits_1_when_a_managed_policy_exceeds_6144_characters():
    cfg = big_inline_config(n_statements=35, permissions="managed")
    proc = oracle.run_bin(["check", "-", "--json"], input=json.dumps(cfg))
    assert proc.returncode == 1, proc.stdout
    assert any(d["code"] == "policy-too-large" and d["severity"] == "error" for d in json.loads(proc.stdout))


@pytest.mark.parametrize(
    "args,stdin,prefix",
    [
        (["render", "-", "--format", "json"], "{", "config: "),
        (["render", "-", "--format", "json"], '{"roles": [{"kind": "task"}], "extra": 1}', "extra: "),
        (["render", "-", "--format", "json"], '{"roles": [{"kind": "task", "nmae": "x"}]}', "roles[0].nmae: "),
        (["render", "-", "--format", "json"], '{"roles": [{"kind": "task", "features": [{"id": "xray", "x": 1}]}]}', "roles[0].features[0].x: "),
        (["render", "-", "--format", "json"], '{"roles": []}', "roles"),
        (["render", "-", "--format", "json"], "[]", ""),
        (["check", "-", "--json"], '{"roles": [{"kind": "nope"}]}', "roles[0].kind: "),
        (["render", "/nonexistent/config.json", "--format", "json"], None, ""),
        # A key written twice would otherwise drop the first value silently.
        (["render", "-", "--format", "json"],
         '{"roles": [{"kind": "task-execution", "features": [{"id": "ecr-pull", "repositories": ["a"], "repositories": ["b"]}]}]}',
         'roles[0].features[0]: has the key "repositories" twice'),
        (["check", "-"], '{"roles": [{"kind": "task"}], "roles": [{"kind": "task-execution"}]}',
         'config: has the key "roles" twice'),
        (["render", "-", "--format", "json"], "[" * 5000 + "]" * 5000, "config: is not valid JSON: nested more than"),
    ],
    ids=["bad-json", "unknown-top-field", "unknown-role-field", "unknown-feature-param", "no-roles", "not-an-object",
         "check-invalid", "missing-file", "repeated-key", "repeated-top-key", "too-deep"],
)
def test_invalid_input_exits_2_with_one_line(args, stdin, prefix):
    one_line_error(oracle.run_bin(args, input=stdin), prefix)


@pytest.mark.parametrize(
    "args",
    [
        ["render", "CONFIG", "--format", "nope"],
        ["render", "CONFIG", "--format", "json", "--permissions", "everything"],
        ["render", "CONFIG", "--bogus"],
        ["frobnicate"],
    ],
    ids=["unknown-format", "unknown-permissions", "unknown-option", "unknown-command"],
)
def test_bad_usage_exits_2(args):
    fixture = str(oracle.FIXTURE_DIR / "seed-001-minimal.json")
    proc = oracle.run_bin([fixture if a == "CONFIG" else a for a in args])
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    assert proc.stdout == ""
    assert proc.stderr.strip()


# --------------------------------------------------------------------------------------------
# --help


def example_from_help(text):
    """The first JSON object of the help text (indented, over several lines)."""
    start = text.index("{")
    depth = 0
    for i, c in enumerate(text[start:], start):
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth == 0:
            return json.loads(text[start : i + 1])
    raise AssertionError("unterminated JSON example")


@pytest.mark.parametrize("args", [["--help"], ["render", "--help"]], ids=["top", "render"])
def test_help_explains_the_configuration_with_an_example(args):
    proc = oracle.run_bin(args)
    assert proc.returncode == 0
    text = proc.stdout
    for word in ("partition", "region", "account", "roles", "kind", "features", "catalog", "schema"):
        assert word in text, word
    for kind in CATALOG["roleKinds"]:
        assert kind["id"] in text, kind["id"]
    example = example_from_help(text)
    jsonschema.Draft202012Validator(SCHEMA).validate(example)
    assert oracle.render(example, "json").returncode == 0
    assert oracle.run_bin(["check", "-"], input=json.dumps(example)).returncode == 0
    if args == ["render", "--help"]:
        for fmt in FORMATS:
            assert fmt in text, fmt


# --------------------------------------------------------------------------------------------
# check --json


@pytest.mark.parametrize("fixture", oracle.FIXTURES, ids=oracle.FIXTURE_IDS)
def test_check_json_shape(fixture):
    codes = {d["code"] for d in CATALOG["diagnostics"]}
    config = oracle.load_config(fixture)
    proc = oracle.run_bin(["check", fixture, "--json"])
    diags = json.loads(proc.stdout)
    assert isinstance(diags, list)
    for d in diags:
        assert set(d) == {"code", "severity", "path", "message", "docs"}, d
        assert d["code"] in codes, d
        assert d["severity"] in ("error", "warning", "info"), d
        assert isinstance(d["message"], str) and d["message"], d
        assert d["docs"].startswith("https://"), d
        assert resolves(config, d["path"], parent_only=True), f"path {d['path']} is not in the configuration"
    again = oracle.run_bin(["check", fixture, "--json"]).stdout
    assert again == proc.stdout, "check is not deterministic"


def resolves(config, path, parent_only=False):
    """True when a path like roles[0].features[1].logGroups names a place in `config` (with
    parent_only, its parent: a diagnostic may be about a field left out)."""
    parts = re.findall(r"[^.\[\]]+|\[\d+\]", path)
    if parent_only:
        parts = parts[:-1]
    node = config
    for part in parts:
        if part.startswith("["):
            i = int(part[1:-1])
            if not isinstance(node, list) or i >= len(node):
                return False
            node = node[i]
        else:
            if not isinstance(node, dict) or part not in node:
                return False
            node = node[part]
    return True


def iam_size(doc, placeholders=("aws-us-gov", "ap-southeast-5", "123456789012")):
    """IAM's size of a policy: its JSON without white space."""
    text = oracle.substitute(json.dumps(doc, separators=(",", ":"), ensure_ascii=False), *placeholders)
    return sum(1 for c in text if not c.isspace())


def tuned_inline_config(target):
    """A task role whose single custom policy is `target` characters long (IAM's count): statements
    with 150 characters of padding in their resource, the last one padded to the exact size."""
    def size_of(cfg):
        doc = json.loads(oracle.render(cfg, "json", "inline").stdout)["Roles"][0]["Policies"][0]["PolicyDocument"]
        return iam_size(doc)

    one = size_of(big_inline_config(n_statements=1, pad=150))
    two = size_of(big_inline_config(n_statements=2, pad=150))
    per = two - one
    n = (target - one) // per + 1
    cfg = big_inline_config(n_statements=n, pad=150)
    missing = target - size_of(cfg)
    assert 0 <= missing < per, missing
    cfg["roles"][0]["features"][0]["statements"][-1]["Resource"] = (
        cfg["roles"][0]["features"][0]["statements"][-1]["Resource"][:-2] + "p" * missing + "/*"
    )
    assert size_of(cfg) == target
    return cfg


@pytest.mark.parametrize("size,error", [(10240, False), (10241, True)])
def test_inline_size_limit_boundary(size, error):
    cfg = tuned_inline_config(size)
    proc = oracle.run_bin(["check", "-", "--json"], input=json.dumps(cfg))
    found = [d for d in json.loads(proc.stdout) if d["code"] == "inline-policies-too-large"]
    assert bool(found) == error, (size, found)
    assert proc.returncode == (1 if error else 0)


@pytest.mark.parametrize("size,error", [(6144, False), (6145, True)])
def test_managed_size_limit_boundary(size, error):
    cfg = tuned_inline_config(size)
    cfg["permissions"] = "managed"
    doc = json.loads(oracle.render(cfg, "json").stdout)["ManagedPolicies"][0]["PolicyDocument"]
    assert iam_size(doc) == size
    proc = oracle.run_bin(["check", "-", "--json"], input=json.dumps(cfg))
    found = [d for d in json.loads(proc.stdout) if d["code"] == "policy-too-large"]
    assert bool(found) == error, (size, found)


@pytest.mark.parametrize("fixture,style", list(itertools.product(oracle.FIXTURES, oracle.STYLES)),
                         ids=[f"{f.stem}-{s}" for f, s in itertools.product(oracle.FIXTURES, oracle.STYLES)])
def test_check_size_diagnostics_match_the_rendering(tmp_path, fixture, style):
    """For every fixture and style, `check` reports a size or count problem exactly when the
    json rendering has one: inline policies of a role over 10,240 characters, a managed policy
    over 6,144, a trust policy over 2,048, more than 10 managed policies on a role."""
    config = dict(oracle.load_config(fixture), permissions=style)
    rendering = json.loads(oracle.render(config, "json").stdout)
    expect = set()
    for r in rendering["Roles"]:
        if sum(iam_size(p["PolicyDocument"]) for p in r["Policies"]) > 10240:
            expect.add("inline-policies-too-large")
        if iam_size(r["AssumeRolePolicyDocument"]) > 2048:
            expect.add("trust-policy-too-large")
        if len(r["ManagedPolicyArns"]) > 10:
            expect.add("too-many-managed-policies")
    for m in rendering["ManagedPolicies"]:
        if iam_size(m["PolicyDocument"]) > 6144:
            expect.add("policy-too-large")
    proc = oracle.run_bin(["check", "-", "--json"], input=json.dumps(config))
    sizes = {"inline-policies-too-large", "trust-policy-too-large", "too-many-managed-policies", "policy-too-large"}
    got = {d["code"] for d in json.loads(proc.stdout)} & sizes
    assert got == expect


def test_too_many_managed_policies():
    def cfg(n):
        return dict(
            EXPLICIT,
            permissions="managed",
            roles=[{"kind": "task", "name": "t",
                    "managedPolicies": [f"arn:aws:iam::123456789012:policy/p{i}" for i in range(n)],
                    "features": [{"id": "xray"}]}],
        )

    for n, expected in [(9, False), (10, True)]:  # n customer ARNs + the xray policy
        c = cfg(n)
        assert len(json.loads(oracle.render(c, "json").stdout)["Roles"][0]["ManagedPolicyArns"]) == n + 1
        got = json.loads(oracle.run_bin(["check", "-", "--json"], input=json.dumps(c)).stdout)
        assert any(d["code"] == "too-many-managed-policies" for d in got) == expected, (n, got)


# --------------------------------------------------------------------------------------------
# catalog --json


def test_catalog_shape():
    for key in ("roleKinds", "features", "valueKinds", "formats", "managedPolicies", "permissionStyles", "diagnostics"):
        assert key in CATALOG, key
    assert sorted(f["id"] for f in CATALOG["permissionStyles"]) == sorted(oracle.STYLES)
    text = oracle.run_bin(["catalog"])
    assert text.returncode == 0 and text.stdout.strip()


@pytest.mark.parametrize("kind", [k["id"] for k in CATALOG["roleKinds"]])
def test_catalog_role_kinds_are_known(kind):
    entry = next(k for k in CATALOG["roleKinds"] if k["id"] == kind)
    if entry["policyOnly"]:
        # Alone, a policy has nothing to grant, which IAM refuses; with a role to pass, it is
        # the one customer managed policy.
        alone = oracle.render({"roles": [{"kind": kind}]}, "json", check=False)
        assert alone.returncode == 2 and alone.stderr.startswith("roles[0]: "), alone.stderr
        cfg = {"roles": [{"kind": "task"}, {"kind": kind}]}
        rendering = json.loads(oracle.render(cfg, "json").stdout)
        assert [m["PolicyName"] for m in rendering["ManagedPolicies"]] == [entry["defaultName"]]
    else:
        cfg = {"roles": [{"kind": kind}]}
        rendering = json.loads(oracle.render(cfg, "json").stdout)
        (role,) = rendering["Roles"]
        assert role["RoleName"] == entry["defaultName"]
        assert role["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {"Service": entry["principal"]}
        defaults = {f"arn:${{AWS::Partition}}:iam::aws:policy{mp['path']}{mp['name']}"
                    for mp in CATALOG["managedPolicies"] if mp["name"] in entry["defaultManagedPolicies"]}
        assert defaults == set(role["ManagedPolicyArns"])
        assert ("InstanceProfileName" in role) == entry["instanceProfile"]


def feature_entry(feature):
    entry = {"id": feature["id"]}
    for p in feature["params"]:
        if p["type"] == "list":
            entry[p["name"]] = [VALUE_KINDS[p["item"]]["example"]]
        elif p["type"] == "value":
            entry[p["name"]] = VALUE_KINDS[p["item"]]["example"]
        elif p["type"] == "bool":
            entry[p["name"]] = True
        elif p["type"] == "statements":
            entry[p["name"]] = [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}]
    return entry


@pytest.mark.parametrize("feature", CATALOG["features"], ids=[f["id"] for f in CATALOG["features"]])
def test_catalog_features_are_known(feature):
    """Every feature renders on each role kind the catalogue gives it, with every parameter set to
    its value kind's example, and is refused on the others with the path of its id."""
    entry = feature_entry(feature)
    schema = jsonschema.Draft202012Validator(SCHEMA)
    for kind in (k["id"] for k in CATALOG["roleKinds"]):
        cfg = dict(EXPLICIT, roles=[{"kind": kind, "name": "r1", "features": [entry]}])
        proc = oracle.render(cfg, "json", check=False)
        if kind in feature["roles"]:
            assert proc.returncode == 0, (kind, proc.stderr)
            assert not list(schema.iter_errors(cfg)), kind
        else:
            one_line_error(proc, "roles[0].features[0].id: ")


NEEDS_ONE_OF = [f for f in CATALOG["features"] if f["needsOneOf"]]
assert NEEDS_ONE_OF, "no feature of the catalogue has access switches: this test would check nothing"


@pytest.mark.parametrize("feature", NEEDS_ONE_OF, ids=[f["id"] for f in NEEDS_ONE_OF])
def test_schema_and_cli_agree_on_access_switches(feature):
    """A feature with `needsOneOf` is refused by the CLI and by `ecs-iam schema` alike when none of
    its switches is on (false, absent or an empty list), and accepted by both with any one on."""
    schema = jsonschema.Draft202012Validator(SCHEMA)
    kind = feature["roles"][0]
    params = {p["name"]: p for p in feature["params"]}
    full = feature_entry(feature)

    def config(entry):
        return dict(EXPLICIT, roles=[{"kind": kind, "name": "r1", "features": [entry]}])

    off = {k: v for k, v in full.items() if k not in feature["needsOneOf"]}
    for how, entry in (("absent", off), ("off", {**off, **{w: False if params[w]["type"] == "bool" else [] for w in feature["needsOneOf"]}})):
        proc = oracle.render(config(entry), "json", check=False)
        one_line_error(proc, "roles[0].features[0]")
        assert "grants nothing as given" in proc.stderr, (how, proc.stderr)
        assert list(schema.iter_errors(config(entry))), f"the schema accepts {feature['id']} with every switch {how}"
    for w in feature["needsOneOf"]:
        entry = {**off, w: full[w]}
        proc = oracle.render(config(entry), "json", check=False)
        assert proc.returncode == 0, (w, proc.stderr)
        assert not list(schema.iter_errors(config(entry))), w


@pytest.mark.parametrize("fmt", FORMATS)
def test_catalog_formats_are_known(fmt, tmp_path):
    entry = next(f for f in CATALOG["formats"] if f["id"] == fmt)
    fixture = oracle.FIXTURE_DIR / "container-instance.json"
    assert oracle.render(fixture, fmt).stdout.strip()
    out = tmp_path / "out"
    oracle.render(fixture, fmt, out=out)
    assert (out / entry["fileName"]).exists(), sorted(str(p.relative_to(out)) for p in out.rglob("*"))


@pytest.mark.parametrize("mp", CATALOG["managedPolicies"], ids=[m["name"] for m in CATALOG["managedPolicies"]])
def test_catalog_managed_policies_are_known(mp):
    """An attachable AWS managed policy of the catalogue is accepted by name (and by the schema)
    and rendered as its ARN, with its path; one that is not attachable (a service-linked role's
    policy) is refused with the path of the entry."""
    kind = mp["attachTo"][0] if mp["attachTo"] else "task"
    cfg = dict(EXPLICIT, roles=[{"kind": kind, "name": "r1", "managedPolicies": [mp["name"]]}])
    proc = oracle.render(cfg, "json", check=False)
    if not mp["attachable"]:
        one_line_error(proc, "roles[0].managedPolicies[0]: ")
        return
    assert proc.returncode == 0, proc.stderr
    role = json.loads(proc.stdout)["Roles"][0]
    assert f"arn:aws:iam::aws:policy{mp['path']}{mp['name']}" in role["ManagedPolicyArns"]
    jsonschema.Draft202012Validator(SCHEMA).validate(cfg)


# --------------------------------------------------------------------------------------------
# schema


def test_schema_is_a_valid_draft_2020_12_schema():
    assert SCHEMA.get("$schema") == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("fixture", oracle.FIXTURES, ids=oracle.FIXTURE_IDS)
def test_schema_validates_fixture(fixture):
    jsonschema.Draft202012Validator(SCHEMA).validate(oracle.load_config(fixture))


@pytest.mark.parametrize(
    "mutate",
    [
        lambda c: c.update(extra=1),
        lambda c: c["roles"][0].update(nmae="x"),
        lambda c: c["roles"][0]["features"][0].update(bogus=["x"]),
        lambda c: c["roles"][0].update(kind="nope"),
        lambda c: c["roles"][0]["features"][0].update(id="nope"),
        lambda c: c.update(partition="aws-xx"),
        lambda c: c.update(account="12345"),
        lambda c: c["roles"][0].update(name="a b"),
    ],
    ids=["unknown-top-field", "unknown-role-field", "unknown-feature-param", "unknown-kind", "unknown-feature",
         "bad-partition", "bad-account", "bad-name"],
)
def test_schema_rejects_what_the_cli_rejects(mutate):
    cfg = json.loads((oracle.FIXTURE_DIR / "seed-001-minimal.json").read_text())
    mutate(cfg)
    assert list(jsonschema.Draft202012Validator(SCHEMA).iter_errors(cfg)), "the schema accepts it"
    assert oracle.render(cfg, "json", check=False).returncode == 2, "the CLI accepts it"


# --------------------------------------------------------------------------------------------
# Determinism


def _tree(root):
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("fixture", oracle.FIXTURES, ids=oracle.FIXTURE_IDS)
def test_rendering_is_deterministic(fixture, tmp_path):
    for fmt, style in itertools.product(FORMATS, oracle.STYLES):
        args = ["render", str(fixture), "--format", fmt, "--permissions", style]
        first = oracle.subprocess.run([str(oracle.BIN), *args], capture_output=True)
        second = oracle.subprocess.run([str(oracle.BIN), *args], capture_output=True)
        assert first.returncode == 0 and first.stdout == second.stdout, (fmt, style)
        a, b = tmp_path / f"{fmt}-{style}-a", tmp_path / f"{fmt}-{style}-b"
        oracle.render(fixture, fmt, style, out=a)
        oracle.render(fixture, fmt, style, out=b)
        assert _tree(a) == _tree(b), (fmt, style)


def test_diagnose_explains_a_message_and_says_when_it_cannot():
    message = ("ResourceInitializationError: unable to pull secrets or registry auth: execution resource "
               "retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): "
               "AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/app-exec/8f1a is not "
               "authorized to perform: secretsmanager:GetSecretValue on resource: "
               "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db-AbCdEf")
    r = oracle.run_bin(["diagnose", "--json", "-"], input=message)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["recognised"] and d["roleKind"] == "task-execution" and d["roleName"] == "app-exec"
    assert d["actions"] == ["secretsmanager:GetSecretValue"] and d["docs"].startswith("https://docs.aws.amazon.com/")
    text = oracle.run_bin(["diagnose", message])
    assert text.returncode == 0 and "Fix:" in text.stdout and "app-exec" in text.stdout
    unknown = oracle.run_bin(["diagnose", "--json", "the build is green"])
    assert unknown.returncode == 1 and json.loads(unknown.stdout)["recognised"] is False


def test_diagnose_with_a_config_applies_the_fix_and_the_result_renders(tmp_path):
    config = oracle.ROOT / "tests" / "fixtures" / "seed-002-secrets.json"
    secret = "arn:aws:secretsmanager:us-east-1:111122223333:secret:other/api-AbCdEf"
    message = ("ResourceInitializationError: unable to pull secrets or registry auth: execution resource "
               "retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): "
               "AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/ecsTaskExecutionRole/8f1a is not "
               f"authorized to perform: secretsmanager:GetSecretValue on resource: {secret}")
    r = oracle.run_bin(["diagnose", "--config", str(config), "--json", message])
    assert r.returncode == 0, r.stderr
    applied = json.loads(r.stdout)["applied"]
    assert applied["changes"] and secret in applied["changes"][0]
    fixed = tmp_path / "fixed.json"
    fixed.write_text(json.dumps(applied["config"]))
    rendered = oracle.run_bin(["render", str(fixed), "--format", "json"])
    assert rendered.returncode == 0, rendered.stderr
    assert secret in rendered.stdout
    text = oracle.run_bin(["diagnose", "--config", str(config), message])
    assert "Applied to the configuration:" in text.stdout and "The configuration with the fix:" in text.stdout
    both = oracle.run_bin(["diagnose", "--config", "-", "-"], input=message)
    assert both.returncode == 2 and "standard input" in both.stderr


@pytest.mark.parametrize("fixture", oracle.FIXTURES, ids=oracle.FIXTURE_IDS)
def test_vectors_are_a_script_bash_accepts_and_json_the_evaluator_agrees_with(fixture):
    script = oracle.run_bin(["vectors", str(fixture)])
    assert script.returncode == 0, script.stderr
    assert subprocess.run(["bash", "-n"], input=script.stdout, text=True).returncode == 0
    listing = oracle.run_bin(["vectors", str(fixture), "--json"])
    vectors = json.loads(listing.stdout)
    assert vectors, "every fixture has vectors"
    for v in vectors:
        want_allow = v["expect"] == "allow"
        assert (v["decision"] == "allow") == want_allow, v
    # every role of the rendering has its trust policy's vector
    roles = {r["RoleName"] for r in oracle.json_rendering(fixture)["Roles"]}
    assert roles == {v["role"] for v in vectors if v["policy"] == "trust" and v["expect"] == "allow"}
