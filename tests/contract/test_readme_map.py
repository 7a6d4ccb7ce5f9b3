"""The README's module map ("How it is built") and the tree agree: every module is named
in it, and every ``name.py`` it names exists (a map that drifts misleads the next
developer more than no map)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "mlcalc_gui"


def module_map() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## How it is built")
    block = re.search(r"```\n(mlcalc_gui/\n.*?)```", text[start:], re.S)
    assert block, "the README's module map (a code block under 'How it is built') is gone"
    return block.group(1)


def modules() -> list[Path]:
    return sorted(p.relative_to(PACKAGE) for p in PACKAGE.rglob("*.py")
                  if p.name not in ("__init__.py", "__main__.py"))


def test_every_module_is_in_the_readme_map():
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", module_map()))
    missing = [str(p) for p in modules() if p.stem not in words]
    assert not missing, f"modules the README's map does not name: {missing}"


def test_every_module_the_map_names_exists():
    stems = {p.stem for p in modules()} | {p.parent.name for p in modules()}
    named = set(re.findall(r"\b([a-z_][a-z0-9_]*)\.py\b", module_map()))
    gone = sorted(named - stems)
    assert not gone, f"the README's map names modules that are not in the tree: {gone}"


def test_every_folder_is_in_the_readme_map():
    block = module_map()
    folders = sorted({p.parent for p in modules()} - {Path(".")})
    missing = [str(f) for f in folders if not re.search(rf"\b{f.name}/", block)]
    assert not missing, f"folders the README's map does not name: {missing}"
