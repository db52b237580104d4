"""Exports that CI systems and trackers read, rendered from a run's record (``RunRecord.to_dict()`` or
``Store.load_run()``): JUnit XML, a CTRF JSON report and a Markdown step summary. Nothing is re-run.

Every claim is one test case (classname or suite: the result id; name: the claim's label); a result
without claims (an ERROR before any claim was judged) is one case, and a check's exception is one more
case beside the claims it judged. A case reports its claim's verdict, except where the result withholds
it: a BLOCKED result's claims are BLOCKED, and outside the stated regime a PASS, FAIL or INCONCLUSIVE
claim is INCONCLUSIVE (the data's verdict is kept in the message).

JUnit: PASS and SYMBOLIC pass, FAIL is a ``<failure>``, ERROR an ``<error>``, INCONCLUSIVE and BLOCKED
are ``<skipped>``. CTRF (https://ctrf.io, specVersion 0.0.0, the pre-1.0 working draft): PASS is
``passed``, FAIL and ERROR are ``failed``, INCONCLUSIVE, BLOCKED and SYMBOLIC are ``other`` (none is a
skip: each was judged), and every case keeps the verifier's verdict in ``rawStatus``.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from verifier.judging import findings as found
from verifier.presentation import atomic, terminal

VERDICTS = ("PASS", "FAIL", "INCONCLUSIVE", "ERROR", "BLOCKED", "SYMBOLIC")
WITHHELD_OUTSIDE_REGIME = ("PASS", "FAIL", "INCONCLUSIVE")
CTRF_STATUS = {"PASS": "passed", "FAIL": "failed", "ERROR": "failed", "INCONCLUSIVE": "other", "BLOCKED": "other",
               "SYMBOLIC": "other"}
CTRF_SPEC_VERSION = "0.0.0"
TOOL = "theory-verifier"
NAMESPACE = "theory_verifier."  # prefix of this tool's keys in CTRF's ``labels`` and ``extra``


@dataclass(frozen=True)
class Case:
    """One test case: a claim of a result (``claim`` None for the case of an exception or of a result
    without claims), the verdict it reports and why."""

    record: Mapping[str, Any]
    claim: Mapping[str, Any] | None
    name: str
    verdict: str
    message: str
    seconds: float  # the result's wall time on its first case, 0 on the others (claims are judged together)


def decided(claim: Mapping[str, Any]) -> str:
    """The interval a claim was decided on and the region it had to fall in (sympy: its detail)."""
    if claim.get("statistic") == "sympy":
        return claim.get("detail") or "decided symbolically"
    estimate = " ".join(part for part in (terminal.number(claim.get("estimate")), terminal.interval(claim.get("ci"))) if part)
    return f"{claim.get('statistic')} = {estimate}, needs {claim.get('relation', '')}"


def _claim_case(record: Mapping[str, Any], claim: Mapping[str, Any], seconds: float) -> Case:
    verdict, reason = claim["verdict"], decided(claim)
    if claim.get("detail") and claim.get("statistic") != "sympy" and verdict != "PASS":
        reason += f"; {claim['detail']}"
    if record["verdict"] == "BLOCKED":
        reason = f"blocked by {', '.join(record.get('blocked_by') or [])} (this claim alone: {verdict}: {reason})"
        verdict = "BLOCKED"
    elif record.get("regime") == "outside" and record.get("note") and verdict in WITHHELD_OUTSIDE_REGIME:
        reason = f"{record['note']} (this claim's data: {verdict}: {reason})"
        verdict = "INCONCLUSIVE"
    return Case(record, claim, claim.get("label") or "(claim)", verdict, f"{verdict}: {reason}", seconds)


def _result_case(record: Mapping[str, Any], seconds: float) -> Case:
    """The case of a result's exception, or of a result that judged no claim."""
    verdict = record["verdict"] if record["verdict"] == "BLOCKED" or not record.get("exception") else "ERROR"
    reason = record.get("exception") or record.get("note") or "no claim was judged"
    if verdict == "BLOCKED":
        reason = f"blocked by {', '.join(record.get('blocked_by') or [])} (own verdict {record['own_verdict']}: {reason})"
    return Case(record, None, "(exception)" if record.get("exception") else "(result)", verdict,
                f"{verdict}: {reason}", seconds)


def cases(run: Mapping[str, Any]) -> list[Case]:
    """The run's test cases, result by result in the run's order."""
    out: list[Case] = []
    for record in run.get("results") or []:
        seconds = float(record.get("seconds") or 0.0)
        claims = record.get("claims") or []
        for i, claim in enumerate(claims):
            out.append(_claim_case(record, claim, seconds if i == 0 else 0.0))
        if record.get("exception") or not claims:
            out.append(_result_case(record, 0.0 if claims else seconds))
    return out


def _started(run: Mapping[str, Any]) -> float:
    return float(run["started"])


def _finished(run: Mapping[str, Any]) -> float:
    """When the run ended; for a run killed before it finished, its start plus its results' seconds."""
    return float(run.get("finished") or _started(run) + sum(float(r.get("seconds") or 0) for r in run["results"]))


def corrected(run: Mapping[str, Any]) -> int:
    """How many FAIL claims the run's family correction turned INCONCLUSIVE."""
    return sum(1 for r in run.get("results") or [] for c in r.get("claims") or [] if c.get("verdict_before_correction"))


def run_properties(run: Mapping[str, Any]) -> dict[str, str]:
    """Run-level facts as strings: run id, the options that were set (seed, profile, device, family
    correction, ...), what the correction changed, targets, and the environment's versions."""
    options = run.get("options") or {}
    properties = {"run_id": str(run["run_id"])}
    properties.update((key, str(value)) for key, value in options.items() if value is not None)
    properties["correction_changed"] = str(corrected(run))
    properties["targets"] = " ".join(run.get("targets") or [])
    properties.update((f"environment.{key}", str(value)) for key, value in (run.get("environment") or {}).items())
    return properties


def junit_xml(run: Mapping[str, Any]) -> str:
    """A JUnit XML document (``<testsuites>`` holding one ``<testsuite>`` for the run, its properties
    first, as pytest writes them)."""
    all_cases = cases(run)
    counts = Counter(case.verdict for case in all_cases)
    failures, errors, skipped = counts["FAIL"], counts["ERROR"], counts["INCONCLUSIVE"] + counts["BLOCKED"]
    seconds = f"{max(0.0, _finished(run) - _started(run)):.3f}"
    root = ET.Element("testsuites", name=TOOL, tests=str(len(all_cases)), failures=str(failures),
                      errors=str(errors), time=seconds)
    stamp = datetime.fromtimestamp(_started(run), tz=timezone.utc).isoformat(timespec="seconds")
    suite = ET.SubElement(root, "testsuite", name=f"verify run {run['run_id']}", tests=str(len(all_cases)),
                          failures=str(failures), errors=str(errors), skipped=str(skipped), time=seconds,
                          timestamp=stamp)
    properties = ET.SubElement(suite, "properties")
    for name, value in run_properties(run).items():
        ET.SubElement(properties, "property", name=name, value=value)
    for case in all_cases:
        element = ET.SubElement(suite, "testcase", classname=case.record["id"], name=case.name,
                                time=f"{case.seconds:.3f}")
        tag = {"FAIL": "failure", "ERROR": "error", "INCONCLUSIVE": "skipped", "BLOCKED": "skipped"}.get(case.verdict)
        if tag is None:
            continue
        outcome = ET.SubElement(element, tag, message=case.message, type=case.verdict)
        details = [terminal.raw_line(dict(case.claim))] if case.claim and case.claim.get("statistic") != "sympy" else []
        if case.record.get("traceback") and case.claim is None:
            details.append(case.record["traceback"])
        details.append("reproduce: " + case.record.get("reproduce", ""))
        outcome.text = "\n".join(details)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _labels(record: Mapping[str, Any], case: Case) -> dict[str, Any]:
    """Key-value metadata of a case (CTRF ``labels``: primitives only, nothing empty)."""
    source = (case.claim or {}).get("provenance") or record.get("provenance") or {}
    labels = {"result": record["id"], "claim": case.name, "paper": record.get("paper"), "kind": record.get("kind"),
              "provenance": source.get("label"), "support": record.get("support"), "regime": record.get("regime"),
              "statistic": (case.claim or {}).get("statistic")}
    return {NAMESPACE + key: value for key, value in labels.items() if value not in (None, "")}


def _ctrf_test(case: Case) -> dict[str, Any]:
    record = case.record
    test: dict[str, Any] = {
        "name": f"{record['id']}: {case.name}", "testId": f"{record['id']}::{case.name}",
        "status": CTRF_STATUS[case.verdict], "rawStatus": case.verdict, "duration": round(case.seconds * 1000),
        "suite": [record.get("paper") or record["id"].split("/", 1)[0], record["id"]],
        "tags": [tag for tag in (record.get("kind"), (record.get("provenance") or {}).get("label")) if tag],
        "labels": _labels(record, case), "parameters": dict(record.get("parameters") or {}),
        "extra": {NAMESPACE + "claim": dict(case.claim or {}),
                  NAMESPACE + "result": {key: record.get(key) for key in (
                      "verdict", "own_verdict", "data_verdict", "support", "support_weak_links", "blocked_by", "note",
                      "exception", "no_power", "replicas", "seed", "check", "spec_hash", "reproduce")}},
    }
    if case.verdict != "PASS":
        test["message"] = case.message
    if case.claim is None and record.get("traceback"):
        test["trace"] = record["traceback"]
    return test


def ctrf(run: Mapping[str, Any]) -> dict[str, Any]:
    """A CTRF document of the run: one test per case, the run's options and family correction in
    ``extra``, its environment's versions under ``environment``."""
    tests = [_ctrf_test(case) for case in cases(run)]
    statuses = Counter(test["status"] for test in tests)
    start, stop = round(_started(run) * 1000), round(_finished(run) * 1000)
    environment = run.get("environment") or {}
    return {
        "reportFormat": "CTRF", "specVersion": CTRF_SPEC_VERSION, "runId": str(run["run_id"]),
        "generatedBy": f"{TOOL} {environment.get(TOOL, '')}".strip(),
        "results": {
            "tool": {"name": TOOL, "version": str(environment.get(TOOL, "unknown"))},
            "summary": {"tests": len(tests), **{s: statuses[s] for s in ("passed", "failed", "skipped", "pending", "other")},
                        "suites": len(run.get("results") or []), "start": start, "stop": stop, "duration": stop - start,
                        "extra": {NAMESPACE + "verdicts": dict(Counter(test["rawStatus"] for test in tests)),
                                  NAMESPACE + "result_verdicts": verdict_counts(run)}},
            "tests": tests,
            "environment": {"commit": str(environment.get("commit", "unknown")),
                            "osPlatform": str(environment.get("platform", "unknown")),
                            "extra": {NAMESPACE + "environment": dict(environment)}},
            "extra": {NAMESPACE + "run": {"options": run.get("options") or {}, "targets": run.get("targets") or [],
                                          "interrupted": bool(run.get("interrupted")),
                                          "family": run.get("family") or {}}},
        },
    }


def verdict_counts(run: Mapping[str, Any]) -> dict[str, int]:
    """Results per verdict, in the verdicts' usual order."""
    counts = Counter(record["verdict"] for record in run.get("results") or [])
    return {verdict: counts[verdict] for verdict in VERDICTS if counts[verdict]}


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def summary_markdown(run: Mapping[str, Any], html_index: Path | str | None = None) -> str:
    """A short Markdown summary for a CI step: results and claims per verdict, the findings, the failing
    results with their deciding intervals, and the HTML report when one was written."""
    records = run.get("results") or []
    options = run.get("options") or {}
    claims = Counter(case.verdict for case in cases(run) if case.claim is not None)
    results = verdict_counts(run)
    lines = [f"## {TOOL}: run `{run['run_id']}`", "",
             f"{len(records)} results, {sum(claims.values())} claims; profile {options.get('profile', '-')}, "
             f"seed {options.get('seed', '-')}, device {options.get('device', '-')}, "
             f"{options.get('correction', '-')} correction ({corrected(run)} FAIL claim(s) turned INCONCLUSIVE)"
             + ("; **interrupted**" if run.get("interrupted") else ""), "",
             "| verdict | results | claims |", "|---|---:|---:|"]
    lines += [f"| {v} | {results.get(v, 0)} | {claims.get(v, 0)} |" for v in VERDICTS if results.get(v) or claims.get(v)]
    collected = found.collect(records)
    for key, heading in terminal.FINDING_HEADINGS.items():
        lines += ["", f"**{heading}**: {len(collected[key]) or 'none'}"]
        lines += [f"- `{item['id']}` [{item['provenance']}]: {item['title']}"
                  + (" (the verdict depends on the reading)" if item.get("reading_dependent") else "")
                  for item in collected[key]]
    failing = [case for case in cases(run) if case.verdict in ("FAIL", "ERROR") and case.record["verdict"] in ("FAIL", "ERROR")]
    if failing:
        lines += ["", "### Failing results", "", "| result | verdict | claim | decided on |", "|---|---|---|---|"]
        lines += [f"| `{case.record['id']}` | {case.verdict} | {_cell(case.name)} | {_cell(case.message.split(': ', 1)[1])} |"
                  for case in failing]
    if html_index:
        lines += ["", f"HTML report: [{Path(html_index).name}]({html_index})"]
    return "\n".join(lines) + "\n"


def write_junit(run: Mapping[str, Any], path: Path | str) -> Path:
    return _write(path, junit_xml(run))


def write_ctrf(run: Mapping[str, Any], path: Path | str) -> Path:
    terminal.write_json(ctrf(run), path)
    return Path(path)


def write_summary(run: Mapping[str, Any], path: Path | str, html_index: Path | str | None = None) -> Path:
    return _write(path, summary_markdown(run, html_index))


def _write(path: Path | str, text: str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_text(path, text)
    return path
