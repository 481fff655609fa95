"""The packages of aia import only downwards (ARCHITECTURE.md), importing a model loads no
view, form or renderer, and imports inside functions are the few that say why."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "aia"

# Each floor may import its own floor's other packages only where listed in SIDEWAYS, and
# any package of a lower floor.
FLOORS = [
    {"cli", "seed", "integrity", "backup", "ops"},
    {"publishing", "messages"},
    {"register", "review", "report"},
    {"assessments"},
    {"accounts", "audit", "catalogue", "mail"},
    {
        "engine",
        "db",
        "extensions",
        "i18n",
        "presentation",
        "models",
        "db_rules",
        "questionnaires",
        "web_security",
        "web_input",
        "security_log",
        "jobs",
        "metrics",
    },
]
SIDEWAYS = {
    ("register", "report"),
    ("accounts", "audit"),
    ("catalogue", "audit"),
    ("accounts", "mail"),  # password resets and invitations are mail about one's account
    ("extensions", "db"),
    ("extensions", "engine"),
    ("presentation", "extensions"),
    ("i18n", "extensions"),
    ("web_security", "extensions"),  # the headers' extension, bound in create_app
    ("presentation", "i18n"),
    ("web_input", "i18n"),  # the messages of a refused body
    ("presentation", "engine"),  # a questionnaire's text in the page's language
    ("cli", "seed"),
    ("cli", "integrity"),
    ("cli", "backup"),
}
# The data layer's assembly (every model, and the rules attached to their tables) is read by
# the app factory and the migrations: it sits below the packages as a whole, above their
# models.
ASSEMBLY = {"models", "db_rules"}
FUNCTION_IMPORTS_ALLOWED = {("__init__.py", "aia.cli")}


def floor_of(package: str) -> int:
    return next(i for i, floor in enumerate(FLOORS) if package in floor)


def imports(path: Path) -> list[tuple[str, bool]]:
    """(the aia module imported, whether inside a function) for each import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package_parts = parts[:-1]
    found: list[tuple[str, bool]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inside = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package_parts[: len(package_parts) - child.level + 1]
                    module = ".".join(base + ([child.module] if child.module else []))
                    names = [f"{module}.{a.name}" for a in child.names] if not child.module else [module]
                    found.extend((name, inside) for name in names)
                elif (child.module or "").startswith("aia"):
                    found.append((child.module or "", inside))
            elif isinstance(child, ast.Import):
                found.extend((a.name, inside) for a in child.names if a.name.startswith("aia"))
            visit(child, inside)

    visit(tree, False)
    return found


def top_package(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("path", SOURCES, ids=[str(p.relative_to(PACKAGE)) for p in SOURCES])
def test_imports_point_down(path: Path) -> None:
    rel = path.relative_to(PACKAGE)
    if rel.name == "__init__.py" and len(rel.parts) == 1:
        return  # the app factory sits above everything
    source = rel.parts[0].removesuffix(".py")
    for module, _inside in imports(path):
        target = top_package(module)
        if target is None or target == source or not any(target in f for f in FLOORS):
            continue  # the package itself, or a name of aia/__init__.py (the app factory)
        if source in ASSEMBLY:
            assert module.endswith((".models", ".db", ".db_rules")), (
                f"{rel} imports {module}: the assembly reads models only"
            )
            continue
        up = floor_of(target) < floor_of(source)
        same = floor_of(target) == floor_of(source) and (source, target) not in SIDEWAYS
        assert not (up or same), f"{rel} imports {module}: {target} is not below {source}"


def test_only_the_known_imports_sit_inside_functions() -> None:
    found = {
        (str(p.relative_to(PACKAGE)), module) for p in SOURCES for module, inside in imports(p) if inside
    }
    assert found <= FUNCTION_IMPORTS_ALLOWED, found - FUNCTION_IMPORTS_ALLOWED


@pytest.mark.parametrize(
    "module",
    ["aia.assessments.models", "aia.engine", "aia.review.forms", "aia.register.models", "aia.models"],
)
def test_importing_a_model_loads_no_view_form_or_renderer(module: str) -> None:
    probe = (
        f"import sys, importlib; importlib.import_module({module!r}); "
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('aia') or "
        "m == 'weasyprint')))"
    )
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", probe], check=True, capture_output=True, text=True
        ).stdout.split()
    )
    views = {m for m in loaded if m.endswith(".routes")}
    forms = {m for m in loaded if m.endswith(".forms") and m != module and m != "aia.engine.forms"}
    assert not views, views
    assert not forms, forms
    assert "weasyprint" not in loaded
    assert "aia.report.render" not in loaded
