"""Issue #19: `verify findings` lists the statements found in a paper that FAIL inside their regime,
apart from failures of our reconstructions and from PASS verdicts with no power; the HTML index opens
with the same lists."""
import textwrap

from verifier.interfaces.cli import main
from verifier.judging import findings

PLUGIN = textwrap.dedent('''
    import numpy as np
    import sympy as sp
    from verifier import Bound, Kind, Paper, Parameter, Result

    PAPER = Paper(key="find", title="Findings", authors=("A",), year=2026)
    x = sp.Symbol("x")

    def values(params, replicas, seeds, device):
        z = np.random.default_rng(9).normal(size=replicas)
        return {"x": (z - z.mean()) / z.std(ddof=1) * 0.1 + 1.0}       # mean 1, tight

    def result(slug, claim, tag, assumptions=()):
        return Result(id=f"find/{slug}", kind=Kind.LEMMA, number=slug, title=slug, statement="x", paper=PAPER, tag=tag,
                      parameters=(Parameter("a", "size"),), profiles={"quick": {"a": 1.0}, "full": {"a": 1.0}},
                      replicas={"quick": 16, "full": 16}, measures={"x": "values"}, check=values, claims=(claim,),
                      assumptions=assumptions)

    FALSE = Bound("x <= 0.5", quantity=x, bound=0.5)
    RESULTS = [result("lemma-found", FALSE, "FOUND (primary)"),
               result("lemma-ours", FALSE, "R-low"),
               result("lemma-outside", FALSE, "FOUND (primary)", (sp.Ge(sp.Symbol("a"), 10),)),
               result("lemma-slack", Bound("x <= 100", quantity=x, bound=100,
                                           explicit_control=Bound("c", quantity=x, relation=">=", bound=5)), "FOUND (primary)")]
''')


def test_findings_separate_the_papers_failures_from_ours(tmp_path, capsys):
    plugin = tmp_path / "find_plugin.py"
    plugin.write_text(PLUGIN)
    common = ["--plugin", str(plugin), "--no-autoload", "--store", str(tmp_path / "s.sqlite")]
    assert main(["paper", "find", "--device", "cpu", "--html", str(tmp_path / "html"), *common]) == 1
    capsys.readouterr()
    assert main(["findings", *common]) == 0
    printed = capsys.readouterr().out
    paper, ours, powerless = (printed.split("Findings: ")[1], printed.split("Our reconstructions")[1],
                              printed.split("PASS verdicts with no power")[1])
    assert "find/lemma-found [FOUND]" in paper.split("Our reconstructions")[0]
    assert "lemma-outside" not in printed.split("PASS verdicts")[0]          # outside its regime: not a finding
    assert "find/lemma-ours [RECONSTRUCTED (R-low)]" in ours.split("PASS verdicts")[0]
    assert "find/lemma-slack" in powerless and "slack by 100x" in powerless
    index = (tmp_path / "html" / "index.html").read_text()
    assert index.index('id="findings"') < index.index('class="graph"')         # the index opens with them
    assert 'class="findings findings-paper"><li><a href="find--lemma-found.html">' in index


def test_a_failing_claim_of_our_own_inside_a_found_result_is_not_a_finding():
    record = {"id": "p/x", "own_verdict": "FAIL", "regime": "inside", "provenance": {"found": True, "label": "FOUND"},
              "claims": [{"label": "a", "verdict": "FAIL", "provenance": {"found": False, "label": "RECONSTRUCTED"}}]}
    collected = findings.collect([record])
    assert collected["paper"] == [] and [i["id"] for i in collected["reconstruction"]] == ["p/x"]


def test_a_finding_whose_verdict_depends_on_the_reading_says_so(capsys):
    """A found statement failing inside its regime is still a finding when another admissible reading would
    not fail it, but every output says that the verdict depends on the reading."""
    from verifier.presentation import terminal

    record = {"id": "p/lemma-1", "title": "t", "own_verdict": "FAIL", "verdict": "FAIL", "regime": "inside",
              "provenance": {"found": True, "label": "FOUND"}, "reading_dependent": True,
              "claims": [{"label": "x >= c", "verdict": "FAIL", "statistic": "mean", "estimate": -0.9,
                          "ci": [-1.1, -0.7], "relation": ">= 0"}]}
    item = findings.collect([record])["paper"][0]
    assert item["reading_dependent"] is True
    assert findings.collect([{**record, "reading_dependent": False}])["paper"][0]["reading_dependent"] is False
    terminal.print_findings([record])
    assert "p/lemma-1 [FOUND]: t (the verdict depends on the reading)" in capsys.readouterr().out
