"""The disk cache of symbolic decisions (issue 21): a second decision of the same claim is read back, equal
to the first; a change to the claim (even only a symbol's assumption) is a new entry; a broken entry or an
unwritable cache falls back to deciding."""
from __future__ import annotations

import sympy as sp

from verifier.judging import evaluate
from verifier.running import symbolic_cache
from verifier.spec.claims import Identity, Limit

x = sp.Symbol("x")


def _entries(cache) -> list:
    return sorted((cache / "symbolic").glob("*.json"))


def test_second_decision_comes_from_disk_and_equals_the_first(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("VERIFY_CACHE_DIR", str(tmp_path))
    claim = Identity("double angle", lhs=sp.sin(2 * x), rhs=2 * sp.sin(x) * sp.cos(x))
    first = symbolic_cache.judge_symbolic_cached(claim)
    assert first.verdict == "SYMBOLIC" and len(_entries(tmp_path)) == 1
    calls = []
    monkeypatch.setattr(symbolic_cache, "judge_symbolic", lambda c: calls.append(c))
    second = symbolic_cache.judge_symbolic_cached(claim)
    assert calls == [] and second == first


def test_a_changed_claim_is_a_new_entry(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("VERIFY_CACHE_DIR", str(tmp_path))
    plain = Limit("limit", expr=sp.sqrt(x**2), var=x, point=sp.oo, value=sp.oo)
    positive = Limit("limit", expr=sp.sqrt(sp.Symbol("x", positive=True)**2), var=sp.Symbol("x", positive=True),
                     point=sp.oo, value=sp.oo)
    assert symbolic_cache.claim_key(plain) != symbolic_cache.claim_key(positive)   # same text, other symbol
    false = Identity("false", lhs=x + 1, rhs=x + 2)
    assert symbolic_cache.judge_symbolic_cached(false).verdict == "FAIL"
    assert symbolic_cache.judge_symbolic_cached(plain).verdict == evaluate.judge_symbolic(plain).verdict
    assert len(_entries(tmp_path)) == 2


def test_broken_entry_and_unwritable_cache_fall_back_to_deciding(tmp_path, monkeypatch) -> None:
    claim = Identity("square", lhs=(x + 1)**2, rhs=x**2 + 2 * x + 1)
    monkeypatch.setenv("VERIFY_CACHE_DIR", str(tmp_path))
    path = tmp_path / "symbolic" / f"{symbolic_cache.claim_key(claim)}.json"
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    assert symbolic_cache.judge_symbolic_cached(claim).verdict == "SYMBOLIC"
    assert path.read_text().startswith("{\"label\"")                                  # rewritten whole
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("VERIFY_CACHE_DIR", str(blocker))                               # a file: no folder below
    assert symbolic_cache.judge_symbolic_cached(claim).verdict == "SYMBOLIC"
    assert not list(tmp_path.glob("**/*.tmp"))
