"""The house rules, read from the source: every import statement (module level and inside functions)
of ``verifier``, ``theorems`` and ``checks`` becomes an edge of a networkx graph, which must have no
cycle and must respect each room's rule (see ``verifier/<room>/__init__.py`` and the README)."""
from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("verifier", "theorems", "checks")
# what each room of the engine may import of the engine besides itself
ROOM_MAY_IMPORT = {
    "spec": set(),
    "judging": {"spec"},
    "running": {"spec", "judging"},
    "presentation": {"spec", "judging"},
    "interfaces": {"spec", "judging", "running", "presentation"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> nx.DiGraph:
    """Module -> imported module, for the project's own modules."""
    files = {_module_name(p): p for package in PACKAGES for p in (ROOT / package).rglob("*.py")}
    graph = nx.DiGraph()
    graph.add_nodes_from(files)
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = importlib.util.resolve_name("." * node.level + (node.module or ""), package) if node.level \
                    else node.module or ""
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in files else base for alias in node.names]
            for target in targets:
                while target and target not in files:  # `import a.b.c` of a name inside a module
                    target = target.rpartition(".")[0]
                if target and target != name:
                    graph.add_edge(name, target)
    return graph


def _room(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if parts[0] == "verifier" and len(parts) > 2 and parts[1] in ROOM_MAY_IMPORT else None


@pytest.fixture(scope="module")
def graph() -> nx.DiGraph:
    return import_graph()


def test_the_graph_is_read_from_the_source(graph):
    assert graph.has_edge("verifier.running.runner", "verifier.running.executors")
    assert graph.has_edge("verifier.interfaces.cli", "verifier.presentation.html")
    assert graph.number_of_nodes() > 50


def test_no_import_cycle(graph):
    cycles = list(nx.simple_cycles(graph))
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c + c[:1]) for c in cycles)


def test_each_room_imports_only_what_its_rule_allows(graph):
    broken = []
    for source, target in graph.edges:
        room, other = _room(source), _room(target)
        if room and other and other != room and other not in ROOM_MAY_IMPORT[room]:
            broken.append(f"{source} -> {target}")
    assert not broken, "room rules broken: " + ", ".join(broken)


def test_presentation_never_reaches_the_runner(graph):
    reached = {t for s in graph if _room(s) == "presentation" for t in nx.descendants(graph, s)}
    assert not {m for m in reached if m.startswith("verifier.running")}


def test_the_engine_knows_no_paper_and_specs_know_no_checks(graph):
    for source, target in graph.edges:
        assert not (source.startswith("verifier") and target.split(".")[0] in ("theorems", "checks")), (source, target)
        assert not (source.startswith("theorems") and target.startswith("checks")), (source, target)
        assert not (source.startswith("checks") and target.startswith("theorems")), (source, target)


def test_a_cycle_or_a_forbidden_import_would_be_seen(tmp_path):
    """The checks above can fail: a graph with a back edge from presentation to the runner has both."""
    graph = import_graph()
    graph.add_edge("verifier.running.runner", "verifier.presentation.terminal")
    graph.add_edge("verifier.presentation.terminal", "verifier.running.runner")
    assert list(nx.simple_cycles(graph))
    assert any(_room(s) == "presentation" and _room(t) == "running" for s, t in graph.edges)


def test_a_check_split_over_modules_is_versioned_by_all_of_them():
    """The cache key of a check covers the modules of its own package that it imports (a change to the
    trainer of the modality-competition check must invalidate its stored measurements)."""
    from verifier.running.check_code import check_modules

    names = {m.__name__ for m in check_modules("checks.modality_competition:joint_vs_unimodal")}
    assert {"checks.modality_competition", "checks.modality_competition_model", "checks.modality_competition_training",
            "checks.modality_competition_dynamics", "checks._params"} <= names
    assert not any(name.startswith(("verifier", "torch", "numpy")) for name in names)
