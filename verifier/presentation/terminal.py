"""Render run records (the JSON source of truth) as a terminal table and as a JSON file."""
from __future__ import annotations

import json
import math
import os
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any, Iterable, TextIO

from verifier.judging import graph as dag
from verifier.judging import support as chain

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
    """Table rows for one result: result, verdict, support, source, claim, claimed, measured [CI], control,
    seconds."""
    rows = []
    for i, claim in enumerate(record.get("claims") or [{}]):
        first = i == 0
        control = claim.get("control")
        if claim.get("statistic") == "sympy":
            claimed, measured, control_text = "(sympy)", _clip(claim.get("detail", "")), "n/a"
        else:
            claimed = number(claim.get("claimed"))
            measured = f"{number(claim.get('observed'))} {interval(claim.get('observed_ci'))}".strip()
            control_text = "-" if control is None else (
                "rejected" if control["rejected"] else f"NOT rejected ({control['verdict']})")
        rows.append([record["id"] if first else "", record["verdict"] if first else "",
                     record.get("support", "") if first else "", provenance_label(record, claim) if first or "provenance" in claim else "",
                     _clip(claim.get("label", "")), claimed, measured, control_text,
                     number(record.get("seconds")) if first else ""])
    if record.get("exception"):
        rows.append(["", "", "", "", "exception", "", _clip(record["exception"], 100), "", ""])
    if record.get("blocked_by"):
        rows.append(["", f"(own: {record['own_verdict']})", "", "", "blocked by", "", ", ".join(record["blocked_by"]), "", ""])
    return rows


HEADERS = ["result", "verdict", "support", "source", "claim", "claimed", "measured [CI]", "negative control", "s"]


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


def print_table(records: list[dict[str, Any]], stream: TextIO | None = None, verbose: bool = False) -> None:
    """The run table, rich when the stream is a terminal, plain text otherwise; ``verbose`` adds the
    measurement summaries and tracebacks under each result."""
    stream = stream or sys.stdout
    rows = [row for record in records for row in claim_rows(record)]
    if _use_rich(stream):
        from rich.console import Console
        from rich.table import Table

        table = Table(*HEADERS, show_lines=False)
        for row in rows:
            style, support_style = VERDICT_STYLE.get(row[1], ""), SUPPORT_STYLE.get(row[2], "")
            table.add_row(row[0], f"[{style}]{row[1]}[/]" if style else row[1],
                          f"[{support_style}]{row[2]}[/]" if support_style else row[2], *row[3:])
        Console(file=stream).print(table)
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
            lines.append("source: " + source["label"] + (f" ({detail})" if detail and detail not in source["label"] else ""))
        if record.get("reading"):
            lines.append("reading: " + record["reading"])
        if record.get("note"):
            lines.append("note: " + record["note"])
        lines.extend("note: " + note for note in record.get("check_notes") or [])
        for claim in record.get("claims", []):
            if claim.get("detail") and claim.get("statistic") != "sympy":
                lines.append(f"{claim['label']}: {claim['detail']}")
        if record.get("replicas"):
            lines.append(f"replicas: {record['replicas']}, seed {record['seed']}, device {record['device']}, "
                         f"check {number(record.get('check_seconds'))} s{' (cached)' if record.get('cache_hit') else ''}")
        lines.append("reproduce: " + record["reproduce"])
        if verbose:
            lines.extend(_verbose_lines(record))
        stream.write(f"\n{record['id']} [{record['verdict']}]\n")
        for line in lines:
            if line.startswith("traceback:"):
                stream.write(textwrap.indent(line, "  ") + "\n")
            else:
                stream.write(textwrap.fill(line, width=100, initial_indent="  ", subsequent_indent="    ") + "\n")


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


def write_json(document: dict[str, Any], path: Path | str) -> None:
    """Write atomically (temporary file, then rename) so a reader never sees half a report."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    with os.fdopen(handle, "w") as out:
        json.dump(document, out, indent=2, sort_keys=False, default=str)
    os.replace(temporary, path)


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
        shown = record.get("verdict", "not run") + (f", {support}" if support and support != chain.SUPPORTED else "")
        labels[node] = f"{node} [{shown}]{suffix}"
    return dag.tree_lines(graph, root, labels)
