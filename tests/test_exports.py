"""CI exports (JUnit XML, CTRF JSON, Markdown summary) of a real small run with every verdict kind,
validated against the formats' published schemas (tests/data/README.md cites them)."""
import json
import re
import textwrap
from collections import Counter
from pathlib import Path

import jsonschema
import pytest
from lxml import etree

from verifier.interfaces.cli import main
from verifier.presentation import exports

DATA = Path(__file__).parent / "data"

PLUGIN = textwrap.dedent('''
    import numpy as np
    import sympy as sp
    from verifier import Bound, Identity, Kind, Paper, Parameter, Result

    PAPER = Paper(key="toy", title="Toy", authors=("A",), year=2026)
    x, mu = sp.symbols("x mu")

    def gaussian_mean(params, replicas, seeds, device):
        """Replica means of 200 N(mu, 1) draws, each replica from its own seed."""
        return {"x": np.array([np.random.default_rng(s).normal(params["mu"], 1, 200).mean() for s in seeds])}

    def raises(params, replicas, seeds, device):
        raise FloatingPointError("loss is inf at step 3")

    def result(slug, claims, uses=(), check=gaussian_mean, tag="FOUND", assumptions=()):
        return Result(id=f"toy/{slug}", kind=Kind.LEMMA, number=slug, title=slug, paper=PAPER, statement="x",
                      parameters=(Parameter("mu", "mean"),), profiles={"quick": {"mu": 1.0}, "full": {"mu": 1.0}},
                      replicas={"quick": 32, "full": 64}, measures={"x": "sample mean"}, check=check,
                      claims=claims, uses=uses, tag=tag, assumptions=assumptions)

    RESULTS = [
        result("lemma-true", (Bound("mean <= 1.5 mu", quantity=x, relation="<=", bound=1.5 * mu),)),
        result("lemma-false", (Bound("mean <= mu / 2", quantity=x, relation="<=", bound=mu / 2),
                               Bound("mean <= 1.2 mu", quantity=x, relation="<=", bound=1.2 * mu))),
        result("lemma-edge", (Bound("mean <= mu", quantity=x, relation="<=", bound=mu),)),
        result("lemma-outside", (Bound("mean <= 1.5 mu", quantity=x, relation="<=", bound=1.5 * mu),),
               assumptions=(mu > 5,)),
        result("lemma-raises", (Bound("never judged", quantity=x, relation="<=", bound=mu),), check=raises),
        result("lemma-symbolic", (Identity("one | one", lhs=sp.Integer(1), rhs=sp.Integer(1)),), check=None),
        result("theorem-blocked", (Identity("two", lhs=sp.Integer(2), rhs=sp.Integer(2)),), uses=("toy/lemma-raises",),
               check=None),
    ]
''')


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """`verify paper toy` writing every export, and the run's JSON: (folder, run, exit code)."""
    folder = tmp_path_factory.mktemp("exports")
    (folder / "toy_plugin.py").write_text(PLUGIN)
    code = main(["paper", "toy", "--plugin", str(folder / "toy_plugin.py"), "--device", "cpu", "--no-autoload",
                 "--store", str(folder / "s.sqlite"), "--json", str(folder / "run.json"),
                 "--junit", str(folder / "junit.xml"), "--ctrf", str(folder / "ctrf.json"),
                 "--summary-md", str(folder / "summary.md")])
    return folder, json.loads((folder / "run.json").read_text()), code


def test_the_run_has_every_verdict(exported):
    _, run, code = exported
    verdicts = {r["id"]: r["verdict"] for r in run["results"]}
    assert code == 1
    assert verdicts == {"toy/lemma-true": "PASS", "toy/lemma-false": "FAIL", "toy/lemma-edge": "INCONCLUSIVE",
                        "toy/lemma-outside": "INCONCLUSIVE",
                        "toy/lemma-raises": "ERROR", "toy/lemma-symbolic": "SYMBOLIC", "toy/theorem-blocked": "BLOCKED"}
    assert run["started"] <= run["finished"]


def test_junit_is_schema_valid_and_maps_each_verdict(exported):
    folder, run, _ = exported
    schema = etree.XMLSchema(etree.parse(str(DATA / "junit-10.xsd")))
    document = etree.parse(str(folder / "junit.xml"))
    schema.assertValid(document)
    suite = document.getroot().find("testsuite")
    broken = etree.fromstring(etree.tostring(document))     # negative control: the schema has teeth
    del broken.find("testsuite").attrib["failures"]
    broken.find("testsuite/testcase").append(etree.Element("inconclusive"))
    assert not schema.validate(etree.ElementTree(broken)) and len(schema.error_log) == 2
    properties = {p.get("name"): p.get("value") for p in suite.find("properties")}
    assert properties["run_id"] == run["run_id"] and properties["seed"] == "0" and properties["profile"] == "quick"
    assert properties["device"] == "cpu" and properties["correction"] == "holm"
    cases = {(c.get("classname"), c.get("name")): c for c in suite.findall("testcase")}
    assert len(cases) == 8 and suite.get("tests") == "8" and properties["correction_changed"] == "0"
    assert (suite.get("failures"), suite.get("errors"), suite.get("skipped")) == ("1", "1", "3")
    assert list(cases[("toy/lemma-true", "mean <= 1.5 mu")]) == []
    assert list(cases[("toy/lemma-symbolic", "one | one")]) == []
    assert list(cases[("toy/lemma-false", "mean <= 1.2 mu")]) == []          # the passing claim of a FAIL result
    failure = cases[("toy/lemma-false", "mean <= mu / 2")].find("failure")
    claim = next(c for r in run["results"] if r["id"] == "toy/lemma-false" for c in r["claims"])
    low, high = (exports.terminal.number(v) for v in claim["ci"])
    assert failure.get("message").startswith(f"FAIL: {claim['statistic']} = ") and f"[{low}, {high}]" in failure.get("message")
    assert "needs <= 0" in failure.get("message") and "reproduce: verify theorem toy/lemma-false" in failure.text
    error = cases[("toy/lemma-raises", "(exception)")].find("error")
    assert error.get("message") == "ERROR: FloatingPointError: loss is inf at step 3" and "Traceback" in error.text
    skipped = cases[("toy/lemma-edge", "mean <= mu")].find("skipped")
    assert skipped.get("type") == "INCONCLUSIVE" and "needs <= 0" in skipped.get("message")
    outside = cases[("toy/lemma-outside", "mean <= 1.5 mu")].find("skipped")   # the data's PASS is withheld
    assert outside.get("message").startswith("INCONCLUSIVE: outside the stated regime (mu > 5)")
    assert "(this claim's data: PASS: mean(quantity - bound) = " in outside.get("message")
    blocked = cases[("toy/theorem-blocked", "two")].find("skipped")
    assert blocked.get("message") == "BLOCKED: blocked by toy/lemma-raises (this claim alone: SYMBOLIC: " \
                                     "simplify(lhs - rhs) = 0)"


def test_ctrf_is_schema_valid_and_lossless(exported):
    folder, run, _ = exported
    document = json.loads((folder / "ctrf.json").read_text())
    schema = json.loads((DATA / "ctrf.schema.json").read_text())
    jsonschema.validate(document, schema)
    broken = json.loads(json.dumps(document))               # negative control: the schema has teeth
    broken["results"]["tests"][0]["status"] = "inconclusive"
    with pytest.raises(jsonschema.ValidationError, match="inconclusive"):
        jsonschema.validate(broken, schema)
    tests = {t["testId"]: t for t in document["results"]["tests"]}
    raw = {key: (t["status"], t["rawStatus"]) for key, t in tests.items()}
    assert raw == {"toy/lemma-true::mean <= 1.5 mu": ("passed", "PASS"),
                   "toy/lemma-false::mean <= mu / 2": ("failed", "FAIL"),
                   "toy/lemma-false::mean <= 1.2 mu": ("passed", "PASS"),
                   "toy/lemma-edge::mean <= mu": ("other", "INCONCLUSIVE"),
                   "toy/lemma-outside::mean <= 1.5 mu": ("other", "INCONCLUSIVE"),
                   "toy/lemma-raises::(exception)": ("failed", "ERROR"),
                   "toy/lemma-symbolic::one | one": ("other", "SYMBOLIC"),
                   "toy/theorem-blocked::two": ("other", "BLOCKED")}
    summary = document["results"]["summary"]
    assert (summary["tests"], summary["passed"], summary["failed"], summary["other"], summary["skipped"]) == (8, 2, 2, 4, 0)
    assert summary["start"] == round(run["started"] * 1000) and summary["stop"] == round(run["finished"] * 1000)
    assert summary["extra"]["theory_verifier.result_verdicts"] == dict(Counter(r["verdict"] for r in run["results"]))
    failing = tests["toy/lemma-false::mean <= mu / 2"]
    assert failing["suite"] == ["toy", "toy/lemma-false"] and failing["parameters"] == {"mu": 1.0}
    assert failing["labels"]["theory_verifier.provenance"] == "FOUND"
    assert failing["extra"]["theory_verifier.claim"]["ci"] == next(
        r for r in run["results"] if r["id"] == "toy/lemma-false")["claims"][0]["ci"]
    assert document["runId"] == run["run_id"] and "loss is inf" in tests["toy/lemma-raises::(exception)"]["message"]


def test_markdown_counts_equal_the_json(exported):
    folder, run, _ = exported
    text = (folder / "summary.md").read_text()
    rows = dict(re.findall(r"^\| (PASS|FAIL|INCONCLUSIVE|ERROR|BLOCKED|SYMBOLIC) \| (\d+) \|", text, re.MULTILINE))
    assert {v: int(n) for v, n in rows.items()} == dict(Counter(r["verdict"] for r in run["results"]))
    assert "7 results, 7 claims" in text  # the ERROR judged none
    assert "**Findings: statements found in the paper that FAIL inside their regime (after the family correction)**: 1" in text
    assert "- `toy/lemma-false` [FOUND]" in text
    claim = next(r for r in run["results"] if r["id"] == "toy/lemma-false")["claims"][0]
    number = exports.terminal.number
    assert (f"| `toy/lemma-false` | FAIL | mean <= mu / 2 | {claim['statistic']} = {number(claim['estimate'])} "
            f"[{number(claim['ci'][0])}, {number(claim['ci'][1])}], needs <= 0 |") in text
    assert "| `toy/lemma-raises` | ERROR | (exception) | FloatingPointError: loss is inf at step 3 |" in text
    assert "HTML report" not in text
    assert exports.summary_markdown(run, folder / "html" / "index.html").endswith(
        f"HTML report: [index.html]({folder / 'html' / 'index.html'})\n")


def test_report_renders_a_stored_run_without_running(exported, capsys, monkeypatch):
    folder, run, _ = exported
    from verifier.running import executors

    def no_check(*args, **kwargs):
        raise AssertionError("verify report ran a check")

    monkeypatch.setattr(executors, "run_job", no_check)
    store = str(folder / "s.sqlite")
    code = main(["report", "--run", run["run_id"], "--junit", str(folder / "again.xml"), "--ctrf",
                 str(folder / "again.json"), "--summary-md", str(folder / "again.md"), "--store", store, "--no-autoload",
                 "--plugin", str(folder / "toy_plugin.py")])
    out = capsys.readouterr().out
    assert code == 0 and f"JUnit XML of run {run['run_id']} written to {folder / 'again.xml'}" in out
    first, again = (etree.parse(str(folder / name)).getroot() for name in ("junit.xml", "again.xml"))
    assert [(c.get("classname"), c.get("name"), [e.tag for e in c]) for c in first.iter("testcase")] == \
        [(c.get("classname"), c.get("name"), [e.tag for e in c]) for c in again.iter("testcase")]
    summary = json.loads((folder / "again.json").read_text())["results"]["summary"]
    assert (summary["start"], summary["stop"]) == (round(run["started"] * 1000), round(run["finished"] * 1000))
    assert (folder / "again.md").read_text() == (folder / "summary.md").read_text()


def test_report_needs_something_to_write(exported, capsys):
    folder, _, _ = exported
    code = main(["report", "--store", str(folder / "s.sqlite"), "--no-autoload"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and err == [("verify: error: nothing to write: give --html DIR, --junit PATH, --ctrf PATH or "
                                  "--summary-md PATH")]
    code = main(["report", str(folder / "a"), "--html", str(folder / "b"), "--store", str(folder / "s.sqlite")])
    assert code == 2 and "given twice" in capsys.readouterr().err
