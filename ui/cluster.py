"""Several dashboard servers behind nginx on loopback: ``python -m ui.cluster --servers 2 --port 8080``.

What ``make run-cluster`` does, what the scale-out test and the load test start. It

1. fills ``deploy/nginx.conf`` (and ``deploy/security-headers.conf``) into a fresh directory;
2. starts the demonstration sign-in once, with one secrets file for every server (the same cookie secret, a
   redirect to nginx's address), unless a real provider is configured or ``RBM_DEMO_SIGN_IN=0``;
3. starts ``--servers`` dashboard servers (``python -m ui.serve``) on free loopback ports, all on the same
   store (``RBM_DATABASE_URL``: PostgreSQL for several servers);
4. starts nginx in front of them (Debian's ``nginx``, as an ordinary process, not the system service),
   and stops everything when it is stopped.

A real site uses ``deploy/nginx.conf`` filled by hand with its own TLS and addresses (README, "Running on
PostgreSQL, several servers behind a load balancer").
"""
from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import streamlit

from ui import demo_provider
from ui.processes import free_port, start_dashboard, stop, wait_for

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEPLOY_DIR = PROJECT_DIR / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
#: Streamlit's built front end (index.html, favicon, manifest and the hashed files under static/).
STREAMLIT_STATIC = Path(streamlit.__file__).resolve().parent / "static"


@dataclass
class Cluster:
    """A running cluster: nginx's address, the servers' addresses and where nginx writes its files."""

    url: str
    servers: list[str]
    prefix: Path
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def access_log(self) -> Path:
        """nginx's access log: each request with its route cookie and the server that answered it."""
        return self.prefix / "access.log"


def fill(template: str, fields: dict[str, str]) -> str:
    """``template`` with each ``{{NAME}}`` replaced; a field left unfilled is an error, not a broken config."""
    for name, value in fields.items():
        template = template.replace("{{" + name + "}}", value)
    if "{{" in template:
        start = template.index("{{")
        raise ValueError(f"unfilled field {template[start:template.index('}}', start) + 2]}")
    return template


def nginx_config(prefix: Path, listen_port: int, server_ports: list[int], host: str = "localhost") -> Path:
    """Write nginx's configuration for these ports under ``prefix``; return the main file's path."""
    for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    fields = {
        "PREFIX": str(prefix),
        "LISTEN": f"127.0.0.1:{listen_port}",
        "SERVER_NAME": host,
        "HOST": f"{host}:{listen_port}",
        "STREAMLIT_STATIC": str(STREAMLIT_STATIC),
        "SERVERS": "\n".join(f"        server 127.0.0.1:{p};" for p in server_ports),
        # As root, nginx's workers would switch to `nobody`, who may not read the project's files: stay root
        # here (a real site runs nginx's own way, with the front end's files readable by its user).
        "USER": "user root;\n" if os.geteuid() == 0 else "",
    }
    headers = fill((DEPLOY_DIR / "security-headers.conf").read_text(), {"HOST": fields["HOST"]})
    (prefix / "security-headers.conf").write_text(headers)
    path = prefix / "nginx.conf"
    path.write_text(fill((DEPLOY_DIR / "nginx.conf").read_text(), fields))
    return path


@contextlib.contextmanager
def running(servers: int = 2, port: int | None = None, database_url: str | None = None,
            prefix: Path | None = None, log_dir: Path | None = None, sign_in: bool = True) -> Iterator[Cluster]:
    """Start the cluster (see the module); yield it; stop everything, whatever happens.

    ``sign_in=False``: no demonstration sign-in (the load test's visitors are the public).
    """
    if not Path(NGINX).is_file():
        raise RuntimeError("nginx is not installed (Debian: apt-get install nginx)")
    port = port or free_port()
    prefix = Path(prefix or tempfile.mkdtemp(prefix="rbm-nginx-"))
    log_dir = log_dir or prefix
    env = {**os.environ, demo_provider.DEMO_SIGN_IN_ENV: "0"}  # one provider for all, started here
    if database_url:
        env["RBM_DATABASE_URL"] = database_url
    processes: list[subprocess.Popen] = []
    provider = None
    try:
        options = []
        if sign_in and demo_provider.wanted():
            provider = demo_provider.start(port, demo_provider.DEMO_DIR / f"secrets-cluster-{port}.toml")
            demo_provider.grant_demo_roles(env.get("RBM_DATABASE_URL"))
            for path in (*demo_provider.streamlit_secrets_files(), provider.secrets_file):
                options += ["--secrets.files", str(path)]
        server_ports = [free_port() for _ in range(servers)]
        for server_port in server_ports:
            with (log_dir / f"server-{server_port}.log").open("w") as log:
                processes.append(start_dashboard(server_port, env, options, output=log))
        for server_port, process in zip(server_ports, processes):
            wait_for(f"http://127.0.0.1:{server_port}/_stcore/health", process, f"dashboard server {server_port}")
        config = nginx_config(prefix, port, server_ports)
        processes.append(subprocess.Popen([NGINX, "-c", str(config), "-p", str(prefix), "-g", "daemon off;"],
                                          stdout=subprocess.DEVNULL, stderr=(prefix / "nginx.out").open("w")))
        url = f"http://localhost:{port}"
        wait_for(f"{url}/_stcore/health", processes[-1], "nginx")
        yield Cluster(url, [f"http://127.0.0.1:{p}" for p in server_ports], prefix, processes)
    finally:
        stop(processes)
        if provider is not None:
            provider.stop()
            provider.secrets_file.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ui.cluster", description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", type=int, default=2, help="dashboard servers behind nginx (default 2)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port on loopback (default 8080)")
    args = parser.parse_args(argv)
    if not 1 <= args.servers <= 16:
        parser.error("--servers takes 1 to 16")
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    with running(args.servers, args.port) as cluster:
        print(f"nginx on {cluster.url}, in front of {', '.join(cluster.servers)} (files in {cluster.prefix}); "
              "Ctrl-C stops everything.", flush=True)
        try:
            while not stopping and all(p.poll() is None for p in cluster.processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
