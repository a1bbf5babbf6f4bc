"""Helpers for the CLI tests (no tests here): run ``python -m eventmatch`` as a user would."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def run_cli(*args: str | Path, stdin: bytes | str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the command line in a subprocess; ``stdin`` is fed to it (bytes as they are)."""
    data = stdin.encode() if isinstance(stdin, str) else stdin
    process = subprocess.run(
        [sys.executable, "-m", "eventmatch", *map(str, args)], input=data, capture_output=True, timeout=120
    )
    return subprocess.CompletedProcess(
        process.args, process.returncode, process.stdout.decode(), process.stderr.decode()
    )


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    """User errors are reported in one line, never as a Python traceback."""
    assert "Traceback" not in result.stderr, result.stderr
