"""The AWS CLI script creates in moto exactly what the `json` rendering describes.

For every fixture, permission style and form of the script (printed on stdout and saved to a
file; or written with --out DIR and run as DIR/create-roles.sh from another directory): reset
moto, run the script with bash (it must exit 0), read IAM back with the AWS CLI and compare with
the `json` rendering, its placeholders filled in with what moto answers (partition and account of
`aws sts get-caller-identity`, the Region of AWS_REGION):
  - every role: path, description, trust policy, the set of attached managed policy ARNs (AWS
    managed and customer managed), the inline policies by name with their documents, its
    instance profile;
  - every customer managed policy: name, path, ARN and document (default version);
  - nothing else (no extra role, no extra customer managed policy).

A configuration that names its Region runs with that Region (china.json: cn-north-1, so moto
answers for its partition, aws-cn), and one that names an account other than moto's default runs
on a moto server answering for that account (oracle.MotoFleet), as it would be deployed for
real.

IAM is read back with `aws iam get-account-authorization-details` (roles with their trust, inline
and attached policies and instance profiles; customer managed policies with their versions) and
`aws iam list-roles` (descriptions): two calls instead of a dozen per role keep the matrix within
the time budget.
test_real_aws_cli_agrees checks, on a few cases, that it agrees with reading back command by
command (get-role, list-attached-role-policies, list-role-policies, get-role-policy,
list-instance-profiles-for-role, get-instance-profile, list-policies --scope Local, get-policy,
get-policy-version), and with oracle.read_back_lean, which test_moto_cfn.py uses.

Scripts that are byte-for-byte identical (inline and per-feature render the same script, since
per-feature only differs in CloudFormation) run once; the other case reuses the outcome."""

import hashlib
import itertools

import pytest

import oracle

FORMS = ["stdout", "files"]
CASES = list(itertools.product(oracle.FIXTURES, oracle.STYLES, FORMS))
IDS = [f"{f.stem}-{style}-{form}" for f, style, form in CASES]


def _xml_text(text):
    """A description as it survives a round trip through moto's XML answers: XML parsers turn a
    raw carriage return into a line feed (XML 1.0, end-of-line handling), so "a\rb" comes back
    as "a\nb" whatever the script sent (the script passes the carriage return through)."""
    if text is None:
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def compare_models(expected, actual, what="", compare_attached=True, skip=()):
    """Asserts the IAM read back equals what the json rendering describes. Returns nothing;
    raises AssertionError listing every difference."""
    problems = []
    if set(expected["roles"]) != set(actual["roles"]):
        problems.append(
            f"roles: expected {sorted(expected['roles'])}, got {sorted(actual['roles'])}"
        )
    for name, exp in expected["roles"].items():
        act = actual["roles"].get(name)
        if act is None:
            continue
        for key in ("Path", "AssumeRolePolicyDocument", "Inline", "InstanceProfiles"):
            if key in skip:
                continue
            if exp[key] != act[key]:
                problems.append(f"role {name} {key}:\n  expected {exp[key]!r}\n  got      {act[key]!r}")
        if "Description" not in skip and "Description" in act and _xml_text(exp["Description"]) != _xml_text(act["Description"]):
            problems.append(
                f"role {name} Description: expected {exp['Description']!r}, got {act['Description']!r}"
            )
        if compare_attached and exp["AttachedArns"] != act["AttachedArns"]:
            problems.append(
                f"role {name} attached managed policies:\n  expected {exp['AttachedArns']}\n  got      {act['AttachedArns']}"
            )
    if set(expected["policies"]) != set(actual["policies"]):
        problems.append(
            f"customer managed policies: expected {sorted(expected['policies'])}, got {sorted(actual['policies'])}"
        )
    for name, exp in expected["policies"].items():
        act = actual["policies"].get(name)
        if act is None:
            continue
        for key in ("Arn", "Path", "Document"):
            if exp[key] != act[key]:
                problems.append(f"policy {name} {key}:\n  expected {exp[key]!r}\n  got      {act[key]!r}")
    assert not problems, f"{what}\n" + "\n".join(problems)


def _digest_dir(root):
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(root)).encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


@pytest.fixture(scope="module")
def runs():
    """Outcomes of script runs, by (form, content digest, Region)."""
    return {}


def run_case(fleet, fixture, style, form, workdir, runs, real_aws=False):
    """Renders the script, runs it against a freshly reset moto, reads IAM back. Returns
    (CompletedProcess, model, deployment)."""
    partition, region, account = oracle.deployment_of(fixture)
    if form == "stdout":
        text = oracle.render(fixture, "aws-cli", style).stdout
        script = workdir / "create-roles.sh"
        script.write_text(text)
        digest = hashlib.sha256(text.encode()).hexdigest()
    else:
        out = workdir / "out"
        oracle.render(fixture, "aws-cli", style, out=out)
        script = out / "create-roles.sh"
        assert script.is_file(), f"--out did not write create-roles.sh: {sorted(out.rglob('*'))}"
        digest = _digest_dir(out)
    key = (form, digest, region, account, real_aws)
    if key not in runs:
        moto, env, _ = fleet.deploy(fixture, real_aws=real_aws)
        proc = oracle.run_script(script, env, cwd=workdir)  # not the script's directory
        model = None
        if proc.returncode == 0:
            model = oracle.read_back_gaad(moto, env)
        runs[key] = (proc, model)
    proc, model = runs[key]
    return proc, model, (partition, region, account)


@pytest.mark.parametrize("fixture,style,form", CASES, ids=IDS)
def test_script_creates_what_json_describes(moto_fleet, runs, tmp_path, fixture, style, form):
    proc, model, (partition, region, account) = run_case(
        moto_fleet, fixture, style, form, tmp_path, runs
    )
    assert proc.returncode == 0, f"script exited {proc.returncode}\nstderr:\n{proc.stderr[-4000:]}"
    rendering = oracle.json_rendering(fixture, style, (partition, region, account))
    expected = oracle.expected_model(rendering, partition, account)
    compare_models(expected, model, f"{fixture.stem} {style} {form}")


REAL_AWS_CASES = [
    ("exec-and-policy-variables", "managed", "stdout"),  # placeholders, hostile description, path
    ("container-instance", "inline", "files"),  # instance profile, policy files
]


@pytest.mark.parametrize("stem,style,form", REAL_AWS_CASES, ids=["-".join(c) for c in REAL_AWS_CASES])
def test_real_aws_cli_agrees(moto_fleet, tmp_path, stem, style, form):
    """A few cases with the real `.venv/bin/aws` entry point (no fork server), so that the
    shortcut of aws_forkserver.py cannot hide anything; then read back command by command too,
    which must agree with the json rendering as well (and so with
    get-account-authorization-details), descriptions included."""
    fixture = oracle.FIXTURE_DIR / f"{stem}.json"
    proc, model, (partition, region, account) = run_case(
        moto_fleet, fixture, style, form, tmp_path, {}, real_aws=True
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    moto = moto_fleet.get(account)
    assert oracle.which("aws", moto.env(region, real_aws=True)) == str(oracle.VENV_BIN / "aws")
    rendering = oracle.json_rendering(fixture, style, (partition, region, account))
    expected = oracle.expected_model(rendering, partition, account)
    compare_models(expected, model, f"{stem} {style} {form} (real aws)")
    env = moto.env(region)  # same state: no reset
    granular = oracle.read_back_granular(moto, env)
    compare_models(expected, granular, f"{stem} {style} {form} (read back command by command)")
    lean = oracle.read_back_lean(moto, env)
    assert lean == granular


TWICE = [f for f in oracle.FIXTURES if f.parent == oracle.FIXTURE_DIR]


@pytest.mark.parametrize("fixture", TWICE, ids=[f.stem for f in TWICE])
def test_script_run_again_updates_and_ends_in_the_same_state(moto_fleet, tmp_path, fixture):
    """The script is safe to run again: the second run exits 0, says it updates every role (and
    customer managed policy) instead of creating it, and leaves IAM as the json rendering
    describes. A script of a changed configuration, run over the first, brings IAM to the new
    configuration: a changed trust condition and a changed statement reach the existing role."""
    moto, env, (partition, region, account) = moto_fleet.deploy(fixture)
    style = "managed"  # roles, inline-free, and customer managed policies with versions
    script = tmp_path / "s.sh"
    script.write_text(oracle.render(fixture, "aws-cli", style).stdout)
    first = oracle.run_script(script, env, tmp_path)
    assert first.returncode == 0, first.stderr[-4000:]
    second = oracle.run_script(script, env, tmp_path)
    assert second.returncode == 0, second.stderr[-4000:]
    rendering = oracle.json_rendering(fixture, style, (partition, region, account))
    for role in rendering["Roles"]:
        assert f"Updating role {role['RoleName']}" in second.stderr, second.stderr
        assert f"Creating role {role['RoleName']}" not in second.stderr, second.stderr
    for policy in rendering.get("ManagedPolicies", []):
        assert f"Updating policy {policy['PolicyName']}" in second.stderr, second.stderr
    expected = oracle.expected_model(rendering, partition, account)
    compare_models(expected, oracle.read_back_gaad(moto, env), f"{fixture.stem}, run twice")


def test_a_changed_configuration_updates_the_existing_roles(moto_fleet, tmp_path):
    fixture = oracle.FIXTURE_DIR / "issue-example.json"
    moto, env, (partition, region, account) = moto_fleet.deploy(fixture)
    config = oracle.json.loads(fixture.read_text())
    for style in ("inline", "managed"):
        for version, repo in enumerate(["my-repo", "my-other-repo"]):
            config["roles"][0]["features"][0]["repositories"] = [repo]
            config["roles"][0]["description"] = f"version {version}"
            changed = tmp_path / f"{style}-{version}.json"
            changed.write_text(oracle.json.dumps(config))
            script = tmp_path / f"{style}-{version}.sh"
            script.write_text(oracle.render(changed, "aws-cli", style).stdout)
            proc = oracle.run_script(script, env, tmp_path)
            assert proc.returncode == 0, proc.stderr[-4000:]
        rendering = oracle.json_rendering(changed, style, (partition, region, account))
        actual = oracle.read_back_granular(moto, env)
        expected = oracle.expected_model(rendering, partition, account)
        # The inline run left its inline policies; the managed run adds its policies: compare
        # what the last configuration describes, role by role.
        role = rendering["Roles"][0]["RoleName"]
        assert actual["roles"][role]["AssumeRolePolicyDocument"] == expected["roles"][role]["AssumeRolePolicyDocument"]
        assert actual["roles"][role]["Description"] == "version 1"
        for name, policy in expected["policies"].items():
            assert actual["policies"][name]["Document"] == policy["Document"], name
        for name, doc in expected["roles"][role]["Inline"].items():
            assert actual["roles"][role]["Inline"][name] == doc, name


def test_script_fails_on_a_moto_error(moto_fleet, tmp_path):
    """The oracle itself: a script that IAM refuses fails (set -e), and a difference in a
    document is reported by the comparison."""
    fixture = oracle.FIXTURE_DIR / "seed-001-minimal.json"
    moto, env, (partition, region, account) = moto_fleet.deploy(fixture)
    script = tmp_path / "s.sh"
    script.write_text(oracle.render(fixture, "aws-cli", "inline").stdout)
    assert oracle.run_script(script, env, tmp_path).returncode == 0
    broken = tmp_path / "broken.sh"
    broken.write_text(script.read_text().replace("echo 'Done.' >&2", "aws iam delete-role --role-name no-such-role\necho 'Done.' >&2"))
    assert oracle.run_script(broken, env, tmp_path).returncode != 0
    model = oracle.read_back_granular(moto, env)
    rendering = oracle.json_rendering(fixture, "inline", (partition, region, account))
    rendering["Roles"][0]["Policies"][0]["PolicyDocument"]["Statement"][-1]["Resource"] = "arn:aws:s3:::x"
    with pytest.raises(AssertionError):
        compare_models(oracle.expected_model(rendering, partition, account), model)
