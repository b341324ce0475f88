"""A Jupyter server for the widget's browser test and benchmark: JupyterLab or Notebook 7 on
a free loopback port with settings of its own (no news, no update checks, nothing fetched),
and a way to run code in the open notebook's kernel from the page."""

from __future__ import annotations

import contextlib
import os
import pathlib
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat

TOKEN = "lll-test"


def _free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen, log: pathlib.Path, timeout=120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            said = log.read_text(errors="replace").splitlines()[-5:]
            raise RuntimeError(f"Jupyter exited with {server.returncode}: {said}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2),
        ):
            return
        time.sleep(0.5)
    raise TimeoutError(f"Jupyter did not answer at {url} in {timeout:.0f} s")


FRONT_ENDS = {
    "jupyterlab": (
        [
            "lab",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",  # no listing fetched from PyPI
        ],
        "/lab/tree/widget.ipynb",
    ),
    "notebook7": (
        ["notebook", "--JupyterNotebookApp.expose_app_in_browser=True"],
        "/notebooks/widget.ipynb",
    ),
}


@contextlib.contextmanager
def jupyter(front_end: str, notebook_dir: pathlib.Path):
    """JupyterLab or Notebook 7 serving `notebook_dir` on a free loopback port, with its own
    settings (no news, no update checks); yields its base URL."""
    port = _free_port()
    home = notebook_dir / ".jupyter-home"
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / "ipython"),
        "JUPYTER_PLATFORM_DIRS": "1",
    }
    command = [
        sys.executable,
        "-m",
        "jupyter",
        *FRONT_ENDS[front_end][0],
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={notebook_dir}",
        *(["--allow-root"] if os.geteuid() == 0 else []),
    ]
    log_path = notebook_dir / "jupyterlab.log"
    log = open(log_path, "wb")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server, log_path)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def run_in_kernel(page, code: str) -> str:
    """Run `code` in the open notebook's kernel; what it printed."""
    return page.evaluate(
        """(code) => new Promise((resolve, reject) => {
          const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
          const future = kernel.requestExecute({ code });
          let text = "";
          future.onIOPub = (message) => {
            if (message.header.msg_type === "stream") text += message.content.text;
            if (message.header.msg_type === "error") reject(new Error(message.content.evalue));
          };
          future.done.then(() => resolve(text), reject);
        })""",
        code,
    )


def write_notebook(path: pathlib.Path, cells: list[str]) -> None:
    """A notebook of these code cells, for the Python 3 kernel."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3"}
    nbformat.write(notebook, path)


def open_notebook(page, url: str) -> None:
    """Open the notebook at `url` and wait until its kernel is there."""
    page.goto(url)
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.sessionContext"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel",
        timeout=120_000,
    )
