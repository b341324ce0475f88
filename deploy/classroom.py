"""Serve a class from one machine: N app processes behind nginx (Debian's package) with sticky
sessions, all on loopback except nginx's port.

    python -m deploy.classroom --processes 2 --port 8600 [--listen 0.0.0.0]

Each process holds its own sessions (and its own JAX caches); nginx keeps every browser
session on the process that has it (see deploy/nginx.conf). Ctrl-C stops everything.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pathlib
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parent.parent
TEMPLATE = pathlib.Path(__file__).resolve().parent / "nginx.conf"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_healthy(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).status == 200:
                return
        if process.poll() is not None:
            raise RuntimeError(
                process.stdout.read().decode(errors="replace") if process.stdout else "exited"
            )
        time.sleep(0.3)
    raise TimeoutError(f"nothing healthy at {url}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(10)
    if process.poll() is None:
        process.kill()


@contextlib.contextmanager
def app_process(port: int | None = None, script: str = "streamlit_app.py", timeout: float = 90.0):
    """One app process on a loopback port (a free one by default); yields (url, process). The
    app itself starts warmed (`app.serve`); any other script with plain `streamlit run`."""
    port = port or free_port()
    launcher = ["app.serve"] if script == "streamlit_app.py" else ["streamlit", "run", script]
    command = [
        sys.executable,
        "-m",
        *launcher,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, process, timeout)
        yield url, process
    finally:
        stop(process)


def nginx_config(
    port: int, backends: list[int], run: pathlib.Path, listen: str = "127.0.0.1"
) -> str:
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=0;" for p in backends)
    text = TEMPLATE.read_text().replace("@RUN@", str(run)).replace("@BACKENDS@", servers)
    return text.replace("@PORT@", f"{listen}:{port}")


@contextlib.contextmanager
def classroom(processes: int = 2, port: int | None = None, listen: str = "127.0.0.1"):
    """N app processes and nginx in front; yields (url, run directory, app urls)."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    port = port or free_port()
    with contextlib.ExitStack() as stack:
        apps = [stack.enter_context(app_process())[0] for _ in range(processes)]
        run = pathlib.Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lll-nginx-")))
        config = run / "nginx.conf"
        config.write_text(nginx_config(port, [int(u.rsplit(":", 1)[1]) for u in apps], run, listen))
        proxy = subprocess.Popen(
            [nginx, "-c", str(config), "-p", str(run), "-g", "daemon off;"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        stack.callback(stop, proxy)
        url = f"http://127.0.0.1:{port}"
        wait_until_healthy(url, proxy, 30)
        yield url, run, apps


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m deploy.classroom", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--port", type=int, default=8600)
    parser.add_argument("--listen", default="0.0.0.0", help="address nginx listens on")
    args = parser.parse_args()
    with classroom(args.processes, args.port, args.listen) as (url, run, apps):
        print(
            f"serving {len(apps)} app processes at http://{args.listen}:{args.port} (logs in {run})",  # noqa: E501
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)


if __name__ == "__main__":
    main()
