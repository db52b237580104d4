"""pytest plugin (entry point ``pytest11``): ``pytest --verify-theorems`` collects every known result
as a test item whose outcome is its verdict (PASS or SYMBOLIC passes). ``-k`` selects by id.

Nothing heavy is imported unless ``--verify-theorems`` is given.
"""
from __future__ import annotations

from typing import Any

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("theory-verifier")
    group.addoption("--verify-theorems", action="store_true", help="collect every theorem spec as a test")
    group.addoption("--verify-profile", default="quick", choices=("quick", "full"), help="parameter profile")
    group.addoption("--verify-device", default="auto", choices=("auto", "cpu", "cuda"), help="where checks run")
    group.addoption("--verify-plugin", action="append", default=[], help="extra spec file or folder")
    group.addoption("--verify-store", default=None, help="results store (default: the user's cache)")


class VerdictFailure(Exception):
    """A result whose verdict is not PASS or SYMBOLIC."""


class TheoremItem(pytest.Item):
    """One result; running it verifies it and everything it uses (check runs are shared per session)."""

    def __init__(self, *, result_id: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.result_id = result_id

    def runtest(self) -> None:
        runner = self.config.stash[_RUNNER]
        records = {r["id"]: r for r in runner.run([self.result_id], argv=["pytest", self.result_id]).results}
        record = records[self.result_id]
        self.user_properties.append(("verdict", record["verdict"]))
        if record["verdict"] not in ("PASS", "SYMBOLIC"):
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


_RUNNER = pytest.StashKey[Any]()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("verify_theorems"):
        return
    from verifier.running import registry as reg
    from verifier.running.environment import resolve_device
    from verifier.running.runner import Options, Runner
    from verifier.running.store import Store, default_path

    registry = reg.load(config.getoption("verify_plugin"))
    for problem in registry.problems:
        config.issue_config_time_warning(pytest.PytestWarning(f"could not load {problem}"), stacklevel=2)
    options = Options(profile=config.getoption("verify_profile"), device=resolve_device(config.getoption("verify_device")))
    store = Store(config.getoption("verify_store") or default_path())
    config.stash[_RUNNER] = Runner(registry, options, store)
    config.add_cleanup(store.close)
    for rid in registry.graph_closure(registry.results):
        items.append(TheoremItem.from_parent(session, name=rid, result_id=rid))
