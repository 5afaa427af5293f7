"""The package's shape: one `storybot` namespace, no import cycles, no private names across modules,
and the retrieval library never reaching for Telegram or the front ends."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import storybot

ROOTS = {"storybot": Path(storybot.__file__).parent}
ROOTS["storybot.index"] = ROOTS["storybot"].parent / "index"
ROOTS["storybot.bot"] = ROOTS["storybot"].parent / "bot"


def modules() -> dict[str, Path]:
    """Every module of the installed package, by dotted name (package-dir maps index/ and bot/ into it)."""
    found: dict[str, Path] = {}
    for package, folder in ROOTS.items():
        for path in folder.rglob("*.py"):
            relative = path.relative_to(folder).with_suffix("")
            parts = [p for p in relative.parts if p != "__init__"]
            name = ".".join([package, *parts])
            if package == "storybot" and parts and parts[0] in ("index", "bot"):
                continue
            found[name] = path
    return found


def imports(name: str, path: Path, known: set[str]) -> list[tuple[str, str | None, bool]]:
    """(module imported, name taken from it or None, at module level?) for each storybot import."""
    tree = ast.parse(path.read_text("utf-8"))
    top_level = {id(node) for node in tree.body}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, None, id(node) in top_level) for a in node.names if a.name.startswith("storybot")]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            if not base.startswith("storybot"):
                continue
            for alias in node.names:
                full = f"{base}.{alias.name}"
                if full in known:  # `from package import module`
                    out.append((full, None, id(node) in top_level))
                else:
                    out.append((base, alias.name, id(node) in top_level))
    return out


def graph() -> tuple[dict[str, set[str]], list[str]]:
    mods = modules()
    known = set(mods)
    edges: dict[str, set[str]] = {m: set() for m in mods}
    private: list[str] = []
    for name, path in mods.items():
        for target, symbol, _ in imports(name, path, known):
            edges[name].add(target)
            if symbol and symbol.startswith("_") and target != name:
                private.append(f"{name} imports {symbol} from {target}")
    return edges, private


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            # A package's __init__ importing its own submodules is how packages expose their API.
            if nxt.startswith(node + "."):
                continue
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt in edges and not state.get(nxt):
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if not state.get(node):
            found = visit(node)
            if found:
                return found
    return None


def test_no_import_cycles():
    edges, _ = graph()
    assert find_cycle(edges) is None


def test_no_private_name_is_imported_from_another_module():
    _, private = graph()
    assert private == []


def test_the_retrieval_library_never_imports_telegram_or_the_front_ends():
    offenders = []
    for name, path in modules().items():
        if not name.startswith("storybot.index"):
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for imported in names:
                if imported.split(".")[0] == "telegram" or imported.startswith(("storybot.bot", "storybot.cli",
                                                                                  "storybot.terminal")):
                    offenders.append(f"{name}: {imported}")
    assert offenders == []


def test_the_cycle_finder_finds_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


def test_only_storybot_is_installed_top_level(tmp_path):
    """From outside the checkout, `storybot` imports and generic names like `index` or `bot` do not."""
    code = ("import importlib.util as u, storybot, storybot.index, storybot.bot, storybot.cli;"
            "print(u.find_spec('index') is None, u.find_spec('bot') is None)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]


@pytest.mark.parametrize("args", [["--help"], ["index", "--help"]])
def test_python_dash_m_storybot_is_the_command(args, tmp_path):
    result = subprocess.run([sys.executable, "-m", "storybot", *args], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0 and "Usage" in result.stdout
