"""A fork server for the AWS CLI v1, so that the oracle tests can afford hundreds of `aws` calls.

Every `aws` process spends about half a second importing botocore and building its command table
before it sends one request to moto. The generated scripts call `aws` hundreds of times over the
fixture matrix, which alone would take longer than the whole time budget of the suite.

`serve` imports the AWS CLI of this virtualenv once and builds its driver. A tiny client (written by
`write_client` as an executable named `aws`) connects to it over a Unix socket and passes its
arguments, working directory, environment and its standard input, output and error (as file
descriptors). The server forks; the child takes over those descriptors, directory and environment
and runs the same `awscli.clidriver` code path as `.venv/bin/aws` (`driver.main(argv)`), then
exits with the return code, which the client exits with. Each call runs in its own forked
process, so nothing of one call leaks into the next.

The driver is only reused when the caller's AWS_* environment equals the one the server started
with (the driver reads configuration lazily, but the plugins it loaded depend on it); otherwise the
child builds a fresh driver, exactly as `.venv/bin/aws` does.

Tests that must not depend on this shortcut run the real `.venv/bin/aws` (see
`test_moto_cli.py::test_real_aws_cli_agrees`), and ECS_IAM_ORACLE_REAL_AWS=1 turns the shortcut off
for the whole suite.
"""

import json
import os
import signal
import socket
import struct
import sys
import traceback

# Source of the client, written as an executable `aws` whose interpreter runs with -S (no site
# packages: it only needs the standard library and starts in a few milliseconds).
CLIENT_SOURCE = r'''
import os, socket, struct, sys, json
SOCK = %(sock)r
def main():
    payload = json.dumps({"argv": sys.argv[1:], "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(SOCK)
    socket.send_fds(s, [struct.pack("!Q", len(payload))], [0, 1, 2])
    s.sendall(payload)
    data = b""
    while len(data) < 4:
        chunk = s.recv(4 - len(data))
        if not chunk:
            sys.stderr.write("aws (oracle fork server): connection closed without a return code\n")
            return 255
        data += chunk
    return struct.unpack("!i", data)[0]
sys.exit(main())
'''


def write_client(path, sock_path, python=sys.executable):
    with open(path, "w") as f:
        f.write("#!%s -S\n" % python)
        f.write(CLIENT_SOURCE % {"sock": sock_path})
    os.chmod(path, 0o755)


# The variables that shape the driver when it is built (the config file, whose plugins it loads,
# the profile, the data path). Credentials, Region and endpoint are read when each call creates
# its client, in the child, from the caller's environment.
_DRIVER_ENV = (
    "HOME",
    "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_DATA_PATH",
    "AWS_CLI_FILE_ENCODING",
)


def _aws_env(env):
    return {k: env.get(k) for k in _DRIVER_ENV}


def _with_awscli_data_path(env):
    """What `import awscli` does to the environment of a fresh `aws` process: it appends its own
    data directory to AWS_DATA_PATH (awscli/__init__.py)."""
    import awscli

    env = dict(env)
    paths = []
    if "AWS_DATA_PATH" in env:
        for path in env["AWS_DATA_PATH"].split(os.pathsep):
            paths.append(os.path.expanduser(os.path.expandvars(path)))
    paths.append(os.path.join(os.path.dirname(os.path.abspath(awscli.__file__)), "data"))
    env["AWS_DATA_PATH"] = os.pathsep.join(paths)
    return env


def _recv_exact(conn, n):
    data = b""
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise EOFError("client went away")
        data += chunk
    return data


def _child(conn, driver, start_env):
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    rc = 255
    try:
        head, fds, _flags, _addr = socket.recv_fds(conn, 8, 3)
        head += _recv_exact(conn, 8 - len(head))
        (length,) = struct.unpack("!Q", head)
        req = json.loads(_recv_exact(conn, length))
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(req["cwd"])
        os.environ.clear()
        os.environ.update(_with_awscli_data_path(req["env"]))
        sys.argv = ["aws"] + req["argv"]
        try:
            import awscli.clidriver

            if _aws_env(req["env"]) != start_env:
                driver = awscli.clidriver.create_clidriver()
            rc = driver.main(req["argv"])
        except SystemExit as e:
            rc = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        except BaseException:
            traceback.print_exc()
            rc = 255
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        conn.sendall(struct.pack("!i", rc if rc is not None else 0))
    except BaseException:
        try:
            traceback.print_exc()
        finally:
            os._exit(255)
    os._exit((rc or 0) & 0xFF)


def serve(sock_path):
    start_env = _aws_env(os.environ)  # before `import awscli` changes AWS_DATA_PATH
    import awscli.clidriver

    driver = awscli.clidriver.create_clidriver()
    # Warm what every call needs: the top-level command table and the tables of the services the
    # scripts and the tests use, and their service models.
    table = driver._get_command_table()
    for name in ("iam", "sts", "cloudformation", "configure"):
        cmd = table.get(name)
        if cmd is not None and hasattr(cmd, "_get_command_table"):
            cmd._get_command_table()
    for service in ("iam", "sts", "cloudformation"):
        driver.session.get_service_model(service)
        # Loads the endpoint rules and partitions into the session's caches. Explicit dummy
        # credentials, so that the session does not resolve (and keep) the server's own.
        driver.session.create_client(
            service,
            region_name="us-east-1",
            aws_access_key_id="warm-up",
            aws_secret_access_key="warm-up",
        )

    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(sock_path)
    srv.listen(128)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped automatically
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        conn, _ = srv.accept()
        pid = os.fork()
        if pid == 0:
            srv.close()
            _child(conn, driver, start_env)
        conn.close()


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "serve":
        sys.exit("usage: aws_forkserver.py serve SOCKET")
    serve(sys.argv[2])
