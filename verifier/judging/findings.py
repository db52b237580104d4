"""What a run found about the papers, apart from what it found about our own readings.

A *finding* is a statement found in the paper (provenance FOUND or FOUND secondary, for every failing
claim) whose result FAILs inside its own stated regime, after the run's family correction: the kind of
FAIL worth a researcher's afternoon. A FAIL of a RECONSTRUCTED statement says our reading fails and is
listed apart; a PASS flagged "no power" is listed too, since it could not have failed, and so is a
verdict that flips across the master seeds of a ``--seeds`` run ("unstable").
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

from verifier.judging.stability import describe, unstable


def _failing_claims(record: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [c for c in record.get("claims") or [] if c.get("verdict") == "FAIL"]


def _found(record: Mapping[str, Any], claim: Mapping[str, Any]) -> bool:
    source = claim.get("provenance") or record.get("provenance") or {}
    return bool(source.get("found"))


def _item(record: Mapping[str, Any], claims: list[Mapping[str, Any]]) -> dict[str, Any]:
    return {"id": record["id"], "paper": record.get("paper", ""), "title": record.get("title", ""),
            "number": record.get("number", ""), "kind": record.get("kind", ""), "statement": record.get("statement", ""),
            "provenance": (record.get("provenance") or {}).get("label", ""),
            "reading_dependent": bool(record.get("reading_dependent")),
            "claims": [{"label": c.get("label", ""), "statistic": c.get("statistic", ""), "estimate": c.get("estimate"),
                        "ci": c.get("ci"), "relation": c.get("relation", ""), "p_fail": c.get("p_fail"),
                        "p_fail_adjusted": c.get("p_fail_adjusted"), "detail": c.get("detail", "")} for c in claims]}


def collect(records: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """``paper``: found statements failing inside their regime; ``reconstruction``: our reconstructions
    failing inside their regime; ``no_power``: PASS verdicts that could not have failed; ``unstable``:
    verdicts that flip across master seeds."""
    out: dict[str, list[dict[str, Any]]] = {"paper": [], "reconstruction": [], "no_power": [], "unstable": []}
    for record in records:
        if unstable(record):
            out["unstable"].append({**_item(record, []), "claims": [
                {"label": "verdict across seeds", "statistic": "", "estimate": None, "ci": None, "relation": "",
                 "p_fail": None, "p_fail_adjusted": None, "detail": describe(record)}]})
        if record.get("own_verdict") == "FAIL" and record.get("regime") == "inside":
            failing = _failing_claims(record)
            found = [c for c in failing if _found(record, c)]
            if failing and len(found) == len(failing):
                out["paper"].append(_item(record, found))
            else:
                out["reconstruction"].append(_item(record, failing))
        if record.get("verdict") == "PASS" and record.get("no_power"):
            powerless = [c for c in record.get("claims") or []
                         if c.get("verdict") == "PASS" and (c.get("power") or {}).get("no_power")]
            item = _item(record, powerless)
            for view, claim in zip(item["claims"], powerless):
                view["detail"] = claim["power"].get("reason", "")
            out["no_power"].append(item)
    return out
