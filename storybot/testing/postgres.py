"""A throwaway PostgreSQL server for tests: initdb in a temporary directory, listening on a free
port of 127.0.0.1, trusted local logins, deleted afterwards.

PostgreSQL refuses to run as root; as root the server runs as the `postgres` user (created by
Debian's package), which then owns the temporary directory.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from storybot.testing.livebot import free_port


class PostgresUnavailable(Exception):
    """No PostgreSQL binaries here (install Debian's `postgresql` package)."""


def _binaries() -> Path:
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not versions:
        raise PostgresUnavailable("PostgreSQL is not installed (no initdb; apt-get install postgresql)")
    return versions[-1].parent


def _as_server_user() -> list[str]:
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresUnavailable("running as root and there is no `postgres` user to run the server as") from None
    return ["runuser", "-u", "postgres", "--"]


@contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server; yield its URL; stop it and delete its files."""
    bin_dir = _binaries()
    prefix = _as_server_user()
    home = Path(tempfile.mkdtemp(prefix="storybot-pg-"))
    data = home / "data"
    if prefix:
        shutil.chown(home, "postgres")
    port = free_port()

    def run(*command: str) -> None:
        result = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise PostgresUnavailable(f"{Path(command[0]).name} failed: {(result.stderr or result.stdout).strip()[-500:]}")

    try:
        run(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync")
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(home / "log"), "-w", "-t", "60",
            "-o", f"-h 127.0.0.1 -p {port} -k {home} -F", "start")
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            subprocess.run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                           capture_output=True, timeout=60)
    finally:
        shutil.rmtree(home, ignore_errors=True)
