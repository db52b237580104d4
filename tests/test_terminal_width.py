"""Issue #20: at 80 columns the results table keeps every result id and verdict whole, dropping its
lowest-value columns first (and saying which)."""
import io
import re

import pytest

from verifier.presentation import terminal


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


RECORD = {"id": "huang2024/theorem-4.3-n-ladder", "verdict": "INCONCLUSIVE", "own_verdict": "INCONCLUSIVE",
          "support": "supported", "provenance": {"label": "FOUND"}, "seconds": 12.0,
          "reproduce": "verify theorem huang2024/theorem-4.3-n-ladder",
          "claims": [{"label": "D_test error = o(1) along n", "verdict": "INCONCLUSIVE", "estimate": 0.34,
                      "ci": [0.18, 0.5], "relation": "<=", "statistic": "mean", "control": {"rejected": True},
                      "power": {"mde": 0.1, "power": 0.8}}]}


@pytest.mark.parametrize("columns", [80, 100, 200])
def test_ids_and_verdicts_stay_whole(columns, monkeypatch):
    monkeypatch.setenv("COLUMNS", str(columns))
    monkeypatch.delenv("NO_COLOR", raising=False)
    out = Terminal()
    terminal.print_table([RECORD], out)
    text = re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue())
    table = [line for line in text.splitlines() if line[:1] in "┏┃┡│└"]
    assert table and all(len(line) <= columns for line in table)
    row = next(line for line in table if "huang2024/theorem-4.3-n-ladder" in line)
    assert "INCONCLUSIVE" in row                                         # id and verdict whole, on one line
    if columns == 200:
        assert "not shown" not in text and "negative control" in text
    else:
        assert f"not shown at {columns} columns" in text and "accepts" in text.split("not shown")[1]


def test_a_pass_without_power_is_said_once_below_the_table():
    reason = "the bound is slack by 17x (> 10x)"
    claim = {"label": "(b) reversal", "verdict": "PASS", "statistic": "probability (Clopper-Pearson)",
             "relation": ">=", "observed": 0.3467, "observed_ci": [0.3434, 0.35], "claimed": 0.02035,
             "power": {"mde": 0.001387, "power": 0.8, "slack_ratio": 17.04, "no_power": True, "reason": reason},
             "detail": f"judged at n = 64; no power: {reason}"}
    line = terminal.raw_line(claim)
    assert line.count(reason) == 1 and f"NO POWER: {reason}" in line and "judged at n = 64" in line
