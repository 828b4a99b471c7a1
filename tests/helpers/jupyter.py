"""JupyterLab on 127.0.0.1 for the widget's tests: a server started in a test (stopped with it) on a folder, and a
client of the kernel a notebook in it runs."""
from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_notebook(path: Path, cells: list[str]) -> Path:
    """A notebook of code cells ``cells`` on the python3 kernel (this interpreter's)."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


class Lab:
    """A running JupyterLab: ``url(notebook)`` opens a notebook in it, ``kernel(notebook)`` is a client of that
    notebook's kernel."""

    def __init__(self, root: Path, port: int, token: str, runtime: Path) -> None:
        self.root, self.port, self.token, self.runtime = root, port, token, runtime

    def url(self, notebook: str, ui: str = "lab") -> str:
        """The notebook's address in JupyterLab, in a workspace of its own (the lab reopens no other notebook beside
        it), or (``ui="notebook"``) in Notebook 7."""
        if ui == "notebook":
            return f"http://127.0.0.1:{self.port}/notebooks/{notebook}?token={self.token}"
        return f"http://127.0.0.1:{self.port}/lab/workspaces/{Path(notebook).stem}/tree/{notebook}?reset&token={self.token}"

    def api(self, path: str, method: str = "GET"):
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}/api/{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            body = r.read()
        return json.loads(body) if body else None

    def shut_down(self, notebook: str) -> None:
        """Stop the notebook's kernel (its session ends)."""
        for session in self.api("sessions"):
            if session["path"] == notebook:
                self.api(f"sessions/{session['id']}", method="DELETE")

    def kernel(self, notebook: str, timeout: float = 60):
        """A blocking client of the kernel of ``notebook`` (its session's), its channels started."""
        from jupyter_client import BlockingKernelClient

        deadline = time.time() + timeout
        while not (found := [s for s in self.api("sessions") if s["path"] == notebook]) and time.time() < deadline:
            time.sleep(0.2)
        client = BlockingKernelClient(connection_file=str(self.runtime / f"kernel-{found[0]['kernel']['id']}.json"))
        client.load_connection_file()
        client.start_channels()
        client.wait_for_ready(timeout=timeout)
        return client


def evaluate(client, expression: str, timeout: float = 60):
    """The value of ``expression`` in the kernel (it must be a Python literal, e.g. a list of ints)."""
    import ast

    reply = client.execute_interactive("", user_expressions={"v": expression}, timeout=timeout, silent=True)
    value = reply["content"]["user_expressions"]["v"]
    assert value["status"] == "ok", value
    return ast.literal_eval(value["data"]["text/plain"])


def run(client, code: str, timeout: float = 60) -> None:
    reply = client.execute_interactive(code, timeout=timeout, silent=True)
    assert reply["content"]["status"] == "ok", reply["content"]


@contextlib.contextmanager
def lab(root: Path):
    """JupyterLab serving ``root`` on 127.0.0.1 (a fresh port and token), stopped on leaving."""
    port, token, runtime = free_port(), secrets.token_hex(16), root / ".runtime"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime), "JUPYTER_CONFIG_DIR": str(root / ".config"),
           "JUPYTERLAB_SETTINGS_DIR": str(root / ".settings"), "JUPYTERLAB_WORKSPACES_DIR": str(root / ".workspaces")}
    args = ["--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}", "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    proc = subprocess.Popen([sys.executable, "-m", "jupyterlab", *args],
                            env=env, stdout=subprocess.DEVNULL, stderr=open(root / ".lab.log", "wb"))
    server = Lab(root, port, token, runtime)
    try:
        deadline = time.time() + 90
        while True:
            try:
                server.api("status")
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError((root / ".lab.log").read_text()[-3000:]) from None
                time.sleep(0.3)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
