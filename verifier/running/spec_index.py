"""The index of the built-in specs: what listing, resolving and the dependency graph need of each result
(id, kind, paper, ``uses`` edges), cached on disk so that a command imports a paper's module only when
one of its results is asked for.

The cache file is keyed by a digest of the built-in package's source, the spec vocabulary, the
registry's own code and the Python and sympy versions: any edit rebuilds it (by importing every
module once, as an uncached load does). It lives in ``$VERIFY_CACHE_DIR`` (default
``$XDG_CACHE_HOME/theory-verifier``, else ``~/.cache/theory-verifier``); an unwritable cache only
costs the speed-up.
"""
from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.metadata
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import asdict, dataclass
from pathlib import Path

from verifier.running.check_code import check_name
from verifier.spec.results import Result

FORMAT = 2


@dataclass(frozen=True)
class Entry:
    """What the registry knows of a valid result without importing its module."""

    id: str
    kind: str
    number: str
    paper: str
    empirical: bool
    uses: tuple[str, ...] = ()
    assumes: tuple[str, ...] = ()
    check: str | None = None  # the check's name (module:function), None for a symbolic result

    @property
    def alias(self) -> str:
        return self.id.split("/", 1)[-1]

    @classmethod
    def of(cls, result: Result) -> Entry:
        return cls(result.id, result.kind.value, result.number, result.paper.key, result.empirical,
                   tuple(result.uses), tuple(result.assumes), None if result.check is None else check_name(result.check))


@dataclass(frozen=True)
class ModuleIndex:
    """One built-in module: its valid results and the load problems (as tuples of LoadProblem's fields)."""

    name: str
    source: str
    entries: tuple[Entry, ...]
    problems: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class _Deferred:
    entry: Entry
    module: str


class LazyResults(MutableMapping):
    """Result ids to results; a deferred result's module is imported on first access to any of its
    results (iteration, ``in`` and :meth:`entry` import nothing)."""

    def __init__(self, results: Mapping[str, Result] | None = None) -> None:
        self._items: dict[str, Result | _Deferred] = dict(results or {})

    def defer(self, entry: Entry, module: str) -> None:
        self._items[entry.id] = _Deferred(entry, module)

    def entry(self, result_id: str) -> Entry:
        item = self._items[result_id]
        return item.entry if isinstance(item, _Deferred) else Entry.of(item)

    def __getitem__(self, result_id: str) -> Result:
        item = self._items[result_id]
        if isinstance(item, _Deferred):
            self._import(item.module)
            item = self._items[result_id]
        return item

    def _import(self, name: str) -> None:
        module = importlib.import_module(name)
        by_id = {r.id: r for r in getattr(module, "RESULTS", ()) if isinstance(r, Result)}
        for rid, item in list(self._items.items()):
            if isinstance(item, _Deferred) and item.module == name:
                if rid not in by_id:
                    raise LookupError(f"{rid} is in the spec index of {name} but not in its RESULTS")
                self._items[rid] = by_id[rid]

    def __setitem__(self, result_id: str, result: Result) -> None:
        self._items[result_id] = result

    def __delitem__(self, result_id: str) -> None:
        del self._items[result_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, result_id: object) -> bool:
        return result_id in self._items


def cache_dir() -> Path:
    if os.environ.get("VERIFY_CACHE_DIR"):
        return Path(os.environ["VERIFY_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "theory-verifier"


def _key(package_paths: Iterable[str]) -> str:
    """Digest of every source file the index depends on."""
    engine = Path(__file__).resolve().parent.parent
    files = sorted(f for p in package_paths for f in Path(p).rglob("*.py"))
    files += sorted((engine / "spec").glob("*.py")) + [engine / "running" / "registry.py", Path(__file__)]
    digest = hashlib.sha256(f"{FORMAT} {sys.version} {importlib.metadata.version('sympy')}".encode())
    for file in files:
        digest.update(str(file).encode() + b"\0" + file.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def _decode(raw: dict) -> ModuleIndex:
    entries = tuple(Entry(**{**e, "uses": tuple(e["uses"]), "assumes": tuple(e["assumes"])}) for e in raw["entries"])
    return ModuleIndex(raw["name"], raw["source"], entries, tuple(tuple(p) for p in raw["problems"]))


def load(modules: list[str], package_paths: list[str],
         build: Callable[[str], ModuleIndex]) -> list[ModuleIndex]:
    """The index of ``modules``: read from the cache when its key matches, else built (``build``
    imports and validates one module) and written back, unless a module failed to import."""
    path = cache_dir() / f"spec-index-{_key(package_paths)}.json"
    try:
        cached = json.loads(path.read_text())
        if cached.get("modules") == modules:
            return [_decode(raw) for raw in cached["index"]]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    index = [build(name) for name in modules]
    if any(problem[2] == "import" for module in index for problem in module.problems):
        return index  # may come from the environment (a missing package), not the source: not cached
    write_cache_entry(path, json.dumps({"modules": modules, "index": [asdict(m) for m in index]}))
    return index


def write_cache_entry(path: Path, text: str) -> None:
    """Write a cache file whole or not at all (a temporary beside it, then renamed). A cache that cannot
    be written only costs the time: the error is dropped with the temporary."""
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text)
        temporary.replace(path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
