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


@pytest.fixture(scope="session")
def moto_server(tmp_path_factory):
    """A moto server (MOTO_IAM_LOAD_MANAGED_POLICIES=true, so AWS managed policies can be
    attached) on a free port, for the whole session. Yields an oracle.Moto: .url, .reset(),
    .env(region), .aws(...).

    Unless ECS_IAM_ORACLE_REAL_AWS=1, `aws` in .env() is the AWS CLI of the venv behind a fork
    server (see aws_forkserver.py): same code, without half a second of start-up per call."""
    work = tmp_path_factory.mktemp("moto")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = work / "moto.log"
    env = dict(os.environ, MOTO_IAM_LOAD_MANAGED_POLICIES="true")
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

    server = None
    shim_dir = None
    try:
        _wait_until(answers, 60, "moto_server", proc, log)
        moto = oracle.Moto(url)
        if os.environ.get("ECS_IAM_ORACLE_REAL_AWS") != "1":
            # A short socket path: AF_UNIX paths are limited to about 100 bytes.
            shim_dir = Path(tempfile.mkdtemp(prefix="awsfs"))
            sock = shim_dir / "s"
            server_env = moto.env()
            server = subprocess.Popen(
                [sys.executable, str(Path(aws_forkserver.__file__)), "serve", str(sock)],
                stdout=subprocess.PIPE,
                stderr=open(work / "aws-forkserver.log", "wb"),
                env=server_env,
                cwd=str(work),
            )
            line = server.stdout.readline()
            if line.strip() != b"ready":
                raise RuntimeError(f"aws fork server did not start: {line!r}")
            aws_forkserver.write_client(str(shim_dir / "aws"), str(sock))
            moto.shim_dir = shim_dir
        yield moto
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        if shim_dir is not None:
            for p in shim_dir.iterdir():
                p.unlink()
            shim_dir.rmdir()
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def moto(moto_server):
    """The session's moto server, reset (POST /moto-api/reset) before the test."""
    moto_server.reset()
    return moto_server
