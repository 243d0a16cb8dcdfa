"""The rules of the code's layout that tell a developer which room is theirs.

* A ``state.py`` (the pure state of a feature, tested in plain pytest) imports no
  ipywidgets and no view module.
* The widgets kit (``ilc_widgets/widgets/_kit``) imports no section or view module.
* Only the kit touches asyncio and threads in the widgets layer.
* No module of the widgets layer is over 600 lines, none in the package over 1,200.

Modules are found by glob, so the rules hold for feature folders added later (until the
first ``state.py`` exists its rule passes with nothing to check).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ilc_widgets"
WIDGETS = "ilc_widgets.widgets"
KIT = "ilc_widgets.widgets._kit"


def module_name(path: Path, root: Path = PACKAGE.parent) -> str:
    """``ilc_widgets/widgets/_kit/page.py`` -> ``ilc_widgets.widgets._kit.page``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path, root: Path = PACKAGE.parent) -> set[str]:
    """Every module a file imports (relative imports resolved; ``from x import y`` also
    counts ``x.y``, which may be a module)."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def is_view(module: str) -> bool:
    """A module of the widgets layer that draws a section (not the kit, not a state.py)."""
    if module != WIDGETS and not module.startswith(WIDGETS + "."):
        return False
    if module in (WIDGETS, KIT) or module.startswith(KIT + "."):
        return False
    leaf = module.rpartition(".")[2]
    return leaf != "state" and (PACKAGE.parent / f"{module.replace('.', '/')}.py").exists()


def state_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("state.py"))


def kit_modules() -> list[Path]:
    return sorted((PACKAGE / "widgets" / "_kit").rglob("*.py"))


def test_the_globs_find_the_kit_and_tell_views_apart() -> None:
    kit = [module_name(p) for p in kit_modules()]
    assert f"{KIT}.page" in kit and f"{KIT}.autosave" in kit
    assert is_view(f"{WIDGETS}.share.gallery") and is_view(f"{WIDGETS}.dashboard")
    assert not is_view(f"{WIDGETS}.share.state")
    assert not is_view(f"{KIT}.styles") and not is_view("ilc_widgets.format")
    # the import reader sees relative imports for what they are
    seen = imported_modules(PACKAGE / "widgets" / "share" / "base.py")
    assert f"{KIT}.section" in seen and "ilc_widgets.reports" in seen


def state_problems(path: Path, root: Path = PACKAGE.parent) -> list[str]:
    """What a state module imports that it must not: ipywidgets, or a view."""
    imports = imported_modules(path, root)
    return sorted(
        m for m in imports if m == "ipywidgets" or m.startswith("ipywidgets.") or is_view(m)
    )


def test_state_modules_import_no_widgets_and_no_views() -> None:
    problems = {module_name(p): state_problems(p) for p in state_modules()}
    assert not {name: found for name, found in problems.items() if found}


def test_the_state_rule_catches_a_state_module_that_breaks_it(tmp_path: Path) -> None:
    folder = tmp_path / "ilc_widgets" / "widgets" / "intake"
    folder.mkdir(parents=True)
    state = folder / "state.py"
    state.write_text(
        "import ipywidgets as W\nfrom ..gallery import Gallery\nfrom ...format import number\n"
    )
    assert state_problems(state, tmp_path) == ["ilc_widgets.widgets.gallery", "ipywidgets"]
    state.write_text("from ...format import number\nfrom .._kit.page import Page\n")
    assert state_problems(state, tmp_path) == []


@pytest.mark.parametrize("path", kit_modules(), ids=lambda p: module_name(p))
def test_the_kit_imports_no_section_or_view(path: Path) -> None:
    views = sorted(m for m in imported_modules(path) if is_view(m))
    assert not views, f"{module_name(path)} imports the views {views}"


def test_only_the_kit_touches_asyncio_and_threads_in_the_widgets_layer() -> None:
    offenders = {}
    for path in sorted((PACKAGE / "widgets").rglob("*.py")):
        name = module_name(path)
        if name == KIT or name.startswith(KIT + "."):
            continue
        used = {
            m
            for m in imported_modules(path)
            if m.split(".")[0] in ("asyncio", "threading", "concurrent")
        }
        if used:
            offenders[name] = sorted(used)
    assert not offenders


#: Module sizes that keep a room small enough to read: the widgets layer, and the package.
WIDGETS_MAX_LINES = 600
PACKAGE_MAX_LINES = 1200


def _too_long(paths: list[Path], limit: int) -> list[str]:
    return [
        f"{p.relative_to(PACKAGE) if p.is_relative_to(PACKAGE) else p.name}: {n} lines"
        for p in paths
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > limit
    ]


def test_no_module_is_too_long_to_read() -> None:
    widgets = sorted((PACKAGE / "widgets").rglob("*.py"))
    assert widgets, "the widgets layer was not found"
    assert not _too_long(widgets, WIDGETS_MAX_LINES)
    assert not _too_long(sorted(PACKAGE.rglob("*.py")), PACKAGE_MAX_LINES)


def test_the_size_rule_catches_a_long_module(tmp_path: Path) -> None:
    long = tmp_path / "long.py"
    long.write_text("x = 1\n" * (WIDGETS_MAX_LINES + 1), encoding="utf-8")
    short = tmp_path / "short.py"
    short.write_text("x = 1\n", encoding="utf-8")
    assert _too_long([long, short], WIDGETS_MAX_LINES) == [f"{long.name}: 601 lines"]
