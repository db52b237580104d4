"""Rich display in notebooks: HTML for specs and run results, from the templates (autoescape on)."""
from __future__ import annotations

from typing import Any, Iterable

from verifier.presentation.templating import TEMPLATES
from verifier.presentation.terminal import HEADERS, claim_rows
from verifier.spec.results import Result

VERDICT_COLOURS = {"PASS": "#1a7f37", "SYMBOLIC": "#0969da", "FAIL": "#cf222e", "ERROR": "#cf222e",
                   "BLOCKED": "#8250df", "INCONCLUSIVE": "#9a6700"}


def result_html(result: Result) -> str:
    """A spec as HTML: statement (for the notebook's MathJax), reading, provenance, claims, uses."""
    try:
        source = result.source.label
    except ValueError as exc:
        source = str(exc)
    return TEMPLATES.get_template("notebook_spec.html.j2").render(result=result, source=source)


def records_html(records: Iterable[dict[str, Any]]) -> str:
    """The run table of the terminal report, as an HTML table."""
    rows = [row for record in records for row in claim_rows(record)]
    return TEMPLATES.get_template("notebook_run.html.j2").render(headers=HEADERS, rows=rows, COLOURS=VERDICT_COLOURS)
