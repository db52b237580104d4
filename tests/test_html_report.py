"""HTML report: rendered from a run of a small plugin paper made here, stored in a store made here."""
from __future__ import annotations

import json
import re
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from verifier.presentation import html as html_report
from verifier.presentation import plots
from verifier.running import registry as reg
from verifier.running.runner import Options, Runner
from verifier.running.store import Store

XSS = "<script>alert(1)</script>"

PLUGIN = textwrap.dedent(r'''
    import numpy as np
    import sympy as sp
    from verifier import Approx, Bound, Identity, Kind, Paper, Parameter, Rate, Result
    from verifier.spec.figures import Histogram, LogLog, Sweep, Trajectory

    PAPER = Paper(key="toy", title="Toy paper", authors=("A. Author",), year=2026)
    x, mu, err, sizes = sp.symbols("x mu err sizes")
    XSS = "<script>alert(1)</script>"
    STATEMENT = (r"\widetilde{\mathrm{ReLU}}(z)=\begin{cases}0,& z\le0\\ \frac{z^q}{q\varrho^{q-1}},& z\in[0,\varrho]"
                 r"\end{cases},\quad \Pr_{\mathcal D}[\bar x\le 1.5\mu]\ge 1-o(1)")

    def simulate(params, replicas, seeds, device):
        """Replica means of 200 N(mu, 1) draws, a noisy trajectory (R, T, 3, 2) and a sweep err ~ size^-1/2."""
        rngs = [np.random.default_rng(s) for s in seeds]
        steps = np.arange(0, 60, 5)
        rate = np.array([0.05, 0.02])
        traj = np.stack([(1 - np.exp(-steps[:, None, None] * rate)) * (1 + 0.05 * r.normal(size=(steps.size, 3, 2)))
                         for r in rngs])
        size_grid = np.array([10.0, 20.0, 40.0, 80.0, 160.0])
        return {"x": np.array([r.normal(params["mu"], 1, 200).mean() for r in rngs]), "traj": traj,
                "steps": steps, "sizes": size_grid,
                "err": np.stack([size_grid ** -0.5 * np.exp(0.05 * r.normal(size=size_grid.size)) for r in rngs])}

    def broken(params, replicas, seeds, device):
        raise ValueError("bad <input> & more")

    MEASURES = {"x": "sample mean", "traj": "a trajectory", "steps": "recorded steps", "sizes": "sweep sizes",
                "err": "error per size"}

    def result(slug, claims, uses=(), check=simulate, statement="x", **extra):
        return Result(id=f"toy/{slug}", kind=Kind.LEMMA, number=slug, title=extra.pop("title", slug), paper=PAPER,
                      statement=statement, parameters=(Parameter("mu", extra.pop("mu_text", "mean"), lower=0),),
                      profiles={"quick": {"mu": 1.0}, "full": {"mu": 1.0}}, replicas={"quick": 16, "full": 32},
                      measures=MEASURES, check=check, claims=claims, uses=uses, **extra)

    RESULTS = [
        result("lemma-true", (Bound("mean <= 1.5 mu", quantity=x, relation="<=", bound=1.5 * mu),),
               statement=STATEMENT, reading="The o(1) is read as 0.",
               plots=(Histogram("x", "sample means", bound=1.5 * mu),
                      Trajectory(y="traj", x="steps", title="trajectory", reduce_axes=(2,), series_axis=3,
                                 series_labels=("modality 1", "modality 2"), hlines=(("threshold", "mu"),)),
                      Sweep(x="sizes", measured="err", predicted=sizes ** -0.5, log=True, title="sweep"),
                      LogLog(x="sizes", y="err", slope=-0.5, title="rate"))),
        result("lemma-false", (Bound("mean <= mu / 2", quantity=x, relation="<=", bound=mu / 2),), tag="FOUND (primary)"),
        result("lemma-loose", (Approx("mean = mu", quantity=x, target=mu, rtol=0.5, control_factor=1.2),)),
        result("rate", (Rate("err ~ size^-1/2", quantity=err, over=sizes, exponent=-0.5, tol=0.2),)),
        result("lemma-error", (Bound("never judged", quantity=x, relation="<=", bound=mu),), check=broken),
        result("definition-sym", (Identity("one", lhs=sp.Integer(1), rhs=sp.Integer(1)),), check=None,
               statement=r"\mathbb E_{\mathcal D}\big[\widetilde{\mathrm{ReLU}}(z)\big]\ge0"),
        result("theorem-good", (Identity("two", lhs=sp.Integer(2), rhs=sp.Integer(2)),), check=None,
               uses=("toy/lemma-true", "toy/definition-sym")),
        result("theorem-broken", (Identity("two", lhs=sp.Integer(2), rhs=sp.Integer(2)),), check=None,
               uses=("toy/lemma-false", "toy/definition-sym")),
        result("theorem-blocked", (Identity("two", lhs=sp.Integer(2), rhs=sp.Integer(2)),), check=None,
               uses=("toy/lemma-error", "toy/definition-sym")),
        result("theorem-induction", (Identity("three", lhs=sp.Integer(3), rhs=sp.Integer(3)),), check=None,
               uses=("toy/definition-sym",), assumes=("toy/theorem-blocked",)),
        result("xss", (Bound(XSS, quantity=x, relation="<=", bound=1.5 * mu),), statement=XSS,
               reading=XSS, title=XSS, mu_text=XSS, plots=(Histogram("x", title=XSS),)),
    ]
''')

EXPECTED = {"toy/lemma-true": "PASS", "toy/lemma-false": "FAIL", "toy/lemma-loose": "INCONCLUSIVE", "toy/rate": "PASS",
            "toy/lemma-error": "ERROR", "toy/definition-sym": "SYMBOLIC", "toy/theorem-good": "SYMBOLIC",
            "toy/theorem-broken": "SYMBOLIC", "toy/theorem-blocked": "BLOCKED", "toy/theorem-induction": "SYMBOLIC", "toy/xss": "PASS"}


def make_run(folder: Path) -> tuple[dict, reg.Registry, Store]:
    """Run the toy plugin paper into a fresh store; the run record, registry and store."""
    plugin = folder / "toy_report_plugin.py"
    plugin.write_text(PLUGIN)
    registry = reg.load([str(plugin)], autoload=False)
    assert not [p for p in registry.problems if "toy" in str(p)], registry.problems
    store = Store(folder / "store.sqlite")
    targets = sorted(rid for rid in registry.results if rid.startswith("toy/"))
    record = Runner(registry, Options(device="cpu"), store).run(targets, argv=["paper", "toy"])
    return record.to_dict(), registry, store


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("html")
    run, registry, store = make_run(folder)
    index = html_report.write_report(run, folder / "report", registry, store)
    yield run, registry, store, index
    store.close()


def pages(index: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in index.parent.glob("*.html")}


def svgs(text: str, cls: str) -> list[ET.Element]:
    """Every inline <svg> with the given class, parsed as XML (so each is well-formed)."""
    found = re.findall(rf'<svg xmlns="http://www.w3.org/2000/svg" class="{cls}[^"]*".*?</svg>', text, flags=re.S)
    return [ET.fromstring(s) for s in found]


SVG = "{http://www.w3.org/2000/svg}"


def test_verdicts_of_the_toy_run(report):
    run, *_ = report
    assert {r["id"]: r["verdict"] for r in run["results"]} == EXPECTED


def test_index_links_every_result_page_and_groups_by_paper(report):
    run, _, _, index = report
    text = index.read_text()
    names = html_report.page_names(r["id"] for r in run["results"])
    for rid, name in names.items():
        assert f'href="{name}"' in text, rid
        assert (index.parent / name).is_file()
        page = (index.parent / name).read_text()
        assert 'href="index.html"' in page
    assert 'id="paper-toy"' in text and "Toy paper" in text and "A. Author" in text


def test_graph_has_a_node_per_result_coloured_by_verdict(report):
    run, _, _, index = report
    graph = svgs(index.read_text(), "dependency-graph")
    assert len(graph) == 1
    nodes = {g.get("data-id"): g for g in graph[0].iter(f"{SVG}g") if "node" in (g.get("class") or "").split()}
    assert set(nodes) == set(EXPECTED)
    for rid, verdict in EXPECTED.items():
        node = nodes[rid]
        assert node.get("data-verdict") == verdict
        assert node.find(f"{SVG}rect").get("fill") == html_report.VERDICT_COLOURS[verdict][0]
    links = {a.get("href") for a in graph[0].iter(f"{SVG}a")}
    assert links == set(html_report.page_names(EXPECTED).values())
    edges = {(g.get("data-from"), g.get("data-to")): g.get("class") for g in graph[0].iter(f"{SVG}g") if g.get("data-from")}
    assert edges[("toy/lemma-true", "toy/theorem-good")] == "edge"
    assert edges[("toy/lemma-error", "toy/theorem-blocked")] == "edge blocking"
    assert edges[("toy/lemma-false", "toy/theorem-broken")] == "edge weak broken"    # a FOUND statement fails
    assert edges[("toy/theorem-blocked", "toy/theorem-induction")] == "edge assumes"  # shown, not blocking
    page = (index.parent / "toy--theorem-induction.html").read_text()
    assert '<section class="assumes">' in page and 'href="toy--theorem-blocked.html"' in page


def test_blocked_node_and_page_name_the_blocker(report):
    _, _, _, index = report
    graph = svgs(index.read_text(), "dependency-graph")[0]
    node = next(g for g in graph.iter(f"{SVG}g") if g.get("data-id") == "toy/theorem-blocked")
    assert node.get("data-blocked-by") == "toy/lemma-error"
    text = " ".join(t.text or "" for t in node.iter(f"{SVG}text"))
    assert "blocked by" in text and "lemma-error" in text
    blocking = [g for g in graph.iter(f"{SVG}g") if "blocking" in (g.get("class") or "")]
    assert [(g.get("data-from"), g.get("data-to")) for g in blocking] == [("toy/lemma-error", "toy/theorem-blocked")]
    page = (index.parent / "toy--theorem-blocked.html").read_text()
    assert 'blocked by <a href="toy--lemma-error.html">toy/lemma-error</a>' in page
    assert "its own verdict is" in page and "SYMBOLIC" in page


def test_every_spec_string_is_escaped(report):
    _, _, _, index = report
    everything = pages(index)
    for name, text in everything.items():
        assert XSS not in text, name
        assert "<img" not in text and "onerror" not in text
    page = everything["toy--xss.html"]
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert page.count(escaped) >= 5  # title, statement (and its source), reading, claim label, parameter, plot title
    assert f'<div class="math display">{escaped}</div>' in page
    assert escaped in everything["index.html"]  # the title in the results table
    error_page = everything["toy--lemma-error.html"]
    assert "bad &lt;input&gt; &amp; more" in error_page and "bad <input>" not in error_page


def test_plots_are_inline_svg(report):
    _, _, _, index = report
    page = (index.parent / "toy--lemma-true.html").read_text()
    kinds = [svg.get("class") for svg in svgs(page, "plot")]
    # the claim's estimate against its claim and its automatic histogram, then the four declared plots
    assert kinds == ["plot plot-estimate", "plot plot-histogram", "plot plot-histogram", "plot plot-trajectory",
                     "plot plot-sweep", "plot plot-loglog"]
    assert "plot-error" not in page
    trajectory = svgs(page, "plot plot-trajectory")[0]
    labels = [t.text for t in trajectory.iter(f"{SVG}text")]
    assert "modality 1 (median)" in labels and "modality 2 (median)" in labels and "threshold = 1" in labels
    bands = [g for g in trajectory.iter(f"{SVG}g") if "-band-" in (g.get("id") or "")]
    assert len(bands) == 2  # a replica band per series
    estimate = svgs(page, "plot plot-estimate")[0]
    legend = [t.text for t in estimate.iter(f"{SVG}text")]
    assert "claimed = 1.5" in legend and "negative control = 0.75" in legend and "acceptance region" in legend
    assert any((t or "").startswith("decided on mean(quantity - bound) = ") and t.endswith("accepted when <= 0")
               for t in legend)                                          # the interval the verdict was decided on
    rate = (index.parent / "toy--rate.html").read_text()
    loglog = svgs(rate, "plot plot-loglog")
    assert len(loglog) == 1
    legend = " ".join(t.text or "" for t in loglog[0].iter(f"{SVG}text"))
    assert "claimed slope -0.5" in legend and "fit: slope" in legend
    assert "<svg" not in (index.parent / "toy--definition-sym.html").read_text()  # symbolic: nothing to plot


def test_maths_statement_and_claim_formula_are_left_to_katex(report):
    _, _, _, index = report
    page = (index.parent / "toy--lemma-true.html").read_text()
    assert r'<div class="math display">\widetilde{\mathrm{ReLU}}(z)=\begin{cases}0,&amp; z\le0' in page
    assert r"\mathbb{E}\big[\mathrm{x}\big] \le 1.5 \mu" in page  # the claim as LaTeX, from the spec
    for asset in ("static/katex/katex.min.js", "static/report.js", "static/katex/katex.min.css", "static/report.css"):
        assert f'"{asset}"' in page and (index.parent / asset).is_file()
    fonts = list((index.parent / "static/katex/fonts").glob("*.woff2"))
    assert len(fonts) >= 15
    css = (index.parent / "static/katex/katex.min.css").read_text()
    assert "woff2" in css and '.woff)' not in css and ".ttf" not in css  # only the shipped fonts are referenced
    assert "@media print" in (index.parent / "static/report.css").read_text()


def test_all_links_are_relative_and_resolve(report):
    _, _, _, index = report
    for name, text in pages(index).items():
        for ref in re.findall(r'(?:href|src)="([^"]*)"', text):
            if ref.startswith(("#", "data:")):
                continue
            assert not re.match(r"^[a-z]+:", ref) and not ref.startswith("/"), (name, ref)
            assert (index.parent / ref).exists(), (name, ref)


def test_footer_has_reproduction_and_provenance(report):
    run, _, _, index = report
    record = next(r for r in run["results"] if r["id"] == "toy/lemma-true")
    page = (index.parent / "toy--lemma-true.html").read_text()
    footer = page[page.index("<footer"):]
    assert f'<code class="spec-hash">{record["spec_hash"]}</code>' in footer
    assert "verify theorem toy/lemma-true --profile quick --seed 0 --device cpu --plugin " in footer
    assert f"--html {index.parent}" in footer
    assert f"verify report --run {run['run_id']}" in footer
    assert str(record["seeds"][0]) in footer and "16 replicas" in footer
    for key in ("numpy", "sympy", "python"):
        assert f"<td>{key}</td>" in footer
    assert json.loads((index.parent / "run.json").read_text())["run_id"] == run["run_id"]


def test_measurement_intervals_and_negative_control(report):
    run, _, _, index = report
    page = (index.parent / "toy--lemma-true.html").read_text()
    measurements = page[page.index('<section class="measurements"'):]
    row = re.search(r"<td><code>x</code></td>(.*?)</tr>", measurements).group(1)
    claim = next(r for r in run["results"] if r["id"] == "toy/lemma-true")["claims"][0]
    # the t-interval of the 16 replica means is the claim's measured interval (same values, same level)
    assert f"<td>{html_report.interval(claim['observed_ci'])}</td>" in row
    lo, hi = claim["observed_ci"]
    assert 0.85 < lo < hi < 1.15
    assert "negative control" in page and "rejected" in page
    loose = (index.parent / "toy--lemma-loose.html").read_text()
    assert "NOT rejected" in loose


def test_renders_from_the_json_alone(report, tmp_path):
    run, *_ = report
    clean = json.loads(json.dumps(run, default=str))
    next(r for r in clean["results"] if r["id"] == "toy/lemma-true")["check_notes"] = ["batch <halved> for memory"]
    index = html_report.write_report(clean, tmp_path / "bare")
    text = index.read_text()
    graph = svgs(text, "dependency-graph")[0]
    assert {g.get("data-id") for g in graph.iter(f"{SVG}g") if g.get("data-id")} == set(EXPECTED)
    page = (tmp_path / "bare" / "toy--lemma-true.html").read_text()
    assert [svg.get("class") for svg in svgs(page, "plot")] == ["plot plot-estimate"]  # the JSON's numbers only
    assert "stored measurement arrays" in page
    assert r"\widetilde{\mathrm{ReLU}}" in page
    assert '<p class="warning check-note">batch &lt;halved&gt; for memory</p>' in page


def test_dependencies_missing_from_the_run_are_drawn_as_not_run(report, tmp_path):
    run, registry, *_ = report
    partial = dict(run, results=[r for r in run["results"] if r["id"] not in ("toy/lemma-true", "toy/definition-sym")])
    index = html_report.write_report(partial, tmp_path / "partial", registry)
    graph = svgs(index.read_text(), "dependency-graph")[0]
    nodes = {g.get("data-id"): g for g in graph.iter(f"{SVG}g") if g.get("data-id")}
    assert nodes["toy/lemma-true"].get("data-verdict") == "not run"
    linked = {a.find(f"{SVG}g").get("data-id") for a in graph.iter(f"{SVG}a")}
    assert "toy/lemma-true" not in linked and "toy/theorem-good" in linked


def test_load_run_rebuilds_the_stored_run(report, tmp_path):
    run, registry, store, _ = report
    again = store.load_run("latest")
    assert again["run_id"] == run["run_id"] and again["argv"] == ["paper", "toy"]
    assert [r["id"] for r in again["results"]] == [r["id"] for r in run["results"]]
    assert again["options"]["profile"] == "quick" and again["options"]["device"] == "cpu"
    assert again["targets"] == run["targets"]
    html_report.write_report(again, tmp_path / "again", registry, store)
    assert (tmp_path / "again" / "toy--lemma-true.html").read_text().count("<svg") == 6
    with pytest.raises(LookupError):
        store.load_run("nosuchrun")


def test_page_names_are_safe_and_unique():
    names = html_report.page_names(["p/a b", "p/a_b", "p/../x", "index"])
    assert len(set(names.values())) == 4
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+\.html", n) and n != "index.html" for n in names.values())


def test_plot_reductions_and_errors():
    data = {"y": np.arange(2 * 3 * 4 * 2, dtype=float).reshape(2, 3, 4, 2), "t": np.arange(3)}
    spec = plots.Trajectory(y="y", x="t", reduce_axes=(2,), reduce="max", series_axis=3)
    reduced = plots._trajectory_array(spec, data["y"])
    assert reduced.shape == (2, 3, 2) and reduced[0, 0, 1] == data["y"][0, 0, :, 1].max()
    selected = plots._trajectory_array(plots.Trajectory(y="y", x="t", select=((2, 1),), series_axis=3), data["y"])
    assert np.array_equal(selected, data["y"][:, :, 1, :])
    with pytest.raises(plots.PlotError, match="reduce_axes or select"):
        plots.render(plots.Trajectory(y="y", x="t"), {}, data)
    with pytest.raises(plots.PlotError, match="nothing"):
        plots.render(plots.Histogram("nothing"), {}, data)
    assert "no finite values" in plots.histogram_svg(np.array([np.nan]), title="t")
    constant = plots.histogram_svg(np.ones(5), title="constant", markers=[plots.Marker(2.0, "bound")])
    ET.fromstring(constant)


def test_figures_are_deterministic_with_ids_of_their_own_and_log_axes():
    """matplotlib draws the figures: the same figure twice gives the same bytes (no date, salted ids), two
    figures on a page share no id, a ladder is drawn on log axes (ticks 10^k typeset by the library), and
    text stays searchable text."""
    rng = np.random.default_rng(4)
    values = rng.normal(size=40)
    first = plots.histogram_svg(values, title="means", markers=[plots.Marker(1.0, "bound")])
    assert first == plots.histogram_svg(values, title="means", markers=[plots.Marker(1.0, "bound")])
    sizes = np.tile([10.0, 100.0, 1000.0], (4, 1))
    ladder = plots.loglog_svg(sizes, sizes ** -0.5 * np.exp(rng.normal(0, 0.05, sizes.shape)), -0.5, title="rate")
    ids = [re.findall(r'\bid="([^"]+)"', svg) for svg in (first, ladder)]
    assert ids[0] and ids[1] and not set(ids[0]) & set(ids[1]) and len(set(ids[1])) == len(ids[1])
    assert "Date" not in first and "<dc:date>" not in first
    root = ET.fromstring(ladder)
    spans = ["".join(part.strip() for part in t.itertext()) for t in root.iter(f"{SVG}text")]
    assert {"10¹", "10²", "10³"} <= set(spans)                          # the x decades, each one text node
    assert any(s.startswith("10⁻") for s in spans)                      # y decades below 1
    assert "claimed slope -0.5" in spans and "rate" in spans
    estimate = ET.fromstring(plots.estimate_svg({"statistic": "mean(quantity - bound)", "observed": 0.3,
                                                 "observed_ci": [0.1, 0.5], "claimed": 1.0, "region": ["-inf", 0],
                                                 "alpha": 0.05, "label": "lemma"}))
    entries = ["".join(t.itertext()) for t in estimate.iter(f"{SVG}text")]
    assert entries.index("measured 0.3") < entries.index("95% CI [0.1, 0.5]")   # the measurement, then its interval


def test_support_provenance_power_and_the_deciding_interval_are_shown(report):
    """Issue #18: the graph frames each node with its support and colours the weak links; pages show the
    provenance, the support with its weak links, the interval the verdict was decided on with its
    relation, p-values, the power statement, and the run's family correction."""
    _, _, _, index = report
    graph = svgs(index.read_text(), "dependency-graph")[0]
    node = next(g for g in graph.iter(f"{SVG}g") if g.get("data-id") == "toy/theorem-broken")
    assert node.get("data-verdict") == "SYMBOLIC" and node.get("data-support") == "broken"
    assert node.find(f"{SVG}rect").get("stroke") == html_report.SUPPORT_COLOURS["broken"]
    page = (index.parent / "toy--theorem-broken.html").read_text()
    assert "support: broken" in page and 'href="toy--lemma-false.html">toy/lemma-false</a>' in page
    assert "broken proof step" in page
    lemma = (index.parent / "toy--lemma-true.html").read_text()
    assert "source: <span class=\"provenance\">undeclared</span>" in lemma
    assert "decided on</th><td>mean(quantity - bound) = " in lemma and "accepted when &lt;= 0" in lemma
    assert "p_fail 1" in lemma and "smallest violation detectable with power 0.8" in lemma
    front = index.read_text()
    assert "holm correction over the" in front and "<td data-label=\"source\">FOUND</td>" in front  # lemma-false's source


def test_script_in_title_claim_label_and_note_is_escaped_on_every_page(report, tmp_path):
    """A spec string holding a script tag, as a result's title, a claim's label and a note (the record's
    regime note and a check's note), is shown escaped wherever a page shows it and never raw."""
    run, registry, store, _ = report
    tampered = json.loads(json.dumps(run, default=str))
    record = next(r for r in tampered["results"] if r["id"] == "toy/xss")
    assert record["title"] == XSS and [c["label"] for c in record["claims"]] == [XSS]  # from the spec
    record["note"] = f"outside the stated regime ({XSS})"
    record["check_notes"] = [XSS]
    index = html_report.write_report(tampered, tmp_path / "escaped", registry, store)
    everything = pages(index)
    assert set(everything) == {"index.html", *html_report.page_names(EXPECTED).values()}
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    for name, text in everything.items():
        assert XSS not in text and "<script>alert" not in text, name
        assert text.count("<script") == text.count('<script src="static/'), name  # only the report's own scripts
        if "toy/xss" in text:
            assert escaped in text, name
    front = everything["index.html"]
    assert f'<a href="toy--xss.html">toy/xss</a></td><td data-label="kind">lemma xss</td><td data-label="title">{escaped}</td>' in front  # the title
    page = everything["toy--xss.html"]
    assert f"<h1>Lemma xss: {escaped}</h1>" in page                                     # the title
    assert f'</span> {escaped} <span class="muted">(' in page                           # the claim's label
    assert f'<p class="warning">outside the stated regime ({escaped})</p>' in page      # the note
    assert f'<p class="warning check-note">{escaped}</p>' in page                       # the check's note


def test_options_as_typed_readings_as_maths_and_evidence_before_parameters(report, tmp_path):
    """The run's options are shown as the command line that was typed; a reading's symbol and estimator are
    left to KaTeX as LaTeX; a result page shows its claims (the evidence) before its parameters."""
    run, _, _, index = report
    typed = json.loads(json.dumps(run, default=str))
    typed["argv"] = ["paper", "toy", "--profile", "quick", "--set", "mu=1 2"]
    typed["readings"] = {"o1": {"name": "o1", "word": "o(1)", "means": "zero", "symbol": "c_0", "value": 0.5,
                                "aliases": {"x_hat": "test_err"}, "why": "", "provenance": None, "alternatives": {}}}
    front = html_report.write_report(typed, tmp_path / "typed").read_text()
    assert "Options, as typed: <code class=\"argv\">verify paper toy --profile quick --set &#39;mu=1 2&#39;</code>" in front
    assert "profile = quick" not in front
    assert '<span class="math inline">c_{0} = 0.5</span>' in front
    assert '<span class="math inline">x_{hat} \\coloneqq \\mathrm{test\\_err}</span>' in front
    page = (index.parent / "toy--lemma-true.html").read_text()
    assert page.index('id="claims"') < page.index('id="plots"') < page.index('id="parameters"')
    assert page.index('id="claims"') < page.index('class="reading"')
