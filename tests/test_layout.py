"""The folders show the architecture: `backend/core/` is the foundation every app imports and imports
no app; `backend/pages/` sits on top and no app imports it; the apps depend one way,
inventory ← bookings ← routes. Imports inside functions count too."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# (importing package, imported package) pairs that break the rule today, each with its reason.
KNOWN_EXCEPTIONS: set[tuple[str, str]] = set()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every module name the file imports, absolute; `from a import b` counts as a and a.b."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            targets.add(source)
            targets.update(f"{source}.{alias.name}" for alias in node.names)
    return targets


def _files(folder: str) -> list[Path]:
    return sorted(path for path in (ROOT / folder).rglob("*.py") if "migrations" not in path.parts)


def _within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _violations(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in _files(folder):
        for target in sorted(_imports(path)):
            for package in forbidden:
                if (folder.replace("/", "."), package) in KNOWN_EXCEPTIONS:
                    continue
                if _within(target, package):
                    found.append(f"{path.relative_to(ROOT)} imports {target}")
    return found


def test_module_names_resolve():
    # guard against the test silently looking at nothing
    assert _files("backend/core") and _files("bookings") and _files("inventory")
    assert "bookings.packing.services" in _imports(ROOT / "bookings" / "apps.py")


def test_core_imports_no_app_and_no_pages():
    assert _violations("backend/core", ("inventory", "bookings", "routes", "backend.pages")) == []


@pytest.mark.parametrize("app", ["inventory", "bookings", "routes"])
def test_apps_do_not_import_pages(app):
    assert _violations(app, ("backend.pages",)) == []


def test_inventory_imports_neither_bookings_nor_routes():
    assert _violations("inventory", ("bookings", "routes")) == []


def test_bookings_does_not_import_routes():
    assert _violations("bookings", ("routes",)) == []
