"""pytest plugin (entry point ``pytest11``): ``pytest --verify-theorems`` collects every known result
as a test item whose outcome is its verdict (PASS or SYMBOLIC passes). ``-k`` selects by id.
``--verify-adaptive`` and ``--verify-seeds K`` are the CLI's ``--adaptive`` and ``--seeds K``: with
several seeds an item passes only when its verdict is PASS or SYMBOLIC under every one.

Nothing heavy is imported unless ``--verify-theorems`` is given.
"""
from __future__ import annotations

import argparse
from typing import Any

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("theory-verifier")
    group.addoption("--verify-theorems", action="store_true", help="collect every theorem spec as a test")
    group.addoption("--verify-profile", default="quick", choices=("quick", "full"), help="parameter profile")
    group.addoption("--verify-device", default="auto", choices=("auto", "cpu", "cuda"), help="where checks run")
    group.addoption("--verify-plugin", action="append", default=[], help="extra spec file or folder")
    group.addoption("--verify-store", default=None, help="results store (default: the user's cache)")
    group.addoption("--verify-adaptive", action="store_true",
                    help="run replicas in rounds until every claim is decided by an anytime-valid test")
    group.addoption("--verify-seeds", type=_positive_int, default=1, metavar="K",
                    help="run under K master seeds and fail a result whose verdict is not PASS or SYMBOLIC "
                         "under every one (default 1)")


def _positive_int(text: str) -> int:
    """``--verify-seeds``: an integer of at least 1, with a one-line error saying so."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


class VerdictFailure(Exception):
    """A result whose verdict is not PASS or SYMBOLIC."""


class TheoremItem(pytest.Item):
    """One result; running it verifies it and everything it uses (check runs are shared per session)."""

    def __init__(self, *, result_id: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.result_id = result_id

    def runtest(self) -> None:
        from verifier.running import seed_sweep

        runners, store = self.config.stash[_RUNNERS]
        base = seed_sweep.sweep(runners, store, [self.result_id], argv=["pytest", self.result_id])[0]
        record = next(r for r in base.results if r["id"] == self.result_id)
        self.user_properties.append(("verdict", record["verdict"]))
        verdicts = (record.get("stability") or {}).get("verdicts") or [record["verdict"]]
        if any(verdict not in ("PASS", "SYMBOLIC") for verdict in verdicts):
            raise VerdictFailure(record)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style=None) -> str:
        if isinstance(excinfo.value, VerdictFailure):
            import io

            from verifier.presentation.terminal import print_table

            buffer = io.StringIO()
            print_table([excinfo.value.args[0]], buffer)
            return buffer.getvalue()
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[str, int, str]:
        return self.result_id, 0, f"theorem {self.result_id}"


_RUNNERS = pytest.StashKey[Any]()  # (one Runner per master seed, the store)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("verify_theorems"):
        return
    from verifier.running import registry as reg
    from verifier.running import seed_sweep
    from verifier.running.environment import resolve_device
    from verifier.running.runner import Options
    from verifier.running.store import Store, default_path

    registry = reg.load(config.getoption("verify_plugin"))
    for problem in registry.problems:
        config.issue_config_time_warning(pytest.PytestWarning(f"could not load {problem}"), stacklevel=2)
    options = Options(profile=config.getoption("verify_profile"), device=resolve_device(config.getoption("verify_device")),
                      adaptive=config.getoption("verify_adaptive"))
    store = Store(config.getoption("verify_store") or default_path())
    config.stash[_RUNNERS] = (seed_sweep.seed_runners(registry, options, store, config.getoption("verify_seeds")), store)
    config.add_cleanup(store.close)
    for rid in registry.graph_closure(registry.results):
        items.append(TheoremItem.from_parent(session, name=rid, result_id=rid))
