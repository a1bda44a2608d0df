"""The domain layer is plain Python: it imports only the standard library and itself."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import orderdesk.domain

DOMAIN_DIR = Path(orderdesk.domain.__file__).parent


def _imports(path: Path) -> list[tuple[int, str, int]]:
    """(line, module, level) for every import statement in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.lineno, node.module or "", node.level))
    return found


def _allowed(module: str, level: int) -> bool:
    if level > 0:
        return True
    if module == "orderdesk.domain" or module.startswith("orderdesk.domain."):
        return True
    return module.split(".")[0] in sys.stdlib_module_names


def test_domain_package_has_modules_to_check():
    assert len(list(DOMAIN_DIR.glob("*.py"))) >= 6


def test_domain_modules_import_only_stdlib_or_the_domain_itself():
    offenders = [
        f"{path.name}:{line}: {'.' * level}{module}"
        for path in sorted(DOMAIN_DIR.glob("*.py"))
        for line, module, level in _imports(path)
        if not _allowed(module, level)
    ]
    assert offenders == [], "domain imports outside stdlib/orderdesk.domain:\n" + "\n".join(offenders)


def test_relative_imports_stay_inside_the_domain_package():
    # ``from .. import x`` would climb out of orderdesk.domain.
    climbing = [f"{path.name}:{line}" for path in sorted(DOMAIN_DIR.glob("*.py")) for line, _module, level in _imports(path) if level > 1]
    assert climbing == []
