"""`verify boundary`: bisection on a claim whose boundary is known in closed form."""
import json
import re
import textwrap

import pytest

from verifier.interfaces.cli import main
from verifier.judging.boundary import bisect
from verifier.running.store import Store


def test_bisection_brackets_a_deterministic_change():
    seen = []

    def probe(x):
        seen.append(x)
        return "PASS" if x < 0.3 else ("INCONCLUSIVE" if x < 0.35 else "FAIL")

    found = bisect(probe, "x", 0.0, 1.0, probes=8)
    assert seen == [0.0, 1.0, 0.5, 0.25, 0.375, 0.3125, 0.28125, 0.296875]
    assert found.bracket == (0.296875, 0.3125) and found.below == "PASS" and found.above == "INCONCLUSIVE"
    assert found.changes and found.to_dict()["changes"]


def test_no_change_when_both_ends_agree():
    found = bisect(lambda x: "PASS", "x", 0.0, 1.0, probes=8)
    assert found.bracket is None and not found.changes and found.probes == [(0.0, "PASS"), (1.0, "PASS")]


def test_integer_parameters_stop_at_adjacent_values():
    found = bisect(lambda k: "FAIL" if k >= 7 else "PASS", "k", 1, 20, probes=50, integer=True)
    assert found.bracket == (6, 7) and len(found.probes) < 50


@pytest.mark.parametrize("low, high, probes", [(1.0, 1.0, 5), (0.0, float("inf"), 5), (0.0, 1.0, 1)])
def test_bad_ranges_are_refused(low, high, probes):
    with pytest.raises(ValueError):
        bisect(lambda x: "PASS", "x", low, high, probes)


PLUGIN = textwrap.dedent('''
    import numpy as np
    import sympy as sp
    from verifier import Bound, Kind, Paper, Parameter, Result

    PAPER = Paper(key="toyb", title="Toy", authors=("A",), year=2026)
    m = sp.Symbol("m")

    def scaled(params, replicas, seeds, device):
        """m = a x plus N(0, 0.005) noise per replica."""
        return {"m": np.array([params["a"] * params["x"] + np.random.default_rng(s).normal(0, 0.005) for s in seeds])}

    RESULTS = [Result(id="toyb/lemma-1", kind=Kind.LEMMA, number="1", title="scaled", paper=PAPER, statement="m <= 1",
                      parameters=(Parameter("a", "slope", lower=0.1, upper=10), Parameter("x", "position", lower=0, upper=5)),
                      profiles={"quick": {"a": 2.0, "x": 0.4}, "full": {"a": 2.0, "x": 0.4}},
                      replicas={"quick": 16, "full": 16}, measures={"m": "a x + noise"}, check=scaled,
                      claims=(Bound("m <= 1", quantity=m, relation="<=", bound=sp.Integer(1)),))]
''')


@pytest.fixture
def cli(tmp_path, capsys):
    package = tmp_path / "toy_boundary_plugin"  # a package: its seeds do not depend on tmp_path
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "specs.py").write_text(PLUGIN)

    def run(*argv):
        code = main([*argv, "--plugin", str(package / "specs.py"), "--store", str(tmp_path / "store.sqlite"),
                     "--device", "cpu"])
        out, err = capsys.readouterr()
        return code, out, err
    return run


def test_the_boundary_of_a_toy_claim_lies_in_the_reported_interval(cli, tmp_path):
    # m = a x with a = 2 and the claim m <= 1: the claim turns false at x = 1/a = 0.5. Below x = 0.25 the
    # negative control (m <= 1/2) is not rejected, hence the range starts at 0.3.
    argv = ("boundary", "toyb/lemma-1", "--along", "x", "--range", "0.3", "1.5", "--probes", "8")
    code, out, _ = cli(*argv, "--json", str(tmp_path / "b.json"), "--plot", str(tmp_path / "b.svg"))
    assert code == 0
    found = json.loads((tmp_path / "b.json").read_text())
    low, high = found["bracket"]
    assert low < 0.5 < high and high - low == pytest.approx(1.2 / 64)
    assert found["below"] == "PASS" and found["above"] in ("INCONCLUSIVE", "FAIL") and found["changes"]
    assert [p[0] for p in found["probes"][:3]] == [0.3, 1.5, 0.9] and len(found["probes"]) == 8
    assert f"between x = {low:.4g} and {high:.4g}" in " ".join(out.split())
    assert "(cached)" not in out and "<svg" in (tmp_path / "b.svg").read_text()
    code, again, _ = cli(*argv, "--json", str(tmp_path / "again.json"))  # every probe is a stored run
    assert again.count("(cached)") == 8
    assert json.loads((tmp_path / "again.json").read_text())["bracket"] == [low, high]
    store = Store(tmp_path / "store.sqlite")
    try:
        probe_run = store.load_run(found["runs"][2]["run_id"])
        after_search = store.latest("toyb/lemma-1")   # the probes are the search's, not the result's verdict
    finally:
        store.close()
    assert probe_run["options"]["overrides"] == {"x": 0.9} and probe_run["results"][0]["verdict"] == "FAIL"
    assert after_search is None
    assert cli("theorem", "toyb/lemma-1")[0] == 0
    store = Store(tmp_path / "store.sqlite")
    try:
        assert store.latest("toyb/lemma-1")["parameters"] == {"a": 2.0, "x": 0.4}
    finally:
        store.close()


def test_no_change_in_the_range_is_said(cli):
    code, out, _ = cli("boundary", "toyb/lemma-1", "--along", "x", "--range", "0.3", "0.45")
    assert code == 0 and "no change in [0.3, 0.45]: both ends are PASS" in out


@pytest.mark.parametrize("argv, needle", [
    (("--along", "y"), "--along y: toyb/lemma-1 has no parameter 'y'"),
    (("--along", "x", "--range", "0.3", "9"), "--range: --param x=9.0: outside the declared range"),
    (("--along", "x", "--range", "0.5", "0.3"), "expected LO < HI"),
    (("--along", "x", "--param", "x=1"), "also given as --param"),
    (("--along", "x", "--range", "0.3", "0.5", "--probes", "1"), "--probes 1: expected at least 2"),
])
def test_bad_boundary_input_is_one_line(cli, argv, needle):
    code, _, err = cli("boundary", "toyb/lemma-1", *argv)
    assert code == 2 and err.count("verify: error") == 1 and needle in err


def test_a_stored_boundary_search_is_in_the_html_report(cli, tmp_path, capsys):
    """The search is stored as a run of its own: `--html` and `verify report --run ID` render its probes and
    their plot inline in index.html, and the result's page in any report shows its newest search."""
    code, out, _ = cli("boundary", "toyb/lemma-1", "--along", "x", "--range", "0.3", "1.5", "--probes", "4",
                       "--json", str(tmp_path / "b.json"), "--html", str(tmp_path / "html"))
    found = json.loads((tmp_path / "b.json").read_text())
    assert code == 0 and f"HTML report of boundary search {found['search_id']} written to" in out
    # m = 2x: PASS at 0.3, FAIL at 1.5, 0.9 and 0.6, so the change lies in [0.3, 0.6]
    assert [p["verdict"] for p in found["runs"]] == ["PASS", "FAIL", "FAIL", "FAIL"] and found["bracket"] == [0.3, 0.6]
    store = tmp_path / "store.sqlite"
    assert main(["report", "--run", found["search_id"], "--html", str(tmp_path / "again"), "--store", str(store),
                 "--plugin", str(tmp_path / "toy_boundary_plugin" / "specs.py")]) == 0
    assert main(["report", "--html", str(tmp_path / "latest"), "--store", str(store),
                 "--plugin", str(tmp_path / "toy_boundary_plugin" / "specs.py")]) == 0   # the search: done last
    probe = found["runs"][-1]["run_id"]
    assert main(["report", "--run", probe, "--html", str(tmp_path / "probe"), "--store", str(store),
                 "--plugin", str(tmp_path / "toy_boundary_plugin" / "specs.py")]) == 0
    capsys.readouterr()
    # findings reads runs with results; a search's probes are part of it, not the latest run of their own
    assert main(["findings", "--store", str(store)]) == 2
    assert "no run with results apart from the probes of boundary searches" in capsys.readouterr().err
    pages = [tmp_path / "html" / "index.html", tmp_path / "again" / "index.html",
             tmp_path / "latest" / "index.html", tmp_path / "probe" / "toyb--lemma-1.html"]
    for page in pages:
        text = page.read_text()
        section = text[text.index('<section class="boundary"'):]
        section = section[:section.index("</section>")]
        assert "between x = 0.3 and 0.6" in section and found["search_id"] in section
        for probe in found["runs"]:
            assert probe["run_id"] in section and f">{probe['value']:g}<" in section
        assert section.count(">PASS</span>") == 1 and section.count(">FAIL</span>") == 3
        figure = section[section.index('<figure class="plot boundary"><svg '):]
        assert 'class="plot plot-boundary"' in figure and "<title>toyb/lemma-1: verdict along x</title>" in figure
        links = re.findall(r'(?:href|src)="([^"#][^"]*)"', section)
        assert [link for link in links if not link.endswith(".html")] == []   # inline: no image or script to fetch
