"""Rich display in notebooks: HTML for specs and run results (every string escaped)."""
from __future__ import annotations

from html import escape
from typing import Any, Iterable

from verifier.presentation.terminal import claim_rows
from verifier.spec.results import Result

VERDICT_COLOURS = {"PASS": "#1a7f37", "SYMBOLIC": "#0969da", "FAIL": "#cf222e", "ERROR": "#cf222e",
                   "BLOCKED": "#8250df", "INCONCLUSIVE": "#9a6700"}


def verdict_badge(verdict: str) -> str:
    colour = VERDICT_COLOURS.get(verdict, "#57606a")
    return f'<b style="color:{colour}">{escape(verdict)}</b>'


def result_html(result: Result) -> str:
    """A spec as HTML: statement (for the notebook's MathJax), reading, parameters, claims, uses."""
    rows = "".join(f"<li><code>{escape(type(c).__name__)}</code> {escape(c.label)}: <code>{escape(c.describe())}</code></li>"
                   for c in result.claims)
    uses = ", ".join(escape(u) for u in result.uses) or "nothing"
    return (f"<div><b>{escape(result.id)}</b> ({escape(result.kind.value)} {escape(result.number)}: "
            f"{escape(result.title)}, {escape(result.paper.key)})"
            f"<p>$${escape(result.statement)}$$</p>"
            f"<p><i>Finite-size reading:</i> {escape(result.reading or 'none')}</p>"
            f"<p><i>Claims:</i></p><ul>{rows}</ul><p><i>Uses:</i> {uses}</p></div>")


def records_html(records: Iterable[dict[str, Any]]) -> str:
    """The run table of the terminal report, as an HTML table."""
    head = "".join(f"<th>{escape(h)}</th>" for h in
                   ("result", "verdict", "claim", "claimed", "measured [CI]", "negative control", "s"))
    body = []
    for record in records:
        for row in claim_rows(record):
            cells = [escape(row[0]), verdict_badge(row[1]) if row[1] in VERDICT_COLOURS else escape(row[1]),
                     *(escape(cell) for cell in row[2:])]
            body.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def install() -> None:
    """Make specs display as HTML in Jupyter (``Result._repr_html_`` calls this renderer)."""
    Result.html_renderer = result_html
