"""The suite itself: it runs in any clone (its golden data is inside tests/), says why a test did
not run, and ends with pytest's summary line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests import conftest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent


def test_no_test_reads_files_beside_the_repository():
    # ``../shared`` is there on the lead's machine only; a clone has just the repository.
    outside = re.compile(r"""parents\[\d\]\s*\.parent|["']\.\./|["']shared["']\s*/|/\s*["']shared["']""")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in sorted(TESTS.rglob("*.py"))
        if path != Path(__file__).resolve()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if outside.search(line)
    ]
    assert offenders == []


class _Metafunc:
    def __init__(self, db: str, postgres_only: bool) -> None:
        self.fixturenames = ["backend"]
        self.config = SimpleNamespace(getoption=lambda name: db)
        self.definition = SimpleNamespace(get_closest_marker=lambda name: object() if postgres_only and name == "postgres_only" else None)
        self.calls: list[tuple] = []

    def parametrize(self, name, values, **kwargs):
        self.calls.append((name, list(values)))


@pytest.mark.parametrize(
    "db,postgres_only,expected", [("all", False, ["sqlite", "postgres"]), ("all", True, ["postgres"]), ("sqlite", False, ["sqlite"])]
)
def test_tests_run_on_the_databases_asked_for(db, postgres_only, expected):
    metafunc = _Metafunc(db, postgres_only)
    conftest.pytest_generate_tests(metafunc)
    assert metafunc.calls == [("backend", expected)]


def test_a_postgresql_test_on_sqlite_is_skipped_saying_so():
    metafunc = _Metafunc("sqlite", postgres_only=True)
    conftest.pytest_generate_tests(metafunc)
    ((name, (param,)),) = metafunc.calls
    (mark,) = param.marks
    assert (name, param.values, mark.name, mark.kwargs["reason"]) == ("backend", ("postgres",), "skip", "PostgreSQL only")


@pytest.mark.parametrize(
    "extra,summary", [((), r"^=+ \d+ passed.* in [\d.]+s =+$"), (("-q",), r"^\d+ passed.* in [\d.]+s$")], ids=["plain", "quiet"]
)
def test_a_run_ends_with_pytests_summary_line(extra, summary):
    # What CI and a newcomer see: "N passed", even with -q (the project's options add none).
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "tests/domain/test_tracking.py", "-p", "no:cacheprovider", *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert re.search(summary, run.stdout, re.MULTILINE), run.stdout
