"""Layering: only orderdesk.db talks SQL; routes and pages reach storage through services."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "orderdesk"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_only_the_db_package_imports_sqlalchemy():
    offenders = [
        str(p.relative_to(PACKAGE))
        for p in PACKAGE.rglob("*.py")
        if "db" not in p.relative_to(PACKAGE).parts[:1] and any(n.split(".")[0] in ("sqlalchemy", "alembic") for n in _imports(p))
    ]
    assert offenders == []


def test_services_parse_nothing():
    # Parsing happens at the edge (schemas, routes, CLI); services take domain values.
    offenders = [
        f"{p.relative_to(PACKAGE)}: {n}"
        for p in (PACKAGE / "services").rglob("*.py")
        for n in _imports(p) | _relative_imports(p)
        if n.split(".")[0] == "pydantic" or n.startswith("orderdesk.schemas") or n.lstrip(".").startswith("schemas")
    ]
    assert offenders == []


def _relative_imports(path: Path) -> set[str]:
    return {
        "." * node.level + (node.module or "")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom) and node.level > 0
    }
