"""What ``import eventmatch`` and one command of the command line import: not the analysis, nor the
modules of the other commands (they cost ``eventmatch validate`` a tenth of a second); and every public
name is still there."""

from __future__ import annotations

import subprocess
import sys

import eventmatch
import eventmatch.analysis
import eventmatch.machine
import eventmatch.sns

from .test_cli_support import EXAMPLES


def _imported_after(code: str) -> set[str]:
    """The eventmatch modules a fresh interpreter has imported once it has run ``code``."""
    report = "import sys; print(*(name for name in sys.modules if name.startswith('eventmatch')))"
    process = subprocess.run(
        [sys.executable, "-c", f"{code}\n{report}"], capture_output=True, text=True, check=True, timeout=60
    )
    return set(process.stdout.split())


def test_importing_eventmatch_leaves_the_analysis_machine_sns_and_snapshot_unimported() -> None:
    imported = _imported_after("import eventmatch")
    assert "eventmatch.pattern" in imported
    lazy = {"eventmatch.analysis", "eventmatch.machine", "eventmatch.sns", "eventmatch.snapshot"}
    assert not lazy & imported


def test_a_command_imports_its_own_module_only() -> None:
    rules = str(EXAMPLES / "rules.json")
    code = (
        "import contextlib, io\n"
        "from eventmatch.cli import main\n"
        f"with contextlib.redirect_stdout(io.StringIO()): main(['validate', {rules!r}])"
    )
    imported = _imported_after(code)
    assert "eventmatch.cli.validate" in imported
    assert "eventmatch.snapshot" not in imported  # validating compiles patterns but matches none
    others = {f"eventmatch.cli.{name}" for name in ("match", "explain", "bench", "replay", "analyze")}
    assert not (others | {"eventmatch.analysis"}) & imported


def test_every_public_name_is_listed_and_is_the_submodules_own() -> None:
    assert set(eventmatch.__all__) <= set(dir(eventmatch))
    namespace: dict[str, object] = {}
    exec("from eventmatch import *", namespace)
    assert set(eventmatch.__all__) <= set(namespace)
    assert eventmatch.Machine is eventmatch.machine.Machine
    assert eventmatch.near_misses is eventmatch.analysis.near_misses
    assert eventmatch.compile_filter_policy is eventmatch.sns.compile_filter_policy
    # the function, not the module of its name
    assert eventmatch.explain is sys.modules["eventmatch.explain"].explain


def test_explain_is_the_function_even_when_the_analysis_is_imported_first() -> None:
    code = "import eventmatch.analysis, eventmatch\nassert callable(eventmatch.explain), eventmatch.explain"
    assert "eventmatch.analysis" in _imported_after(code)
