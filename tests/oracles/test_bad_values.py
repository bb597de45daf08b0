"""Bad and hostile values everywhere a configuration takes one.

Every parameter of every feature (read from `ecs-iam catalog --json`), role names, paths,
descriptions, instance profile names, passRoles, managedPolicies, partition, Region, account,
the permission style, and the elements of custom statements get a corpus of values: quotes,
newlines, $(...), backticks, ${aws:username}, ${AWS::AccountId}, backslashes, YAML and JSON
specials, 5,000 characters, é, U+2028, NUL, the empty string, ../.., ARNs of the wrong service
or partition... Each value goes into a minimal configuration, on a role kind that accepts the
feature, and the case must either

  - be refused: exit 2, nothing on stdout, one line on stderr that starts with the exact path of
    the field ("roles[0].features[0].repositories[0]: "); or
  - be accepted: exit 0, and then the json rendering parses and holds the value literally, the
    cloudformation-yaml rendering passes cfn-lint without error or warning and evaluates
    (Fn::Sub and all) to exactly the IAM of the json rendering, `bash -n` accepts the aws-cli
    script (printed, and written with --out, which writes nothing outside its directory), and
    the ufo and task-definition renderings succeed.

Values that matter to the shell (quotes, $, backticks, backslashes, newlines, non-ASCII) and are
accepted are also deployed to moto with the aws-cli script, which must create exactly what the
json rendering describes (and run nothing: a canary file must not appear).

Policy variables such as ${aws:username} must stay literal everywhere: in the json rendering, in
CloudFormation (as ${!aws:username} inside Fn::Sub, plain outside), and in what the aws-cli
script stores in IAM (read back from moto)."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import jsonschema
import pytest

import oracle
import terraform
from test_moto_cli import compare_models
from test_cdk import normalize_model, synth_batch
from test_handoff import check_blocks
from test_pulumi import model_of as pulumi_model
from test_pulumi import run_batch
from test_terraform import differences

CATALOG = json.loads(oracle.run_bin(["catalog", "--json"]).stdout)
UFO_DSL = oracle.HERE / "ufo_dsl.rb"
# Every format of the catalogue with the language of its text; json is rendered first.
SYNTAX = {f["id"]: f["syntax"] for f in CATALOG["formats"]}
OTHER_FORMATS = [f for f in SYNTAX if f != "json"]
VALUE_KINDS = {vk["id"]: vk for vk in CATALOG["valueKinds"]}
CANARY = Path(tempfile.gettempdir()) / f"ecs-iam-oracle-canary-{os.getpid()}"
EXPLICIT = {"partition": "aws", "region": "us-east-1", "account": "123456789012"}

# Values that no field should let through unescaped. (name, value)
HOSTILE = [
    ("squote", "it's"),
    ("dquote", 'say "hi"'),
    ("newline", "a\nb"),
    ("carriage-return", "a\rb"),
    ("tab", "a\tb"),
    ("cmd-subst", f"$(touch {CANARY})"),
    ("backticks", f"`touch {CANARY}`"),
    ("single-quote-breakout", f"x' ; touch {CANARY} ; echo '"),
    ("double-quote-breakout", f'x" ; touch {CANARY} ; echo "'),
    ("policy-variable", "${aws:username}"),
    ("pseudo-parameter", "${AWS::AccountId}"),
    ("sub-escape", "${!aws:username}"),
    ("shell-variable", "${HOME}"),
    # Names a resource of the rendered template (a role named r1 is R1): CloudFormation keeps
    # it literal outside Fn::Sub, and cfn-lint must not take it for a reference (E1029).
    ("logical-id", "${R1} ${R1.Arn} ${EcsTaskRole} ${!x}"),
    ("backslash", "a\\b"),
    ("json-breakout", '"}]}'),
    ("yaml-specials", ": - &a *a !Ref x # c"),
    ("yaml-bool", "yes"),
    ("yaml-null", "null"),
    ("yaml-number", "0x1F"),
    ("long-5000", "a" * 5000),
    ("e-acute", "é"),
    ("e-combining-acute", "e\u0301"),
    ("template-escape", "$${x} %%{y} $"),
    ("line-separator", "x\u2028y"),
    ("next-line", "x\u0085y"),
    ("right-to-left-override", "x\u202ey"),
    ("nul", "a\u0000b"),
    ("empty", ""),
    ("space", " "),
    ("dotdot", "../.."),
    ("dotdot-path", "../../etc/passwd"),
    ("star", "*"),
    ("percent", "%2F%00"),
    ("emoji", "\U0001F600"),
    ("wrong-service-arn", "arn:aws:sns:us-east-1:123456789012:topic"),
]

# Values for fields that want a boolean.
NOT_BOOLEANS = [("string-true", "true"), ("number", 1), ("list", [True]), ("object", {}), ("shell", "$(id)")]


def kind_specific(kind_id):
    """Values aimed at one value kind: its ARN in the wrong partition, with a hostile name, with
    ../.. in the name, and an ARN of another service with the right resource type."""
    vk = VALUE_KINDS[kind_id]
    out = []
    if vk.get("arnService"):
        svc, res = vk["arnService"], vk["arnResource"]
        region = "" if svc == "s3" else "us-east-1"
        account = "" if svc == "s3" else "123456789012"
        cn_region = "" if svc == "s3" else "cn-north-1"
        out += [
            ("wrong-partition-arn", f"arn:aws-cn:{svc}:{cn_region}:{account}:{res}{vk['example']}"),
            ("hostile-name-arn", f"arn:aws:{svc}:{region}:{account}:{res}x$(id)`id`'\""),
            ("dotdot-arn", f"arn:aws:{svc}:{region}:{account}:{res}../../{vk['example']}"),
            ("other-service-arn", f"arn:aws:iam::123456789012:{res}{vk['example']}"),
        ]
    else:
        out += [("arn", "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0123456789abcdef0")]
    return out


@dataclass
class Case:
    id: str
    config: dict
    path: str  # the field's path, as the error line must start with it
    value: object = None  # the value put there
    loose_path: bool = False  # the error may name a field below `path` (Condition keys)
    must_reject: bool = False  # a value of the wrong JSON type: refusing is the only answer
    literal: bool = True  # an accepted value must appear in the json rendering
    shell: bool = field(init=False)

    def __post_init__(self):
        v = self.value
        self.shell = isinstance(v, str) and (
            any(c in v for c in "'\"$`\\\n\r") or any(ord(c) > 127 for c in v)
        )


def _valid_statement():
    return {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::my-bucket/*"}


def feature_base(feature):
    """A feature entry with its required parameters set to valid example values."""
    entry = {"id": feature["id"]}
    for p in feature["params"]:
        if not p.get("required"):
            continue
        if p["type"] == "list":
            entry[p["name"]] = [VALUE_KINDS[p["item"]]["example"]]
        elif p["type"] == "value":
            entry[p["name"]] = VALUE_KINDS[p["item"]]["example"]
        elif p["type"] == "statements":
            entry[p["name"]] = [_valid_statement()]
        elif p["type"] == "bool":
            entry[p["name"]] = True
    # A feature whose access levels are switches grants nothing without one of them.
    for switch in feature.get("needsOneOf", [])[:1]:
        entry[switch] = True
    return entry


def feature_config(feature, param, value, explicit=False):
    entry = feature_base(feature)
    entry[param] = value
    cfg = {"roles": [{"kind": feature["roles"][0], "name": "r1", "features": [entry]}]}
    if explicit:
        cfg.update(EXPLICIT)
    return cfg


def build_cases():
    cases = []
    for feature in CATALOG["features"]:
        fid = feature["id"]
        base = f"roles[0].features[0]"
        for p in feature["params"]:
            name, typ = p["name"], p["type"]
            if typ in ("list", "value"):
                values = HOSTILE + kind_specific(p["item"])
                for vid, v in values:
                    explicit = vid == "wrong-partition-arn"
                    if typ == "list":
                        cfg = feature_config(feature, name, [v], explicit)
                        path = f"{base}.{name}[0]"
                    else:
                        cfg = feature_config(feature, name, v, explicit)
                        path = f"{base}.{name}"
                    cases.append(Case(f"{fid}.{name}={vid}", cfg, path, v))
                # wrong JSON types
                wrong = [("number", 5), ("object", {"a": "b"})] + (
                    [("bare-string", "x")] if typ == "list" else [("list", ["x"])]
                )
                for vid, v in wrong:
                    cases.append(
                        Case(f"{fid}.{name}={vid}", feature_config(feature, name, v), f"{base}.{name}", v, must_reject=True)
                    )
            elif typ == "bool":
                for vid, v in NOT_BOOLEANS:
                    cases.append(
                        Case(f"{fid}.{name}={vid}", feature_config(feature, name, v), f"{base}.{name}", v, must_reject=True)
                    )
            elif typ == "statements":
                cases += statement_cases(feature)
            else:
                raise AssertionError(f"unknown parameter type {typ} of {fid}.{name}: add cases for it")
            if typ in ("list", "value", "bool") and not p.get("required"):
                # null: refused, or taken as absent (then the schema must allow it too)
                cases.append(Case(f"{fid}.{name}=null", feature_config(feature, name, None), f"{base}.{name}", None))
    cases += role_cases()
    cases += top_level_cases()
    return cases


def statement_cases(feature):
    fid = feature["id"]
    s0 = "roles[0].features[0].statements[0]"
    out = []

    def add(vid, stmt, path, value, loose=False, explicit=False):
        cfg = feature_config(feature, "statements", [stmt], explicit)
        out.append(Case(f"{fid}.statements.{vid}", cfg, path, value, loose_path=loose))

    for hid, h in HOSTILE:
        st = _valid_statement()
        st["Sid"] = h
        add(f"Sid={hid}", st, f"{s0}.Sid", h)
        st = _valid_statement()
        st["Effect"] = h
        add(f"Effect={hid}", st, f"{s0}.Effect", h)
        st = _valid_statement()
        st["Action"] = h
        add(f"Action={hid}", st, f"{s0}.Action", h)
        st = _valid_statement()
        st["Action"] = ["s3:GetObject", h]
        add(f"Action[1]={hid}", st, f"{s0}.Action[1]", h)
        st = _valid_statement()
        del st["Action"]
        st["NotAction"] = h
        add(f"NotAction={hid}", st, f"{s0}.NotAction", h)
        st = _valid_statement()
        st["Resource"] = h
        add(f"Resource={hid}", st, f"{s0}.Resource", h)
        st = _valid_statement()
        st["Resource"] = "arn:aws:s3:::my-bucket/" + h
        add(f"Resource=arn+{hid}", st, f"{s0}.Resource", st["Resource"])
        st = _valid_statement()
        st["Resource"] = ["arn:aws:s3:::my-bucket", "arn:aws:s3:::my-bucket/" + h]
        add(f"Resource[1]=arn+{hid}", st, f"{s0}.Resource[1]", st["Resource"][1])
        st = _valid_statement()
        del st["Resource"]
        st["NotResource"] = "arn:aws:s3:::my-bucket/" + h
        add(f"NotResource=arn+{hid}", st, f"{s0}.NotResource", st["NotResource"])
        st = _valid_statement()
        st["Condition"] = {"StringEquals": {"aws:PrincipalTag/team": h}}
        add(f"Condition-value={hid}", st, f"{s0}.Condition", h, loose=True)
        st = _valid_statement()
        st["Condition"] = {"StringLike": {"s3:prefix": ["home/", h]}}
        add(f"Condition-list-value={hid}", st, f"{s0}.Condition", h, loose=True)
        st = _valid_statement()
        st["Condition"] = {"StringEquals": {h: "x"}}
        add(f"Condition-key={hid}", st, f"{s0}.Condition", h, loose=True)
        st = _valid_statement()
        st["Condition"] = {h: {"aws:PrincipalTag/team": "x"}}
        add(f"Condition-operator={hid}", st, f"{s0}.Condition", h, loose=True)
    # ARNs of the wrong partition (the configuration says aws) and of other services
    for vid, arn in [
        ("wrong-partition", "arn:aws-cn:s3:::my-bucket/*"),
        ("gov-partition", "arn:aws-us-gov:sqs:us-gov-west-1:123456789012:q"),
        ("other-service", "arn:aws:sns:us-east-1:123456789012:topic"),
        ("no-service", "arn:aws::us-east-1:123456789012:x"),
        ("too-few-parts", "arn:aws:s3"),
    ]:
        st = _valid_statement()
        st["Resource"] = arn
        add(f"Resource={vid}", st, f"{s0}.Resource", arn, explicit=True)
    # a Principal, unknown elements, wrong shapes
    for vid, stmt, path in [
        ("Principal", dict(_valid_statement(), Principal="*"), f"{s0}.Principal"),
        ("unknown-element", dict(_valid_statement(), Foo="bar"), f"{s0}.Foo"),
        ("Resource+NotResource", dict(_valid_statement(), NotResource="*"), f"{s0}.NotResource"),
        ("Action-number", dict(_valid_statement(), Action=5), f"{s0}.Action"),
        ("Action-empty-list", dict(_valid_statement(), Action=[]), f"{s0}.Action"),
        ("Condition-string", dict(_valid_statement(), Condition="x"), f"{s0}.Condition"),
    ]:
        cfg = feature_config(feature, "statements", [stmt])
        out.append(Case(f"{fid}.statements.{vid}", cfg, path, None, must_reject=True))
    for vid, v in [("string", "x"), ("empty-list", []), ("object", {}), ("list-of-string", ["x"])]:
        path = "roles[0].features[0].statements" + ("[0]" if vid == "list-of-string" else "")
        cfg = feature_config(feature, "statements", v)
        out.append(Case(f"{fid}.statements={vid}", cfg, path, v, must_reject=True))
    return out


def role_cases():
    out = []
    kinds = [k["id"] for k in CATALOG["roleKinds"]]

    def role_cfg(fieldname, value, kind="task", extra=None, explicit=False):
        role = {"kind": kind, "name": "r1"}
        if extra:
            role.update(extra)
        role[fieldname] = value
        cfg = {"roles": [role]}
        if explicit:
            cfg.update(EXPLICIT)
        return cfg

    names = HOSTILE + [("129-chars", "a" * 129), ("65-chars", "a" * 65), ("dots", "..")]
    for vid, v in names:
        out.append(Case(f"role.name={vid}", role_cfg("name", v), "roles[0].name", v))
        out.append(
            Case(
                f"container-instance.instanceProfileName={vid}",
                role_cfg("instanceProfileName", v, kind="container-instance"),
                "roles[0].instanceProfileName",
                v,
            )
        )
        out.append(
            Case(
                f"deployer.passRoles={vid}",
                {"roles": [{"kind": "task", "name": "r1"}, {"kind": "deployer", "name": "d1", "passRoles": [v]}]},
                "roles[1].passRoles[0]",
                v,
            )
        )
    for vid, v in HOSTILE + [("no-slashes", "team"), ("no-trailing-slash", "/team"), ("double-slash", "//"),
                             ("dotdot-segment", "/a/../b/"), ("long-path", "/" + "a" * 600 + "/")]:
        out.append(Case(f"role.path={vid}", role_cfg("path", v), "roles[0].path", v))
    for vid, v in HOSTILE + [("1001-chars", "a" * 1001)]:
        out.append(Case(f"role.description={vid}", role_cfg("description", v), "roles[0].description", v))
    for vid, v in HOSTILE + [
        ("dotdot-arn", "arn:aws:iam::aws:policy/../../AdministratorAccess"),
        ("wrong-partition-arn", "arn:aws-cn:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"),
        ("s3-arn", "arn:aws:s3:::my-bucket"),
        ("role-arn", "arn:aws:iam::123456789012:role/x"),
        ("hostile-name-arn", "arn:aws:iam::123456789012:policy/x$(id)"),
    ]:
        explicit = vid == "wrong-partition-arn"
        out.append(
            Case(f"role.managedPolicies={vid}", role_cfg("managedPolicies", [v], explicit=explicit), "roles[0].managedPolicies[0]", v)
        )
    for vid, v in HOSTILE[:12]:
        out.append(Case(f"role.kind={vid}", role_cfg("kind", v), "roles[0].kind", v, must_reject=True))
        out.append(
            Case(f"feature.id={vid}", role_cfg("features", [{"id": v}]), "roles[0].features[0].id", v, must_reject=True)
        )
    for vid, v in NOT_BOOLEANS:
        out.append(Case(f"role.confusedDeputy={vid}", role_cfg("confusedDeputy", v), "roles[0].confusedDeputy", v, must_reject=True))
    for fieldname in ("name", "path", "description", "managedPolicies", "confusedDeputy", "features"):
        out.append(Case(f"role.{fieldname}=null", role_cfg(fieldname, None), f"roles[0].{fieldname}", None))
    for fieldname in ("name", "path", "description", "instanceProfileName"):
        kind = "container-instance" if fieldname == "instanceProfileName" else "task"
        for vid, v in [("number", 5), ("list", ["x"])]:
            out.append(
                Case(f"role.{fieldname}={vid}", role_cfg(fieldname, v, kind=kind), f"roles[0].{fieldname}", v, must_reject=True)
            )
    assert kinds  # the catalogue lists role kinds
    return out


def top_level_cases():
    out = []
    base = {"roles": [{"kind": "task-execution", "name": "r1", "features": [{"id": "logs", "logGroups": ["/ecs/x"]}]}]}
    extra = {
        "partition": [("aws-xx", "aws-xx"), ("AWS", "AWS")],
        "region": [("upper", "US-EAST-1"), ("no-number", "us-east"), ("partition-mismatch", "cn-north-1")],
        "account": [("11-digits", "12345678901"), ("13-digits", "1234567890123"), ("letters", "12345678901a"),
                    ("number", 123456789012)],
        "permissions": [("unknown", "everything")],
    }
    for key in ("partition", "region", "account", "permissions"):
        for vid, v in HOSTILE + extra[key] + [("null", None)]:
            cfg = copy.deepcopy(base)
            cfg[key] = v
            if key == "region" and vid == "partition-mismatch":
                cfg["partition"] = "aws"
            out.append(Case(f"{key}={vid}", cfg, key, v, must_reject=not isinstance(v, (str, type(None)))))
    return out


CASES = build_cases()
_ids = [c.id for c in CASES]
assert len(_ids) == len(set(_ids)), [i for i in _ids if _ids.count(i) > 1]


def all_strings(node):
    if isinstance(node, dict):
        for k, v in node.items():
            yield k
            yield from all_strings(v)
    elif isinstance(node, list):
        for v in node:
            yield from all_strings(v)
    elif isinstance(node, str):
        yield node


@dataclass
class Outcome:
    proc: subprocess.CompletedProcess
    rendering: dict | None = None
    yaml_path: Path | None = None
    tf_module: Path | None = None
    problems: list = field(default_factory=list)


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory):
    """Renders every case; for accepted ones, every other format too; lints all accepted
    CloudFormation templates in one cfn-lint run."""
    work = tmp_path_factory.mktemp("bad-values")
    results = {}
    to_lint = []
    cdk_items, pulumi_items = [], []
    for n, case in enumerate(CASES):
        proc = SHELL_JSON.get(case.id) or oracle.render(case.config, "json", check=False)
        out = Outcome(proc)
        results[case.id] = out
        if proc.returncode != 0:
            continue
        problems = out.problems
        try:
            out.rendering = json.loads(proc.stdout)
        except json.JSONDecodeError as e:
            problems.append(f"json rendering does not parse: {e}")
            continue
        d = work / f"c{n}"
        d.mkdir()
        aws_cli_text = ""
        for fmt in OTHER_FORMATS:
            r = oracle.render(case.config, fmt, check=False)
            if r.returncode != 0:
                problems.append(f"{fmt} exited {r.returncode} where json succeeded: {r.stderr}")
                continue
            if fmt == "cloudformation-yaml":
                out.yaml_path = d / "template.yaml"
                out.yaml_path.write_text(r.stdout)
                to_lint.append(out.yaml_path)
            elif fmt == "aws-cli":
                (d / "create-roles.sh").write_text(r.stdout)
                aws_cli_text = r.stdout
            elif fmt == "cdk-typescript":
                cdk_items.append((case.id, r.stdout))
            elif fmt == "pulumi-typescript":
                pulumi_items.append((case.id, r.stdout, IAC_DEPLOYMENT))
            elif fmt == "handoff":
                problems += [f"handoff: {p}" for p in check_blocks(r.stdout, proc.stdout, aws_cli_text)]
            elif fmt == "terraform":
                (d / "terraform").mkdir()
                (d / "terraform" / "iam.tf").write_text(r.stdout)
                out.tf_module = d / "terraform"
            elif SYNTAX[fmt] == "json":
                try:
                    json.loads(r.stdout)
                except json.JSONDecodeError as e:
                    problems.append(f"{fmt} does not parse: {e}")
        # UFO's files, evaluated by Ruby as UFO evaluates them: a value must stay a string
        ufo_dir = d / "ufo"
        r = oracle.render(case.config, "ufo", out=ufo_dir, check=False)
        if r.returncode != 0:
            problems.append(f"ufo --out exited {r.returncode}: {r.stderr}")
        else:
            for rb in sorted((ufo_dir / ".ufo" / "iam_roles").glob("*.rb")) if (ufo_dir / ".ufo").exists() else []:
                ev = subprocess.run(["ruby", str(UFO_DSL), str(rb)], capture_output=True, text=True, timeout=60)
                if ev.returncode != 0:
                    problems.append(f"ruby cannot evaluate {rb.name}: {ev.stderr[-500:]}")
        # the --out form, in a directory of its own: nothing may land beside it
        parent = d / "files"
        parent.mkdir()
        r = oracle.render(case.config, "aws-cli", out=parent / "out", check=False)
        if r.returncode != 0:
            problems.append(f"aws-cli --out exited {r.returncode}: {r.stderr}")
        else:
            stray = [p for p in parent.iterdir() if p.name != "out"]
            if stray:
                problems.append(f"aws-cli --out wrote outside its directory: {stray}")
    terraform_check(work, results)
    iac_check(work, results, cdk_items, pulumi_items)
    lint = oracle.cfn_lint_batch(to_lint) if to_lint else {}
    for case in CASES:
        out = results[case.id]
        if out.yaml_path is not None:
            found = lint.get(str(out.yaml_path), [])
            if found:
                out.problems.append("cfn-lint:\n" + oracle.format_lint(found))
    return results


IAC_DEPLOYMENT = ("aws", "us-east-1", "123456789012")


def iac_check(work, results, cdk_items, pulumi_items):
    """The CDK stacks (tsc, synth, the synthesized IAM) and the Pulumi programs (tsc, the
    mocks' IAM) of every accepted case, each format in one project, equal the json rendering.
    CDK's template validation is left a warning here: it takes a literal `${HOME}` in a plain
    string for a reference, as cfn-lint does (CloudFormation takes it as text; `check` warns of
    it as unresolvable-variable), and test_cdk.py makes it fatal on every fixture."""
    _, templates = synth_batch(work / "cdk", cdk_items, validate=False) if cdk_items else (None, {})
    _, programs = run_batch(work / "pulumi", pulumi_items) if pulumi_items else (None, {})
    for cid, out in results.items():
        if out.rendering is None:
            continue
        rendering = json.loads(oracle.substitute(json.dumps(out.rendering), *IAC_DEPLOYMENT))
        expected = oracle.expected_model(rendering, "aws", "123456789012")
        if cid in templates:
            t = templates[cid]
            if "error" in t:
                out.problems.append(f"cdk-typescript: {t['error'][:3000]}")
            else:
                try:
                    actual = normalize_model(oracle.evaluate_template(t["template"], *IAC_DEPLOYMENT))
                    compare_models(normalize_model(json.loads(json.dumps(expected))), actual, "cdk vs json")
                except AssertionError as e:
                    out.problems.append(f"cdk-typescript: {str(e)[:3000]}")
        if cid in programs:
            p = programs[cid]
            if "error" in p:
                out.problems.append(f"pulumi-typescript: {p['error'][:3000]}")
            else:
                try:
                    compare_models(expected, pulumi_model(p["resources"], "aws", "123456789012"), "pulumi vs json")
                except AssertionError as e:
                    out.problems.append(f"pulumi-typescript: {str(e)[:3000]}")


def terraform_check(work, results):
    """Real Terraform on every accepted case's `terraform` rendering: `fmt -check` changes
    nothing, and what Terraform evaluates is the IAM of the json rendering. One run for all;
    a case whose module fails alone is found by running the cases one by one."""
    deployment = ("aws", "us-east-1", "123456789012")
    cases = [(cid, out) for cid, out in results.items() if out.tf_module is not None]
    rc, diff = terraform.fmt_check(work)
    if rc != 0:
        for cid, out in cases:
            rc, diff = terraform.fmt_check(out.tf_module)
            if rc != 0:
                out.problems.append(f"terraform fmt would change the rendering:\n{diff[:3000]}")
    try:
        models = terraform.evaluate([(out.tf_module, deployment) for _, out in cases])
    except AssertionError:
        models = []
        for cid, out in cases:
            try:
                models += terraform.evaluate([(out.tf_module, deployment)])
            except AssertionError as e:
                out.problems.append(f"terraform cannot evaluate the rendering: {str(e)[:3000]}")
                models.append(None)
    for (cid, out), model in zip(cases, models):
        if model is None:
            continue
        rendering = json.loads(oracle.substitute(json.dumps(out.rendering), *deployment))
        expected = oracle.expected_model(rendering, "aws", "123456789012")
        problems = differences(
            {"roles": expected["roles"], "policies": expected["policies"]}, model
        )
        if problems:
            out.problems.append("terraform vs json:\n" + "\n".join(problems))


def check_refusal(case, proc):
    assert proc.stdout == "", f"exit {proc.returncode} but stdout is not empty: {proc.stdout[:300]!r}"
    # splitlines() breaks at every line boundary a terminal or a viewer may honour (U+2028,
    # U+0085, ...), not only at \n: a hostile value must not start a line of its own.
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and proc.stderr.endswith("\n"), f"stderr is not one line: {proc.stderr!r}"
    line = lines[0]
    if case.loose_path:
        assert line.startswith(case.path) and line[len(case.path)] in ".:[", (
            f"error does not start with the field path {case.path!r}: {line!r}"
        )
    else:
        assert line.startswith(case.path + ": "), (
            f"error does not start with the field path {case.path + ': '!r}: {line!r}"
        )


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_bad_value(outcomes, case, tmp_path):
    out = outcomes[case.id]
    proc = out.proc
    if case.must_reject:
        assert proc.returncode == 2, f"a value of the wrong type was not refused (exit {proc.returncode})"
    assert proc.returncode in (0, 2), f"exit {proc.returncode}: {proc.stderr}"
    if proc.returncode == 2:
        check_refusal(case, proc)
        return
    assert not out.problems, "\n".join(out.problems)
    # the value survives literally
    if case.literal and isinstance(case.value, str):
        strings = list(all_strings(out.rendering))
        assert any(case.value in s for s in strings), (
            f"{case.value[:200]!r} does not appear literally in the json rendering"
        )
    # CloudFormation means the same as the json rendering
    deployment = ("aws", "us-east-1", "123456789012")
    rendering = json.loads(oracle.substitute(json.dumps(out.rendering), *deployment))
    expected = oracle.expected_model(rendering, "aws", "123456789012")
    template = oracle.load_template(out.yaml_path.read_text())
    compare_models(expected, oracle.evaluate_template(template, *deployment), "cloudformation-yaml vs json")
    # bash accepts the scripts
    for script in (out.yaml_path.parent / "create-roles.sh", out.yaml_path.parent / "files" / "out" / "create-roles.sh"):
        r = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
        assert r.returncode == 0, f"bash -n {script.name}: {r.stderr}"


SCHEMA = json.loads(oracle.run_bin(["schema"]).stdout)


def test_schema_accepts_what_the_cli_accepts(outcomes):
    """An editor using `ecs-iam schema` must not flag a configuration that the CLI renders: over
    every case of the corpus the CLI accepts, the schema must accept it too."""
    validator = jsonschema.Draft202012Validator(SCHEMA)
    disagreements = []
    for case in CASES:
        if outcomes[case.id].proc.returncode != 0:
            continue
        errors = sorted(validator.iter_errors(case.config), key=lambda e: list(e.path))
        if errors:
            disagreements.append(
                f"{case.id}: " + "; ".join(f"{'/'.join(map(str, e.path))}: {e.message[:120]}" for e in errors)
            )
    assert not disagreements, "the CLI renders these but the schema rejects them:\n" + "\n".join(disagreements)


SHELL_CASES = [c for c in CASES if c.shell and not c.must_reject]
# Which of them the CLI accepts is decided at collection time (the json renderings are kept for
# the `outcomes` fixture), so that the deploy test below runs once per field that accepts at
# least one of them, and never skips. The values a field refuses are checked by test_bad_value:
# exit 2 and one line naming the field.
with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as _pool:
    SHELL_JSON = dict(
        zip(
            (c.id for c in SHELL_CASES),
            _pool.map(lambda c: oracle.render(c.config, "json", check=False), SHELL_CASES),
        )
    )
SHELL_GROUPS = {}  # field -> accepted cases: the cases of one field deploy together
for _c in SHELL_CASES:
    if SHELL_JSON[_c.id].returncode == 0:
        SHELL_GROUPS.setdefault(_c.id.split("=")[0], []).append(_c)
# Descriptions and custom statements take quotes, $, backticks and backslashes: if no field
# accepted any, the CLI or this corpus has changed, and the deploy test would check nothing.
assert SHELL_GROUPS, "the CLI refuses every value that matters to the shell"


def merged_config(cases):
    """One configuration holding the roles of several one-role cases, renamed r0, r1, ... (unless
    the name is the value under test). Returns (config, {role name: case id})."""
    cfg = {"roles": []}
    owner = {}
    for i, case in enumerate(cases):
        assert set(case.config) == {"roles"} and len(case.config["roles"]) == 1, case.id
        role = copy.deepcopy(case.config["roles"][0])
        if case.path != "roles[0].name":
            role["name"] = f"r{i}"
        owner[role["name"]] = case.id
        cfg["roles"].append(role)
    return cfg, owner


@pytest.mark.parametrize("group", list(SHELL_GROUPS))
def test_accepted_shell_values_deploy_literally(outcomes, moto_fleet, group, tmp_path):
    """Accepted values that mean something to bash (quotes, $, backticks, backslashes, newlines,
    non-ASCII): the aws-cli script creates exactly what the json rendering says, and runs
    nothing. The accepted cases of one field deploy together, one role each, so that one reset
    and one read-back serve them all."""
    accepted = SHELL_GROUPS[group]
    assert all(outcomes[c.id].proc.returncode == 0 for c in accepted)
    single = [c for c in accepted if set(c.config) != {"roles"} or len(c.config["roles"]) != 1]
    batches = [merged_config([c for c in accepted if c not in single])] if len(single) < len(accepted) else []
    batches += [(c.config, {r["name"]: c.id for r in c.config["roles"]}) for c in single]
    for config, owner in batches:
        if CANARY.exists():
            CANARY.unlink()
        moto, env, (partition, region, account) = moto_fleet.deploy(config)
        script = tmp_path / "create-roles.sh"
        script.write_text(oracle.render(config, "aws-cli").stdout)
        proc = oracle.run_script(script, env, tmp_path)
        assert not CANARY.exists(), f"the script ran a command hidden in a value ({sorted(owner.values())})"
        assert proc.returncode == 0, f"cases {sorted(owner.values())}:\n{proc.stderr[-3000:]}"
        rendering = oracle.json_rendering(config, None, (partition, region, account))
        expected = oracle.expected_model(rendering, partition, account)
        compare_models(expected, oracle.read_back_gaad(moto, env), f"roles by case: {owner}")


# --------------------------------------------------------------------------------------------
# Policy variables


POLICY_VARIABLES = ["${aws:username}", "${aws:userid}", "${aws:PrincipalTag/team}", "${s3:prefix}"]


def policy_variable_config(explicit):
    cfg = {
        "roles": [
            {
                "kind": "task",
                "name": "pv-task",
                "features": [
                    {"id": "xray"},
                    {
                        "id": "custom",
                        "name": "per-user",
                        "statements": [
                            {
                                "Effect": "Allow",
                                "Action": ["s3:GetObject", "s3:PutObject"],
                                "Resource": "arn:aws:s3:::my-bucket/home/${aws:username}/*",
                                "Condition": {
                                    "StringEquals": {
                                        "aws:PrincipalTag/team": ["${aws:userid}", "${aws:PrincipalTag/team}"]
                                    },
                                    "StringLike": {"s3:prefix": "home/${aws:username}/${s3:prefix}"},
                                },
                            }
                        ],
                    },
                ],
            },
            {"kind": "deployer", "name": "pv-deployer"},
        ]
    }
    if explicit:
        cfg.update(EXPLICIT)
    return cfg


def _variables_in(node):
    return sorted({m for s in all_strings(node) for m in re.findall(r"\$\{[^}]*\}", s)})


@pytest.mark.parametrize("explicit", [False, True], ids=["placeholders", "explicit"])
@pytest.mark.parametrize("style", oracle.STYLES)
def test_policy_variables_stay_literal_in_json_and_cloudformation(style, explicit):
    cfg = policy_variable_config(explicit)
    rendering = json.loads(oracle.render(cfg, "json", style).stdout)
    found = [v for v in _variables_in(rendering) if not v.startswith("${AWS::")]
    assert found == sorted(POLICY_VARIABLES), found

    for fmt in oracle.CFN_FORMATS:
        text = oracle.render(cfg, fmt, style).stdout
        template = oracle.load_template(text)

        def walk(node, in_sub):
            """Every string: inside Fn::Sub a policy variable must be ${!...}; outside, plain."""
            if isinstance(node, dict):
                if set(node) == {"Fn::Sub"}:
                    v = node["Fn::Sub"]
                    walk(v if isinstance(v, str) else v[0], True)
                    return
                for v in node.values():
                    walk(v, in_sub)
            elif isinstance(node, list):
                for v in node:
                    walk(v, in_sub)
            elif isinstance(node, str):
                for var in re.findall(r"\$\{([^}]*)\}", node):
                    if in_sub:
                        assert var.startswith("!") or var.startswith("AWS::") or "." in var or var in template.get("Resources", {}), (
                            f"{fmt}: ${{{var}}} inside Fn::Sub would be substituted: {node!r}"
                        )
                    else:
                        assert not var.startswith("!"), f"{fmt}: ${{{var}}} outside Fn::Sub stays escaped: {node!r}"
                        assert not var.startswith("AWS::"), f"{fmt}: ${{{var}}} outside Fn::Sub is never filled in: {node!r}"

        walk(template, False)
        deployment = ("aws", "us-east-1", "123456789012")
        expected = oracle.expected_model(
            json.loads(oracle.substitute(json.dumps(rendering), *deployment)), "aws", "123456789012"
        )
        compare_models(expected, oracle.evaluate_template(template, *deployment), f"{fmt} {style}")


@pytest.mark.parametrize("form", ["stdout", "files"])
@pytest.mark.parametrize("style", ["inline", "managed"])
def test_policy_variables_stay_literal_in_iam_through_the_script(moto_fleet, tmp_path, style, form):
    cfg = policy_variable_config(explicit=False)
    moto, env, (partition, region, account) = moto_fleet.deploy(cfg)
    if form == "stdout":
        script = tmp_path / "create-roles.sh"
        script.write_text(oracle.render(cfg, "aws-cli", style).stdout)
    else:
        oracle.render(cfg, "aws-cli", style, out=tmp_path / "out")
        script = tmp_path / "out" / "create-roles.sh"
    proc = oracle.run_script(script, env, tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    model = oracle.read_back_granular(moto, env)
    if style == "inline":
        stored = model["roles"]["pv-task"]["Inline"]["per-user"]
    else:
        stored = model["policies"]["pv-task-per-user"]["Document"]
    assert _variables_in(stored) == sorted(POLICY_VARIABLES), stored
    rendering = oracle.json_rendering(cfg, style, (partition, region, account))
    compare_models(oracle.expected_model(rendering, partition, account), model, f"{style} {form}")


# --------------------------------------------------------------------------------------------
# Names that collide once rendered


def _custom(name=None, action="s3:GetObject"):
    f = {"id": "custom", "statements": [{"Effect": "Allow", "Action": action, "Resource": "*"}]}
    if name is not None:
        f["name"] = name
    return f


COLLISIONS = {
    # Two unnamed custom features are named custom and custom-2; a third one named custom-2.
    "inline-names-on-one-role": {
        "roles": [{"kind": "task", "name": "t", "features": [_custom(), _custom(action="s3:PutObject"),
                                                               _custom("custom-2", "s3:ListBucket")]}]
    },
    # A custom policy named like a feature: two inline policies xray on one role.
    "custom-named-like-a-feature": {"roles": [{"kind": "task", "name": "t", "features": [{"id": "xray"}, _custom("xray")]}]},
    # Managed policy names are ROLE-FEATURE: role a's custom b-xray and role a-b's xray meet.
    "managed-names-across-roles": {
        "permissions": "managed",
        "roles": [
            {"kind": "task", "name": "a", "features": [_custom("b-xray")]},
            {"kind": "task", "name": "a-b", "features": [{"id": "xray"}]},
        ],
    },
    # A deployer policy named like a role's managed policy.
    "deployer-named-like-a-managed-policy": {
        "permissions": "managed",
        "roles": [{"kind": "task", "name": "t", "features": [{"id": "xray"}]}, {"kind": "deployer", "name": "t-xray"}],
    },
}


@pytest.mark.parametrize("name", list(COLLISIONS))
@pytest.mark.parametrize("style", oracle.STYLES)
def test_rendered_policy_names_are_unique(name, style):
    """IAM needs inline policy names unique per role and managed policy names unique per account
    (path aside): a configuration whose names would collide must be refused (exit 2), or
    rendered with distinct names, never with two policies of one name (CloudFormation fails, and
    the script's put-role-policy silently replaces the first)."""
    proc = oracle.render(COLLISIONS[name], "json", style, check=False)
    if proc.returncode == 2:
        return
    assert proc.returncode == 0, proc.stderr
    rendering = json.loads(proc.stdout)
    for role in rendering["Roles"]:
        names = [p["PolicyName"] for p in role["Policies"]]
        assert len(names) == len(set(names)), f"role {role['RoleName']}: inline policies {names}"
    names = [m["PolicyName"] for m in rendering["ManagedPolicies"]]
    assert len(names) == len(set(names)), f"customer managed policies {names}"
