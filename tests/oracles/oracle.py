"""Helpers shared by the oracle tests: the binary, the fixtures, rendering, cfn-lint in batches,
the moto server and the AWS CLI, and reading IAM back from moto."""

from __future__ import annotations

import ast
import json
import os
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BIN = Path(os.environ.get("ECS_IAM_BIN", ROOT / "target" / "debug" / "ecs-iam"))
VENV_BIN = ROOT / ".venv" / "bin"
if not (VENV_BIN / "python").exists():  # a venv elsewhere: the interpreter running the tests
    VENV_BIN = Path(sys.executable).parent
FIXTURE_DIR = ROOT / "tests" / "fixtures"
# The configurations: the hand-written ones, and those `ecs-iam import` derives from the public
# task definitions and templates of fixtures/import (crates/core/tests/import.rs keeps them equal).
FIXTURES = sorted(FIXTURE_DIR.glob("*.json")) + sorted((FIXTURE_DIR / "import" / "expected").glob("*.json"))
FIXTURE_IDS = [p.stem for p in FIXTURES]
STYLES = ["inline", "per-feature", "managed"]
CFN_FORMATS = ["cloudformation-yaml", "cloudformation-json"]

# The real tools that check each output format, by the test module that runs them. A format of
# the catalogue without an entry here fails test_formats.py.
FORMAT_ORACLES = {
    "cloudformation-yaml": ["test_cfn_lint.py", "test_moto_cfn.py"],
    "cloudformation-json": ["test_cfn_lint.py"],
    "aws-cli": ["test_moto_cli.py"],
    "json": ["test_parliament.py"],
    "ufo": ["test_ufo.py"],
    "task-definition": ["test_task_definition.py"],
    "terraform": ["test_terraform.py"],
    "cdk-typescript": ["test_cdk.py"],
    "pulumi-typescript": ["test_pulumi.py"],
    "handoff": ["test_handoff.py"],
}

# What moto answers for the caller's identity.
MOTO_ACCOUNT = "123456789012"
MOTO_DEFAULT_REGION = "us-east-1"

PLACEHOLDERS = ("${AWS::Partition}", "${AWS::Region}", "${AWS::AccountId}")


# --------------------------------------------------------------------------------------------
# The binary


def run_bin(args, input=None, timeout=60, cwd=None):
    """Runs ecs-iam; `input` is a str (stdin). Returns the CompletedProcess (text, UTF-8)."""
    return subprocess.run(
        [str(BIN), *map(str, args)],
        input=input,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="surrogateescape",
        timeout=timeout,
        cwd=cwd,
    )


def _config_args(config):
    """(path-or-dash, stdin) for a config given as a Path/str path or as a dict."""
    if isinstance(config, dict):
        return "-", json.dumps(config, ensure_ascii=False)
    return str(config), None


def render(config, fmt, style=None, out=None, check=True):
    """Renders `config` (a fixture path or a dict) in `fmt`. Returns the CompletedProcess; with
    check=True, asserts exit 0 first."""
    path, stdin = _config_args(config)
    args = ["render", path, "--format", fmt]
    if style:
        args += ["--permissions", style]
    if out is not None:
        args += ["--out", str(out)]
    proc = run_bin(args, input=stdin)
    if check:
        assert proc.returncode == 0, (
            f"ecs-iam {' '.join(args)} exited {proc.returncode}\nstderr: {proc.stderr}"
        )
    return proc


def load_config(config):
    if isinstance(config, dict):
        return config
    return json.loads(Path(config).read_text())


def substitute(text, partition, region, account):
    return (
        text.replace("${AWS::Partition}", partition)
        .replace("${AWS::Region}", region)
        .replace("${AWS::AccountId}", account)
    )


def partition_of_region(region):
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


def deployment_of(config):
    """Where a configuration is deployed in moto: in its own Region and account when it names
    them (moto then answers from that Region's partition; see MotoFleet for the account), else
    in us-east-1 and moto's default account. Returns (partition, region, account) as the
    deployment sees them (what `aws sts get-caller-identity` and AWS_REGION say)."""
    cfg = load_config(config)
    region = cfg.get("region", MOTO_DEFAULT_REGION)
    return partition_of_region(region), region, cfg.get("account", MOTO_ACCOUNT)


def json_rendering(config, style=None, deployment=None):
    """The `json` rendering as Python objects, placeholders substituted for `deployment`
    ((partition, region, account); default: deployment_of(config))."""
    partition, region, account = deployment or deployment_of(config)
    text = render(config, "json", style).stdout
    return json.loads(substitute(text, partition, region, account))


# --------------------------------------------------------------------------------------------
# cfn-lint


def cfn_lint_batch(paths, region="us-east-1"):
    """Runs cfn-lint once over many templates. Returns {str(path): [finding, ...]} with every
    finding of level Error or Warning (informational findings are dropped). Raises when
    cfn-lint's output is not its JSON report (a crash)."""
    paths = [str(p) for p in paths]
    results = {p: [] for p in paths}
    if not paths:
        return results
    proc = subprocess.run(
        [str(VENV_BIN / "cfn-lint"), "--format", "json", "--regions", region, "--template", *paths],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    try:
        report = json.loads(proc.stdout)
    except json.JSONDecodeError:
        raise RuntimeError(
            f"cfn-lint exited {proc.returncode} without a JSON report\n"
            f"stdout: {proc.stdout[:2000]}\nstderr: {proc.stderr[:2000]}"
        )
    if proc.returncode & 1:  # bit 1: fatal (cfn-lint itself failed)
        raise RuntimeError(f"cfn-lint failed (exit {proc.returncode}): {proc.stderr[:2000]}")
    by_abs = {os.path.abspath(p): p for p in paths}
    for m in report:
        if m.get("Level") not in ("Error", "Warning"):
            continue
        key = by_abs.get(os.path.abspath(m.get("Filename", "")), None)
        finding = {
            "level": m.get("Level"),
            "rule": m.get("Rule", {}).get("Id"),
            "message": m.get("Message"),
            "path": m.get("Location", {}).get("Path"),
            "line": m.get("Location", {}).get("Start", {}).get("LineNumber"),
        }
        if key is None:  # a finding about no template of ours: fail every template
            for p in paths:
                results[p].append(dict(finding, file=m.get("Filename")))
        else:
            results[key].append(finding)
    return results


def format_lint(findings):
    return "\n".join(
        f"  {f['level']} {f['rule']} line {f['line']} {f['path']}: {f['message']}" for f in findings
    )


# --------------------------------------------------------------------------------------------
# moto and the AWS CLI


class Moto:
    """A running moto server (answering for one account) and the environment for AWS CLI calls
    against it."""

    def __init__(self, url, account=MOTO_ACCOUNT, shim_dir=None):
        self.url = url
        self.account = account
        self.shim_dir = shim_dir

    def reset(self):
        """POST /moto-api/reset: forget every resource."""
        import urllib.request

        req = urllib.request.Request(self.url + "/moto-api/reset", method="POST", data=b"")
        with urllib.request.urlopen(req, timeout=60) as resp:
            assert resp.status == 200, resp.status

    def env(self, region=MOTO_DEFAULT_REGION, real_aws=False):
        """Environment for `aws` and the generated scripts: moto's endpoint, dummy credentials,
        the Region, and PATH with the venv's bin first (so `aws` is the venv's AWS CLI v1; with
        the fork-server shim in front unless real_aws)."""
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("AWS_") and k not in ("PYTHONPATH",)
        }
        path = [str(VENV_BIN), env.get("PATH", "/usr/bin:/bin")]
        if self.shim_dir and not real_aws:
            path.insert(0, str(self.shim_dir))
        env.update(
            AWS_ENDPOINT_URL=self.url,
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_DEFAULT_REGION=region,
            AWS_REGION=region,
            AWS_CONFIG_FILE=os.devnull,
            AWS_SHARED_CREDENTIALS_FILE=os.devnull,
            AWS_PAGER="",
            PATH=os.pathsep.join(path),
        )
        return env

    def aws(self, *args, env, check=True, timeout=120):
        """Runs `aws ARGS --output json` and returns the parsed JSON output (None when empty)."""
        proc = subprocess.run(
            ["aws", *args, "--output", "json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check:
            assert proc.returncode == 0, f"aws {' '.join(args)} exited {proc.returncode}: {proc.stderr}"
        elif proc.returncode != 0:
            return None
        return json.loads(proc.stdout) if proc.stdout.strip() else None


class MotoFleet:
    """moto servers by account: the default one (123456789012), and one more for each other
    account a configuration names (started on first use with MOTO_ACCOUNT_ID), so that such a
    configuration is deployed as its author meant, with `aws sts get-caller-identity` answering
    its account. (Assuming a role into another account of a single server works too, but every
    reset then costs seconds.)"""

    def __init__(self, start):
        self._start = start  # account -> Moto
        self._servers = {}

    def get(self, account=MOTO_ACCOUNT):
        if account not in self._servers:
            self._servers[account] = self._start(account)
        return self._servers[account]

    @property
    def default(self):
        return self.get(MOTO_ACCOUNT)

    def deploy(self, config, real_aws=False):
        """Resets the moto server of `config`'s account and returns (moto, env, deployment) to
        deploy it there, in its Region (see deployment_of)."""
        deployment = deployment_of(config)
        partition, region, account = deployment
        moto = self.get(account)
        moto.reset()
        return moto, moto.env(region, real_aws=real_aws), deployment


def run_script(script, env, cwd, timeout=600):
    """Runs a generated aws-cli script with bash. Returns the CompletedProcess."""
    return subprocess.run(
        ["bash", str(script)], env=env, cwd=str(cwd), capture_output=True, text=True, timeout=timeout
    )


def normalize_doc(doc):
    """A policy document as returned by the AWS CLI or moto: an object, a JSON string, a
    URL-encoded JSON string, or (documents moto's CloudFormation stored as Python objects) a
    Python literal. Returns Python objects."""
    if not isinstance(doc, str):
        return doc
    for attempt in (doc, urllib.parse.unquote(doc)):
        try:
            return json.loads(attempt)
        except (json.JSONDecodeError, ValueError):
            pass
    return ast.literal_eval(doc)


def expected_model(rendering, partition, account):
    """The IAM state the `json` rendering describes, in the shape read_back_* return."""
    roles = {}
    for r in rendering["Roles"]:
        roles[r["RoleName"]] = {
            "Path": r.get("Path", "/"),
            "Description": r.get("Description"),
            "AssumeRolePolicyDocument": r["AssumeRolePolicyDocument"],
            "AttachedArns": sorted(r.get("ManagedPolicyArns", [])),
            "Inline": {p["PolicyName"]: p["PolicyDocument"] for p in r.get("Policies", [])},
            "InstanceProfiles": [r["InstanceProfileName"]] if r.get("InstanceProfileName") else [],
        }
    policies = {}
    for m in rendering.get("ManagedPolicies", []):
        path = m.get("Path", "/")
        policies[m["PolicyName"]] = {
            "Arn": f"arn:{partition}:iam::{account}:policy{path}{m['PolicyName']}",
            "Path": path,
            "Document": m["PolicyDocument"],
        }
    return {"roles": roles, "policies": policies}


def read_back_granular(moto, env, role_names=None):
    """Reads IAM back from moto with the commands one would use by hand: list-roles (or the
    given names), get-role, list-attached-role-policies, list-role-policies, get-role-policy,
    list-instance-profiles-for-role, get-instance-profile, list-policies --scope Local,
    get-policy, get-policy-version."""
    aws = lambda *a: moto.aws(*a, env=env)  # noqa: E731
    if role_names is None:
        role_names = [r["RoleName"] for r in aws("iam", "list-roles")["Roles"]]
    roles = {}
    for name in role_names:
        role = moto.aws("iam", "get-role", "--role-name", name, env=env, check=False)
        if role is None:
            continue
        role = role["Role"]
        attached = aws("iam", "list-attached-role-policies", "--role-name", name)["AttachedPolicies"]
        inline_names = aws("iam", "list-role-policies", "--role-name", name)["PolicyNames"]
        inline = {}
        for pname in inline_names:
            got = aws("iam", "get-role-policy", "--role-name", name, "--policy-name", pname)
            inline[pname] = normalize_doc(got["PolicyDocument"])
        profiles = aws("iam", "list-instance-profiles-for-role", "--role-name", name)["InstanceProfiles"]
        profile_names = []
        for p in profiles:
            got = aws("iam", "get-instance-profile", "--instance-profile-name", p["InstanceProfileName"])
            assert name in [r["RoleName"] for r in got["InstanceProfile"]["Roles"]], got
            profile_names.append(p["InstanceProfileName"])
        roles[name] = {
            "Path": role.get("Path", "/"),
            # moto's CloudFormation stores an absent description as "": the same thing.
            "Description": role.get("Description") or None,
            "AssumeRolePolicyDocument": normalize_doc(role["AssumeRolePolicyDocument"]),
            "AttachedArns": sorted(a["PolicyArn"] for a in attached),
            "Inline": inline,
            "InstanceProfiles": sorted(profile_names),
        }
    policies = {}
    for p in aws("iam", "list-policies", "--scope", "Local")["Policies"]:
        got = aws("iam", "get-policy", "--policy-arn", p["Arn"])["Policy"]
        version = aws(
            "iam", "get-policy-version", "--policy-arn", p["Arn"], "--version-id", got["DefaultVersionId"]
        )["PolicyVersion"]
        policies[p["PolicyName"]] = {
            "Arn": got["Arn"],
            "Path": got.get("Path", "/"),
            "Document": normalize_doc(version["Document"]),
        }
    return {"roles": roles, "policies": policies}


def read_back_lean(moto, env):
    """The same as read_back_granular with fewer calls: list-roles (which carries each role's
    path, description and trust policy), list-attached-role-policies, list-role-policies and
    get-role-policy per role, list-instance-profiles once, list-policies --scope Local once and
    get-policy-version per policy."""
    aws = lambda *a: moto.aws(*a, env=env)  # noqa: E731
    profiles_of = {}
    for p in aws("iam", "list-instance-profiles")["InstanceProfiles"]:
        for r in p.get("Roles", []):
            profiles_of.setdefault(r["RoleName"], []).append(p["InstanceProfileName"])
    roles = {}
    for role in aws("iam", "list-roles")["Roles"]:
        name = role["RoleName"]
        attached = aws("iam", "list-attached-role-policies", "--role-name", name)["AttachedPolicies"]
        inline = {}
        for pname in aws("iam", "list-role-policies", "--role-name", name)["PolicyNames"]:
            got = aws("iam", "get-role-policy", "--role-name", name, "--policy-name", pname)
            inline[pname] = normalize_doc(got["PolicyDocument"])
        roles[name] = {
            "Path": role.get("Path", "/"),
            "Description": role.get("Description") or None,
            "AssumeRolePolicyDocument": normalize_doc(role["AssumeRolePolicyDocument"]),
            "AttachedArns": sorted(a["PolicyArn"] for a in attached),
            "Inline": inline,
            "InstanceProfiles": sorted(profiles_of.get(name, [])),
        }
    policies = {}
    for p in aws("iam", "list-policies", "--scope", "Local")["Policies"]:
        version = aws(
            "iam", "get-policy-version", "--policy-arn", p["Arn"], "--version-id", p["DefaultVersionId"]
        )["PolicyVersion"]
        policies[p["PolicyName"]] = {
            "Arn": p["Arn"],
            "Path": p.get("Path", "/"),
            "Document": normalize_doc(version["Document"]),
        }
    return {"roles": roles, "policies": policies}


def read_back_gaad(moto, env):
    """The same as read_back_granular in two calls: get-account-authorization-details (roles with
    their path, trust policy, inline policies, attached policies and instance profiles; customer
    managed policies with their versions), and list-roles for the descriptions, which
    RoleDetail lacks."""
    got = moto.aws(
        "iam", "get-account-authorization-details", "--filter", "Role", "LocalManagedPolicy", env=env
    )
    descriptions = {r["RoleName"]: r.get("Description") or None for r in moto.aws("iam", "list-roles", env=env)["Roles"]}
    roles = {}
    for r in got["RoleDetailList"]:
        roles[r["RoleName"]] = {
            "Path": r.get("Path", "/"),
            "Description": descriptions.get(r["RoleName"]),
            "AssumeRolePolicyDocument": normalize_doc(r["AssumeRolePolicyDocument"]),
            "AttachedArns": sorted(a["PolicyArn"] for a in r.get("AttachedManagedPolicies", [])),
            "Inline": {p["PolicyName"]: normalize_doc(p["PolicyDocument"]) for p in r.get("RolePolicyList", [])},
            "InstanceProfiles": sorted(p["InstanceProfileName"] for p in r.get("InstanceProfileList", [])),
        }
    policies = {}
    for p in got["Policies"]:
        default = [v for v in p["PolicyVersionList"] if v.get("IsDefaultVersion")]
        assert len(default) == 1, p
        # moto leaves PolicyName out of this answer: the name is the ARN's last segment.
        name = p.get("PolicyName") or p["Arn"].rsplit("/", 1)[1]
        policies[name] = {
            "Arn": p["Arn"],
            "Path": p.get("Path", "/"),
            "Document": normalize_doc(default[0]["Document"]),
        }
    return {"roles": roles, "policies": policies}


def which(name, env):
    return shutil.which(name, path=env["PATH"])


# --------------------------------------------------------------------------------------------
# Evaluating a CloudFormation rendering offline


class _CfnLoader(__import__("yaml").SafeLoader):
    """YAML loader that reads CloudFormation's short-form tags (!Sub, !Ref, !GetAtt, ...) into
    their long form ({"Fn::Sub": ...}, {"Ref": ...}, ...)."""


def _cfn_constructor(loader, tag_suffix, node):
    import yaml

    name = "Ref" if tag_suffix == "Ref" else f"Fn::{tag_suffix}"
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if tag_suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


__import__("yaml").add_multi_constructor("!", _cfn_constructor, Loader=_CfnLoader)


def load_template(text):
    """A CloudFormation template (YAML or JSON) as Python objects, short-form tags in long form."""
    import yaml

    return yaml.load(text, Loader=_CfnLoader)


class CfnEvalError(Exception):
    pass


def evaluate_template(template, partition, region, account):
    """What a CloudFormation template creates in IAM, in the shape of expected_model(): evaluates
    Ref, Fn::GetAtt, Fn::Join and Fn::Sub (with ${!Literal} escapes) of AWS::IAM::Role, AWS::IAM::Policy,
    AWS::IAM::ManagedPolicy and AWS::IAM::InstanceProfile resources. Strings outside Fn::Sub are
    taken literally, as CloudFormation does. Raises CfnEvalError on anything else."""
    import re

    resources = template.get("Resources", {})
    pseudo = {
        "AWS::Partition": partition,
        "AWS::Region": region,
        "AWS::AccountId": account,
        "AWS::URLSuffix": "amazonaws.com.cn" if partition == "aws-cn" else "amazonaws.com",
    }

    def ref(name):
        if name in pseudo:
            return pseudo[name]
        res = resources.get(name)
        if res is None:
            raise CfnEvalError(f"Ref to unknown {name}")
        props = res.get("Properties", {})
        kind = res["Type"]
        if kind == "AWS::IAM::Role":
            return ev(props.get("RoleName", name))
        if kind == "AWS::IAM::ManagedPolicy":
            path = ev(props.get("Path", "/"))
            return f"arn:{partition}:iam::{account}:policy{path}{ev(props['ManagedPolicyName'])}"
        if kind == "AWS::IAM::InstanceProfile":
            return ev(props.get("InstanceProfileName", name))
        raise CfnEvalError(f"Ref to a {kind}")

    def getatt(name, attr):
        res = resources.get(name)
        if res is None:
            raise CfnEvalError(f"GetAtt of unknown {name}")
        props = res.get("Properties", {})
        if res["Type"] == "AWS::IAM::Role" and attr == "Arn":
            return f"arn:{partition}:iam::{account}:role{ev(props.get('Path', '/'))}{ref(name)}"
        raise CfnEvalError(f"GetAtt {name}.{attr}")

    def sub(text, variables):
        def one(m):
            inner = m.group(1)
            if inner.startswith("!"):
                return "${" + inner[1:] + "}"
            if inner in variables:
                return str(ev(variables[inner]))
            if "." in inner and inner.split(".", 1)[0] in resources:
                return getatt(*inner.split(".", 1))
            return ref(inner)

        return re.sub(r"\$\{([^}]*)\}", one, text)

    def ev(node):
        if isinstance(node, dict):
            if len(node) == 1:
                (key, value), = node.items()
                if key == "Ref":
                    return ref(value)
                if key == "Fn::GetAtt":
                    parts = value.split(".", 1) if isinstance(value, str) else value
                    return getatt(*parts)
                if key == "Fn::Sub":
                    if isinstance(value, str):
                        return sub(value, {})
                    return sub(value[0], value[1])
                if key == "Fn::Join":
                    sep, items = value
                    return ev(sep).join(ev(i) for i in items)
                if key.startswith("Fn::"):
                    raise CfnEvalError(f"unsupported {key}")
            return {k: ev(v) for k, v in node.items()}
        if isinstance(node, list):
            return [ev(v) for v in node]
        return node

    roles_by_logical = {}
    roles = {}
    for logical, res in resources.items():
        if res.get("Type") == "AWS::IAM::Role":
            p = res.get("Properties", {})
            name = ev(p.get("RoleName", logical))
            roles_by_logical[logical] = name
            roles[name] = {
                "Path": ev(p.get("Path", "/")),
                "Description": ev(p.get("Description")),
                "AssumeRolePolicyDocument": ev(p["AssumeRolePolicyDocument"]),
                "AttachedArns": [ev(a) for a in p.get("ManagedPolicyArns", [])],
                "Inline": {},
                "InstanceProfiles": [],
            }
            for pol in p.get("Policies", []):
                pname = ev(pol["PolicyName"])
                if pname in roles[name]["Inline"]:
                    raise CfnEvalError(f"role {name}: two inline policies named {pname}")
                roles[name]["Inline"][pname] = ev(pol["PolicyDocument"])
    policies = {}
    for logical, res in resources.items():
        kind = res.get("Type")
        p = res.get("Properties", {})
        if kind == "AWS::IAM::Role":
            continue
        if kind == "AWS::IAM::Policy":
            pname = ev(p["PolicyName"])
            for r in ev(p.get("Roles", [])):
                if pname in roles[r]["Inline"]:
                    raise CfnEvalError(f"role {r}: two inline policies named {pname}")
                roles[r]["Inline"][pname] = ev(p["PolicyDocument"])
        elif kind == "AWS::IAM::ManagedPolicy":
            name = ev(p["ManagedPolicyName"])
            if name in policies:
                raise CfnEvalError(f"two managed policies named {name}")
            arn = ref(logical)
            policies[name] = {"Arn": arn, "Path": ev(p.get("Path", "/")), "Document": ev(p["PolicyDocument"])}
            for r in ev(p.get("Roles", [])):
                roles[r]["AttachedArns"].append(arn)
        elif kind == "AWS::IAM::InstanceProfile":
            pname = ev(p.get("InstanceProfileName", logical))
            for r in ev(p.get("Roles", [])):
                roles[r]["InstanceProfiles"].append(pname)
        else:
            raise CfnEvalError(f"unexpected resource type {kind}")
    for role in roles.values():
        role["AttachedArns"] = sorted(role["AttachedArns"])
        role["InstanceProfiles"] = sorted(role["InstanceProfiles"])
    return {"roles": roles, "policies": policies}
