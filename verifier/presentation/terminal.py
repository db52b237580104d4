"""Render run records (the JSON source of truth) as a terminal table and as a JSON file."""
from __future__ import annotations

import json
import math
import os
import sys
import textwrap
from pathlib import Path
from typing import Any, Iterable, Mapping, TextIO

from verifier.judging import findings as found
from verifier.judging import graph as dag
from verifier.judging import stability as steadiness
from verifier.judging import support as chain
from verifier.presentation import atomic

SUPPORT_STYLE = {chain.SUPPORTED: "green", chain.BROKEN: "red bold", chain.UNVERIFIED: "yellow"}
VERDICT_STYLE = {"PASS": "green", "SYMBOLIC": "cyan", "FAIL": "red bold", "ERROR": "red", "BLOCKED": "magenta",
                 "INCONCLUSIVE": "yellow"}


def number(value: Any) -> str:
    """Four significant digits; strings ('inf', 'nan') and integers as they are; '-' when missing."""
    if value is None:
        return "-"
    if isinstance(value, (str, bool, int)):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    try:
        return f"{float(value):.4g}"
    except (TypeError, ValueError):
        return str(value)


def interval(ci: Any) -> str:
    return "" if not ci else f"[{number(ci[0])}, {number(ci[1])}]"


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def claim_rows(record: dict[str, Any]) -> list[list[str]]:
    """Table rows for one result: result, verdict, support, source, claim, the interval that decided it,
    what the region accepts, the negative control, the power statement, seconds."""
    rows = []
    for i, claim in enumerate(record.get("claims") or [{}]):
        first = i == 0
        control = claim.get("control")
        if claim.get("statistic") == "sympy":
            decided, accepts, control_text, power_text = _clip(claim.get("detail", "")), "(sympy)", "n/a", ""
        else:
            decided = f"{number(claim.get('estimate'))} {interval(claim.get('ci'))}".strip() + replicas_used(claim)
            accepts = claim.get("relation", "")
            control_text = "-" if control is None else (
                "rejected" if control["rejected"] else f"NOT rejected ({control['verdict']})")
            power_text = power_cell(claim)
        verdict = record["verdict"] + (" (no power)" if record.get("no_power") else "") + (
            " (unstable)" if steadiness.unstable(record) else "")
        rows.append([record["id"] if first else "", verdict if first else "",
                     record.get("support", "") if first else "",
                     provenance_label(record, claim) if first or "provenance" in claim else "",
                     _clip(claim.get("label", "")), decided, accepts, control_text, power_text,
                     number(record.get("seconds")) if first else ""])
    if record.get("exception"):
        rows.append(["", "", "", "", "exception", _clip(record["exception"], 100), "", "", "", ""])
    if record.get("blocked_by"):
        rows.append(["", f"(own: {record['own_verdict']})", "", "", "blocked by", ", ".join(record["blocked_by"]),
                     "", "", "", ""])
        causes = record.get("blocked_root_causes") or []
        if causes:  # the bottom of the chain: what ERRORed or was not run, found in the paper or ours
            rows.append(["", "", "", "", "root causes", ", ".join(
                f"{c['id']} [{c['verdict']}{', ' + c['provenance'] if c.get('provenance') else ''}]" for c in causes),
                "", "", "", ""])
    return rows


def replicas_used(claim: dict[str, Any]) -> str:
    """' n=24/256' for a claim of an adaptive run (replicas used / the maximum), else ''."""
    return f" n={claim['replicas_used']}/{claim['replicas_maximum']}" if claim.get("replicas_maximum") else ""


def power_cell(claim: dict[str, Any]) -> str:
    """'no power' on a PASS that could not have failed, else the smallest detectable violation."""
    assessment = claim.get("power") or {}
    if claim.get("verdict") == "PASS" and assessment.get("no_power"):
        return "no power"
    return "-" if assessment.get("mde") is None else f"MDE {number(assessment['mde'])}"


def raw_line(claim: dict[str, Any]) -> str:
    """Below the table: the raw measurement and the claimed value on the quantity's own scale, the
    decision statistic, p-values and the power statement."""
    parts = [f"{claim['label']}: decided on {claim.get('statistic')} {claim.get('relation', '')}",
             f"measured {number(claim.get('observed'))} {interval(claim.get('observed_ci'))} against claimed "
             f"{number(claim.get('claimed'))}"]
    if claim.get("p_fail") is not None:
        adjusted = claim.get("p_fail_adjusted")
        parts.append(f"p_fail {number(claim['p_fail'])}" + (f" (adjusted {number(adjusted)})" if adjusted is not None else "")
                     + f", p_pass {number(claim.get('p_pass'))}")
    if claim.get("sequential"):
        evidence = claim["sequential"]
        parts.append(f"sequential {evidence['test']} after {claim['replicas_used']} of {claim['replicas_maximum']} "
                     f"replicas: e_fail {number(evidence['e_fail'])}, e_pass {number(evidence['e_pass'])} "
                     f"(decides at {number(evidence['threshold'])})")
    assessment = claim.get("power") or {}
    if assessment.get("mde") is not None:
        parts.append(f"smallest violation detectable with power {assessment['power']}: {number(assessment['mde'])}"
                     + (f", slack {number(assessment['slack_ratio'])}x" if assessment.get("slack_ratio") is not None else ""))
    detail = claim.get("detail") or ""
    if claim.get("verdict") == "PASS" and assessment.get("no_power"):
        parts.append("NO POWER: " + assessment["reason"])
        # the detail carries the same statement for the other outputs: said once here
        detail = "; ".join(part for part in detail.split("; ") if part != "no power: " + assessment["reason"])
    if detail:
        parts.append(detail)
    return "; ".join(parts)


HEADERS = ["result", "verdict", "support", "source", "claim", "decided on [CI]", "accepts", "negative control",
           "power", "s"]


def provenance_label(record: dict[str, Any], claim: dict[str, Any]) -> str:
    """The provenance shown beside a verdict: the claim's where it declares its own, else the result's."""
    source = claim.get("provenance") or record.get("provenance") or {}
    return source.get("label", "")


def support_line(record: dict[str, Any]) -> str:
    """'support: broken at lemma-5.2 (broken proof step: FAIL), ...' for a result whose chain has weak links."""
    weak = record.get("support_weak_links") or []
    links = "; ".join(f"{w['id'].split('/', 1)[-1]} {w['verdict']} ({w['reason']})" for w in weak)
    return f"support: {record['support']}; weak links of the proof chain: {links}"


def _use_rich(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR")


# the columns a narrow terminal drops first (lowest value first); result, verdict, claim and the deciding
# interval always stay
_DROP_ORDER = ("accepts", "negative control", "power", "source", "s", "support")


def _columns_that_fit(rows: list[list[str]], width: int) -> list[int]:
    """The indices of HEADERS to show in ``width`` columns: every column when the natural widths fit, else
    the table without its lowest-value columns, dropped one by one until it fits."""
    natural = [max(len(str(row[i])) for row in [HEADERS, *rows]) + 3 for i in range(len(HEADERS))]
    for name in ("claim", "decided on [CI]"):  # these fold onto a second line rather than push a column out
        natural[HEADERS.index(name)] = min(natural[HEADERS.index(name)], 20)
    shown = list(range(len(HEADERS)))
    for name in _DROP_ORDER:
        if sum(natural[i] for i in shown) + 1 <= width:
            break
        shown.remove(HEADERS.index(name))
    return shown


def print_table(records: list[dict[str, Any]], stream: TextIO | None = None, verbose: bool = False) -> None:
    """The run table, rich when the stream is a terminal, plain text otherwise; ``verbose`` adds the
    measurement summaries and tracebacks under each result."""
    stream = stream or sys.stdout
    rows = [row for record in records for row in claim_rows(record)]
    if _use_rich(stream):
        from rich.console import Console
        from rich.table import Table

        console = Console(file=stream)
        shown = _columns_that_fit(rows, console.width)
        table = Table(show_lines=False)
        for index in shown:  # ids and verdicts never wrap; the other cells fold when they must
            table.add_column(HEADERS[index], no_wrap=index < 2, overflow="fold")
        for row in rows:
            style, support_style = VERDICT_STYLE.get(row[1].split(" ")[0], ""), SUPPORT_STYLE.get(row[2], "")
            cells = [row[0], f"[{style}]{row[1]}[/]" if style else row[1],
                     f"[{support_style}]{row[2]}[/]" if support_style else row[2], *row[3:]]
            table.add_row(*(cells[index] for index in shown))
        console.print(table)
        hidden = [HEADERS[index] for index in range(len(HEADERS)) if index not in shown]
        if hidden:
            console.print(f"(not shown at {console.width} columns: {', '.join(hidden)}; --json, --html or a wider "
                          "terminal has them)", highlight=False)
    else:
        widths = [max(len(str(r[i])) for r in [HEADERS, *rows]) for i in range(len(HEADERS))]
        for row in [HEADERS, ["-" * w for w in widths], *rows]:
            stream.write("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() + "\n")
    print_notes(records, stream, verbose)


def _verbose_lines(record: dict[str, Any]) -> list[str]:
    lines = [f"measured {name}: mean {number(m['mean'])}, std {number(m['std'])}, shape {m['shape']}"
             for name, m in (record.get("measurements") or {}).items()]
    if record.get("traceback"):
        lines.append("traceback:\n" + record["traceback"])
    return lines


def print_notes(records: Iterable[dict[str, Any]], stream: TextIO, verbose: bool = False) -> None:
    """Finite-size readings, regime notes and reproduction commands under the table."""
    for record in records:
        lines = [support_line(record)] if record.get("support") not in (None, chain.SUPPORTED) else []
        if record.get("provenance"):
            source = record["provenance"]
            detail = source.get("detail") or ""
            lines.append("source: " + source["label"] + (f" (the notes' tag: {detail})" if detail and detail != source["label"] else ""))
        if record.get("reading"):
            lines.append("reading: " + record["reading"])
        if record.get("readings"):
            lines.append("shared readings (printed once below): " + ", ".join(record["readings"]))
        for variant in record.get("reading_variants") or []:
            lines.append(f"under reading {variant['reading']} = {variant['label']} ({variant['symbol']} = "
                         f"{number(variant['value'])}): {variant['verdict']} (claims: {', '.join(variant['claims'])})")
        if record.get("reading_variants"):
            lines.append("the verdict depends on the reading" if record.get("reading_dependent")
                         else "the verdict is the same under every admissible reading")
        if record.get("stability"):
            lines.append(("UNSTABLE: the verdict flips with the seed: " if steadiness.unstable(record)
                          else "stable: the same verdict under every seed: ") + steadiness.describe(record))
        if record.get("note"):
            lines.append("note: " + record["note"])
        lines.extend("note: " + note for note in record.get("check_notes") or [])
        lines.extend(raw_line(claim) for claim in record.get("claims", []) if claim.get("statistic") != "sympy")
        if record.get("adaptive"):
            start, first = record["adaptive"].get("start", 0), record["adaptive"]["round"]
            stop = ("stopped when every claim was decided" if record["replicas"] < record["replicas_maximum"]
                    else f"judged on the {start} already measured" if start >= record["replicas_maximum"] > first
                    else "ran to the maximum")
            lines.append(f"adaptive: {record['replicas']} of at most {record['replicas_maximum']} replicas, in rounds of "
                         f"{record['adaptive']['round']} ({stop})")
        if record.get("replicas"):
            lines.append(f"replicas: {record['replicas']}, seed {record['seed']}, device {record['device']}, "
                         f"check {number(record.get('check_seconds'))} s{' (cached)' if record.get('cache_hit') else ''}")
        if record.get("derived_from"):
            lines.append(f"derived from {record['derived_from']['id']}: {record['derived_from']['changes']}")
        lines.append("reproduce: " + record["reproduce"])
        if verbose:
            lines.extend(_verbose_lines(record))
        stream.write(f"\n{record['id']} [{record['verdict']}]\n")
        for line in lines:
            if line.startswith("traceback:"):
                stream.write(textwrap.indent(line, "  ") + "\n")
            else:
                stream.write(textwrap.fill(line, width=100, initial_indent="  ", subsequent_indent="    ") + "\n")


FINDING_HEADINGS = {
    "paper": "Findings: statements found in the paper that FAIL inside their regime (after the family correction)",
    "reconstruction": "Our reconstructions that FAIL (the paper is not shown wrong: our reading fails)",
    "no_power": "PASS verdicts with no power (they could not have failed)",
    "unstable": "Unstable verdicts (they flip across the master seeds of --seeds)",
}


def print_findings(records: Iterable[dict[str, Any]], stream: TextIO | None = None) -> None:
    """The run's findings about the papers, apart from failures of our readings and powerless PASSes."""
    stream = stream or sys.stdout
    collected = found.collect(records)
    for key, heading in FINDING_HEADINGS.items():
        items = collected[key]
        stream.write(f"\n{heading}: {len(items) or 'none'}\n")
        for item in items:
            depends = " (the verdict depends on the reading)" if item.get("reading_dependent") else ""
            stream.write(f"  {item['id']} [{item['provenance']}]: {item['title']}{depends}\n")
            for claim in item["claims"]:
                decided = f"{claim['statistic']} = {number(claim['estimate'])} {interval(claim['ci'])}, needs {claim['relation']}"
                text = f"{claim['label']}: " + (claim["detail"] if key in ("no_power", "unstable") else decided)
                stream.write(textwrap.fill(text, width=100, initial_indent="    ", subsequent_indent="      ") + "\n")


def print_summary(records: list[dict[str, Any]], seconds: float, json_path: Any = None, html_index: Any = None,
                  stream: TextIO | None = None, plugin_problems: int = 0) -> None:
    """The run in one line: counts per verdict, findings, plugin problems, wall time, and where its files went."""
    stream = stream or sys.stdout
    counts: dict[str, int] = {}
    for record in records:
        counts[record["verdict"]] = counts.get(record["verdict"], 0) + 1
    findings = len(found.collect(records)["paper"])
    parts = [f"{len(records)} results: " + ", ".join(f"{v} {n}" for v, n in sorted(counts.items())),
             f"{findings} finding{'s' if findings != 1 else ''}", f"{seconds:.0f} s"]
    if plugin_problems:
        parts.insert(2, f"{plugin_problems} plugin problem{'s' if plugin_problems != 1 else ''} (not loaded, see the "
                        "warnings above)")
    if any(record.get("stability") for record in records):
        flips = sum(steadiness.unstable(record) for record in records)
        seeds = next(record["stability"]["seeds"] for record in records if record.get("stability"))
        parts.insert(2, f"{flips} unstable across seeds {', '.join(map(str, seeds))}")
    parts += [f"JSON {json_path}"] if json_path else []
    parts += [f"HTML {html_index}"] if html_index else []
    stream.write("\nsummary: " + "; ".join(parts) + "\n")


def print_readings(readings: dict[str, dict[str, Any]], stream: TextIO | None = None) -> None:
    """Each shared reading used by the run, once."""
    if not readings:
        return
    stream = stream or sys.stdout
    stream.write("\nreadings:\n")
    for reading in readings.values():
        constant = f" [{reading['symbol']} = {number(reading['value'])}]" if reading.get("symbol") else ""
        source = f" ({reading['provenance']['label']})" if reading.get("provenance") else ""
        text = f"{reading['name']}: {reading['word']} := {reading['means']}{constant}{source}"
        if reading.get("why"):
            text += f". Why: {reading['why']}"
        if reading.get("aliases"):
            text += ". Estimator: " + ", ".join(f"{k} := {v}" for k, v in reading["aliases"].items())
        if reading.get("alternatives"):
            text += ". Admissible alternatives: " + ", ".join(f"{k} = {number(v)}" for k, v in reading["alternatives"].items())
        if reading.get("alternative_aliases"):
            text += ". Admissible alternative estimators: " + "; ".join(
                f"{label} ({', '.join(f'{k} := {v}' for k, v in aliases.items())})"
                for label, aliases in reading["alternative_aliases"].items())
        stream.write(textwrap.fill(text, width=100, initial_indent="  ", subsequent_indent="    ") + "\n")


def print_family(family: dict[str, Any], stream: TextIO | None = None) -> None:
    """The run's family correction: method, size, level, and every verdict it changed."""
    if not family:
        return
    stream = stream or sys.stdout
    alphas = ", ".join(number(a) for a in family.get("alpha") or []) or "-"
    stream.write(f"\nfamily: {family['method']} correction over {family['size']} empirical claims (alpha {alphas}); "
                 f"{len(family['changed'])} FAIL verdict(s) changed to INCONCLUSIVE\n")
    for change in family["changed"]:
        stream.write(f"  {change['id']}: {change['claim']}: p = {number(change['p_fail'])}, "
                     f"adjusted p = {number(change['p_fail_adjusted'])}\n")


def plan_lines(record: dict[str, Any], effect: float | None,
               fixed_n: Mapping[str, str | None] | None = None) -> list[str]:
    """For each judged claim of a stored record: the violation detectable now, and the replicas needed
    to detect one of size ``effect`` (default a tenth of the claim's own scale) with power 0.8.

    ``fixed_n`` maps each empirical claim of the spec to why no data can stop it early under
    ``--adaptive`` (None: it has a sequential test); with it, a column and a closing line say whether
    ``--adaptive`` can stop the result before its replica count."""
    from verifier.judging import power

    replicas = record.get("replicas")
    lines = [f"{record['id']}: {record.get('verdict')} with {replicas} replicas (profile {record.get('profile')}); "
             f"power {power.POWER} at each claim's alpha"]
    rows = [["claim", "decided on", "MDE now", "effect", "replicas needed"] + (["--adaptive"] if fixed_n is not None else [])]
    for claim in record.get("claims", []):
        assessment = claim.get("power") or {}
        mde, scale = assessment.get("mde"), assessment.get("scale")
        size = effect if effect is not None else (scale / 10 if scale else None)
        if mde is None or not replicas:
            needed = "n/a (no test)"
        elif size is None:
            needed = "give --effect (no scale of its own)"
        else:
            needed = str(power.replicas_needed(float(mde), int(replicas), float(size)))
        row = [_clip(claim.get("label", ""), 50), f"{claim.get('statistic', '')} {claim.get('relation', '')}".strip(),
               number(mde), number(size), needed]
        if fixed_n is not None:
            label = claim.get("label", "")
            row.append("-" if label not in fixed_n else "fixed n" if fixed_n[label] else "may stop early")
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines.extend("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows)
    if fixed_n:  # an adaptive record's replicas are those it used: the profile's count is its maximum
        lines.append(_adaptive_plan_line(fixed_n, record.get("replicas_maximum") or replicas))
    return lines


def _adaptive_plan_line(fixed_n: Mapping[str, str | None], replicas: Any) -> str:
    """Whether ``--adaptive`` can stop a result early: only when every empirical claim has a sequential test."""
    reasons: dict[str, int] = {}
    for why in fixed_n.values():
        if why:
            reasons[why] = reasons.get(why, 0) + 1
    if reasons:
        said = "; ".join(f"{why} ({count} claim{'s' if count > 1 else ''})" for why, count in reasons.items())
        return (f"--adaptive runs all {replicas} replicas, as a fixed run does: {sum(reasons.values())} of "
                f"{len(fixed_n)} empirical claims cannot stop early: {said}")
    return (f"--adaptive may stop before {replicas} replicas, once every claim is decided (a training that other "
            "results read saves time only when they all stop)")


def write_json(document: dict[str, Any], path: Path | str) -> None:
    """Write atomically (temporary file, then rename) so a reader never sees half a report."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_text(path, json.dumps(document, indent=2, sort_keys=False, default=str))


def graph_lines(graph, root: str, records: dict[str, dict[str, Any] | None],
                assumed: dict[str, tuple[str, ...]]) -> list[str]:
    """The dependency tree of ``root`` labelled with each node's last verdict and the induction
    hypotheses it assumes (from the specs)."""
    labels = {}
    for node in graph.nodes:
        record = records.get(node) or {}
        assumes = assumed.get(node) or ()
        suffix = f"  (assumes {', '.join(assumes)})" if assumes else ""
        support = record.get("support")
        shown = record.get("verdict", "not run") + (f", {support}" if support and support != chain.SUPPORTED else "") + (
            ", unstable across seeds" if steadiness.unstable(record) else "")
        labels[node] = f"{node} [{shown}]{suffix}"
    return dag.tree_lines(graph, root, labels)


def next_lines(wanted: list[Any], limit: int | None) -> list[str]:
    """The most-wanted list (:func:`verifier.judging.priority.most_wanted`) as a table."""
    shown = wanted[:limit] if limit else wanted
    if not shown:
        return ["nothing to do: every result is PASS or SYMBOLIC in its latest stored run"]
    rows = [["#", "result", "latest verdict", "bears on", "(uses it / it uses)", "est. cost"]]
    for rank, w in enumerate(shown, 1):
        rows.append([str(rank), w.id, w.verdict or "not run", str(w.score), f"{w.supports} / {w.rests_on}",
                     "unknown" if w.seconds is None else ("~" if w.from_check else "") + f"{number(w.seconds)} s"])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    if len(shown) < len(wanted):
        lines.append(f"... {len(wanted) - len(shown)} more (--limit)")
    if any(w.from_check for w in shown):
        lines.append("~: never run; its check's latest stored run, made for another result (perhaps at other "
                     "parameters or replicas)")
    return lines


def boundary_lines(rid: str, found: dict[str, Any], runs: list[dict[str, Any]]) -> list[str]:
    """``verify boundary``: every probe (value, verdict, deciding intervals, stored run) and the bracket."""
    parameter = found["parameter"]
    header = (f"{rid}: verdict along {parameter} over [{number(found['low'])}, {number(found['high'])}], "
              f"{len(runs)} probes (each a stored run, as `verify theorem {rid} --param {parameter}=VALUE`)")
    lines = [header]
    rows = [["#", parameter, "verdict", "decided on [CI]", "run", ""]]
    for index, probe in enumerate(runs, 1):
        rows.append([str(index), number(probe["value"]), probe["verdict"], probe_decided(probe), probe["run_id"],
                     "(cached)" if probe["cache_hit"] else ""])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines.extend("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows)
    lines.append(boundary_summary(found))
    return lines


def probe_decided(probe: dict[str, Any]) -> str:
    """The deciding intervals of a boundary probe's empirical claims ("-" when it has none)."""
    return "; ".join(f"{number(c['estimate'])} {interval(c['ci'])} {c.get('relation') or ''}".strip()
                     for c in probe["claims"] if c.get("statistic") != "sympy") or "-"


def boundary_summary(found: dict[str, Any]) -> str:
    """The one sentence on where a boundary search found the verdict to change, or that it did not."""
    if not found["changes"]:
        return f"no change in [{number(found['low'])}, {number(found['high'])}]: both ends are {found['below']}"
    low, high = found["bracket"]
    return (f"boundary: the verdict changes from {found['below']} to {found['above']} between {found['parameter']} = "
            f"{number(low)} and {number(high)} (the last bracketing probes; each probe is one stochastic run, so "
            f"this interval is not a confidence interval)")
