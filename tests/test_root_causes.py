"""Issue #20: a BLOCKED result names the results at the bottom of its blocking chains, not only the
dependency that blocks it directly."""
import networkx as nx

from verifier.judging.graph import blocking, root_causes
from verifier.judging.verdicts import Verdict


def test_root_causes_follow_blocked_dependencies_down_to_what_errored_or_never_ran():
    graph = nx.DiGraph([("leaf-error", "middle"), ("middle", "top"), ("never-run", "top"), ("failing", "top"),
                        ("fine", "middle")])
    verdicts = {"leaf-error": Verdict.ERROR, "middle": Verdict.BLOCKED, "failing": Verdict.FAIL, "fine": Verdict.PASS}
    assert blocking(graph, "top", verdicts) == ["middle", "never-run"]
    assert root_causes(graph, "top", verdicts) == ["leaf-error", "never-run"]    # FAIL only weakens support
    assert root_causes(graph, "failing", verdicts) == []
