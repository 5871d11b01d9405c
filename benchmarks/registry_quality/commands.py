"""The registry's real management commands, run as subprocesses against one database."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class CommandRun:
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    @property
    def missing(self) -> bool:
        """The command does not exist (yet) in this checkout."""
        return not self.ok and "Unknown command" in self.stderr

    def last_lines(self, count: int = 15) -> str:
        text = (self.stderr.strip() or self.stdout.strip()).splitlines()
        return "\n".join(text[-count:])


class CommandFailed(RuntimeError):
    def __init__(self, run: CommandRun) -> None:
        super().__init__(
            f"manage.py {' '.join(run.args)} failed (exit {run.returncode}):\n{run.last_lines()}"
        )
        self.run = run


@dataclass(frozen=True)
class Registry:
    """manage.py bound to one database."""

    database_url: str
    verbose: bool = False

    def run(self, *args: str, check: bool = True) -> CommandRun:
        env = os.environ | {"DATABASE_URL": self.database_url, "PYTHONUNBUFFERED": "1"}
        env.setdefault("DJANGO_SETTINGS_MODULE", "registry.settings")
        started = time.perf_counter()
        process = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, str(PROJECT_ROOT / "manage.py"), *args],
            cwd=PROJECT_ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        run = CommandRun(
            tuple(args),
            process.returncode,
            process.stdout,
            process.stderr,
            time.perf_counter() - started,
        )
        if self.verbose:
            print(f"    $ manage.py {' '.join(args)}  ({run.seconds:.1f} s, exit {run.returncode})")
            if run.stdout.strip():
                print("      " + run.stdout.strip().replace("\n", "\n      "))
        if check and not run.ok:
            raise CommandFailed(run)
        return run
