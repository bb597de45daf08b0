"""Fixtures of the oracle tests: the binary, the fixtures' list, one moto server for the session."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import aws_forkserver  # noqa: E402
import oracle  # noqa: E402


def pytest_configure(config):
    if not oracle.BIN.exists():
        raise pytest.UsageError(
            f"{oracle.BIN} does not exist: build it (cargo build -p ecs-iam) or set ECS_IAM_BIN"
        )


@pytest.fixture(scope="session")
def bin_path():
    return oracle.BIN


@pytest.fixture(scope="session")
def fixtures():
    return list(oracle.FIXTURES)


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until(predicate, timeout, what, proc=None, log=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{what} exited {proc.returncode}: {log.read_text() if log else ''}")
        if predicate():
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not become ready in {timeout}s")


def _start_moto(work, account):
    """Starts `moto_server -H 127.0.0.1 -p PORT` (MOTO_IAM_LOAD_MANAGED_POLICIES=true, so AWS
    managed policies can be attached; MOTO_ACCOUNT_ID when not moto's default account) and waits
    until it answers. Returns (process, url)."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = work / f"moto-{account}.log"
    env = dict(os.environ, MOTO_IAM_LOAD_MANAGED_POLICIES="true")
    env.pop("MOTO_ACCOUNT_ID", None)
    if account != oracle.MOTO_ACCOUNT:
        env["MOTO_ACCOUNT_ID"] = account
    with open(log, "wb") as logf:
        proc = subprocess.Popen(
            [str(oracle.VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
            stdout=logf,
            stderr=subprocess.STDOUT,
            env=env,
        )

    def answers():
        try:
            with urllib.request.urlopen(url + "/moto-api/", timeout=2):
                return True
        except urllib.error.HTTPError:
            return True  # it answers, if not with 200
        except OSError:
            return False

    try:
        _wait_until(answers, 60, "moto_server", proc, log)
    except Exception:
        _stop(proc)
        raise
    return proc, url


def _stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def moto_fleet(tmp_path_factory):
    """moto servers for the session: oracle.MotoFleet; .default is moto's default account
    (123456789012), .get(account) another account's server (started on first use),
    .deploy(config) resets the server of a configuration's account and returns what is needed
    to deploy it there. Every server is terminated at the end of the session.

    Unless ECS_IAM_ORACLE_REAL_AWS=1, `aws` in the environments these give is the AWS CLI of the
    venv behind a fork server (see aws_forkserver.py): the same code, without half a second of
    start-up per call."""
    work = tmp_path_factory.mktemp("moto")
    procs = []
    server = None
    shim_dir = None
    try:
        if os.environ.get("ECS_IAM_ORACLE_REAL_AWS") != "1":
            # A short socket path: AF_UNIX paths are limited to about 100 bytes.
            shim_dir = Path(tempfile.mkdtemp(prefix="awsfs"))
            sock = shim_dir / "s"
            server = subprocess.Popen(
                [sys.executable, str(Path(aws_forkserver.__file__)), "serve", str(sock)],
                stdout=subprocess.PIPE,
                stderr=open(work / "aws-forkserver.log", "wb"),
                env=oracle.Moto("http://127.0.0.1:1").env(),
                cwd=str(work),
            )
            line = server.stdout.readline()
            if line.strip() != b"ready":
                raise RuntimeError(f"aws fork server did not start: {line!r}")
            aws_forkserver.write_client(str(shim_dir / "aws"), str(sock))

        def start(account):
            proc, url = _start_moto(work, account)
            procs.append(proc)
            return oracle.Moto(url, account=account, shim_dir=shim_dir)

        fleet = oracle.MotoFleet(start)
        fleet.default  # start the default server now
        yield fleet
    finally:
        if server is not None:
            _stop(server)
        if shim_dir is not None:
            for p in shim_dir.iterdir():
                p.unlink()
            shim_dir.rmdir()
        for proc in procs:
            _stop(proc)


@pytest.fixture(scope="session")
def moto_server(moto_fleet):
    """The moto server of moto's default account (oracle.Moto: .url, .reset(), .env(region),
    .aws(...))."""
    return moto_fleet.default


@pytest.fixture
def moto(moto_server):
    """The session's moto server, reset (POST /moto-api/reset) before the test."""
    moto_server.reset()
    return moto_server
