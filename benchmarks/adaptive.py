"""Fixed against adaptive verification: replicas, seconds and verdicts side by side (issue 22, point 1).

Each named result (and what it uses) is judged twice in this process, without a store or cache: once
at the profile's replica count (or ``--replicas``), once with ``--adaptive`` (rounds of
max(8, replicas/8) until every claim is decided by its anytime-valid test). Per result it prints the
verdicts, the replicas each run used, the seconds its check took in each run and the claims that had
no sequential test; then, claim by claim, every claim that has one (a Probability, a Bound on a mean
with a declared ``support``, or a pooled-proportion Bound read per replica) with both verdicts; then the
seconds of both whole runs. Progress goes to stderr, a line per judged result (a bar on a terminal).

The two verdicts of a claim must agree wherever the fixed run was decisive. A sequential test may stay
undecided where the fixed-n interval decides (it pays for stopping early with some power at the full
count: marked ``adaptive undecided``; ``(family correction)`` when the sequential test did decide but the
run's e-Holm correction, over the e-values of every claim of the run, took the FAIL back), but it may
never reach the opposite verdict (``CONTRADICTS``: the exit code is then 1).

    python benchmarks/adaptive.py huang2024/lemma-b.1 --profile quick --device cpu
    python benchmarks/adaptive.py huang2022/lemma-a.3 huang2024/lemma-c.11 --replicas 64 --json adaptive.json

``--all`` judges every result (``verify all``). ``--costs COST.json --within S`` (the JSON of
``benchmarks/profile_cost.py`` for the same profile and device) keeps only the targets whose every check,
theirs and those of what they use, is projected at no more than ``S`` seconds, and lists the others with
the check that left them out: the full profile on a machine that cannot run all of it.

    python benchmarks/profile_cost.py --profile full --device cpu --probe 1 --json cost.json
    python benchmarks/adaptive.py --all --profile full --costs cost.json --within 300 --json full.json

With ``--list`` it only prints what it would keep and leave out, and for each result left out whether
``--adaptive`` could shorten its costliest training at all (not when a result reading that training has a
claim with no sequential test: it then runs all its replicas in both runs). ``--reuse-fixed`` takes the
trainings of the fixed run whose first reader has such a claim as run in the adaptive one (there they are
the same check call: same check, parameters, seeds and replicas, which the later readers are judged on)
and counts their fixed seconds in the adaptive total; the other trainings run again.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._options import add_device_and_precision, resolved_device

DECISIVE = ("PASS", "FAIL")
PARTIAL_CLAIM_FIELDS = ("verdict", "observed", "observed_ci", "claimed", "p_fail")


def judge(targets: list[str], profile: str, device: str, precision: str, seed: int,
          adaptive: bool, replicas: int | None = None, correction: str = "holm",
          max_batch: int | None = None, reuse: tuple[Any, set[str]] | None = None,
          on_record: Callable[[dict[str, Any]], None] | None = None,
          jobs: int | None = None) -> tuple[dict[str, dict[str, Any]], float, Any, float]:
    """The records of one run of ``targets`` (by id), its seconds, its runner and the seconds of the check runs
    it reused (``max_batch``: at most that many replicas per check call, as `verify --max-batch`; the
    measurements do not depend on it; ``reuse``: a runner and the keys of its check runs to take as run;
    ``on_record``: called with each result's record as it finishes, before the run's family correction;
    ``jobs``: run the distinct trainings first in that many local processes, as `verify --executor
    processes`, and count their own seconds, not the wall time they overlapped in, so that the seconds are
    those of one process either way)."""
    from verifier.interfaces import progress
    from verifier.running import registry as reg
    from verifier.running.runner import Options, Runner

    registry = reg.load()
    print(f"{'adaptive' if adaptive else 'fixed'} run:", file=sys.stderr, flush=True)
    options = Options(profile=profile, device=device, precision=precision, seed=seed, use_cache=False,
                      readings="default", adaptive=adaptive, replicas=replicas, correction=correction,
                      max_batch=max_batch)
    runner = Runner(registry, options, None)
    reused = runner.reuse(*reuse) if reuse else 0.0
    start = time.perf_counter()
    shown = progress.make(sys.stderr)

    def report(done: int, total: int, rid: str, item: dict[str, Any] | None) -> None:
        shown(done, total, rid, item)
        if item is not None and on_record is not None:
            on_record(item)

    overlapped = [0.0, 0.0]  # the processes' wall seconds, and their runs' own seconds

    def in_processes(batch: list[Any]) -> list[Any]:
        from verifier.running.process_executor import ProcessExecutor

        began = time.perf_counter()
        outcomes = ProcessExecutor(jobs, lambda line: print(line, file=sys.stderr, flush=True)).map(batch)
        overlapped[:] = [time.perf_counter() - began, sum(outcome.seconds for outcome in outcomes)]
        return outcomes

    record = runner.run(targets, argv=["benchmarks/adaptive.py"], progress=report,
                        run_many=in_processes if jobs else None)
    seconds = time.perf_counter() - start - overlapped[0] + overlapped[1]
    return {item["id"]: item for item in record.results}, seconds, runner, reused


def partial_writer(path: Path | None) -> Callable[[str, dict[str, Any]], None]:
    """Keeps ``path`` (the ``--json`` file) up to date while the two runs go, so that a run stopped halfway (a
    time limit, the memory watchdog) keeps what it finished: ``"complete": false`` and, per run, each finished
    result's verdict, replicas, check seconds and claims (verdict, what was observed with its interval, what
    was claimed, p_fail; before the run's family correction). The finished comparison replaces it."""
    finished: dict[str, list[dict[str, Any]]] = {"fixed": [], "adaptive": []}

    def keep(run: str, item: dict[str, Any]) -> None:
        if path is None:
            return
        finished[run].append({"result": item["id"], "verdict": item["verdict"], "replicas": item.get("replicas"),
                              "check_seconds": item.get("check_seconds"),
                              "claims": {c["label"]: {key: c.get(key) for key in PARTIAL_CLAIM_FIELDS}
                                         for c in item.get("claims", [])}})
        path.write_text(json.dumps({"complete": False, "note": "verdicts before each run's family correction",
                                    "finished": finished}, indent=1))
    return keep


def reusable(records: dict[str, dict[str, Any]]) -> set[str]:
    """The keys of the check runs (trainings) of a fixed run that an adaptive run makes in exactly the same
    way: the first result to read one (``records`` are in the run's order, the same plan in both runs) has a
    claim with no sequential test, so it runs all the replicas in one call, the fixed run's call (same key:
    check, parameters, seeds, replicas), and every later reader, one that could stop early included, is
    judged on them as `verify --adaptive` judges it. (A training whose first reader could stop early is left
    to run: its rounds are part of what --adaptive does.)"""
    from verifier.judging import adaptive
    from verifier.running import registry as reg

    results = reg.load().results
    first_is_fixed: dict[str, bool] = {}
    for rid, item in records.items():
        key = item.get("measurement_key")
        if key and key not in first_is_fixed:
            first_is_fixed[key] = bool(adaptive.fixed_n_claims(results[rid].claims))
    return {key for key, fixed in first_is_fixed.items() if fixed}


def within_budget(targets: list[str], trainings: list[dict[str, Any]], limit: float,
                  profile: str) -> tuple[list[str], dict[str, tuple[str, float]]]:
    """The targets whose closure (the target and what it uses) reads only trainings projected at no more
    than ``limit`` seconds (``trainings``: the rows of ``profile_cost.py --json``; a training that failed
    there costs infinity, and so does one the file does not list), and, for each target left out, its
    closure's costliest training and that cost."""
    from verifier.running import registry as reg
    from verifier.running.runner import Options, Runner

    cost_of: dict[str, tuple[str, float]] = {}
    for row in trainings:
        seconds = math.inf if "error" in row else float(row["projected_seconds"])
        for rid in row["results"]:
            cost_of[rid] = (row["check"], seconds)
    registry = reg.load()
    runner = Runner(registry, Options(profile=profile), None)
    kept, left_out = [], {}
    for rid in targets:
        closure = runner.plan([rid])
        # an empirical result whose training the file does not list (a cost run stopped before it) costs infinity
        reads = [cost_of.get(r, ("(not in the cost file)", math.inf)) for r in closure
                 if r in cost_of or registry.entry(r).empirical]
        costliest = max(reads, key=lambda pair: pair[1], default=None)
        if costliest is not None and costliest[1] > limit:
            left_out[rid] = costliest
        else:
            kept.append(rid)
    return kept, left_out


def shortenable(check: str, seconds: float, trainings: list[dict[str, Any]]) -> str:
    """Whether ``--adaptive`` could run fewer replicas of the training ``(check, projected seconds)`` of the
    cost file: only when every result reading it can stop early (:func:`verifier.judging.adaptive.fixed_n_claims`
    of each), since one that cannot runs it in full."""
    from verifier.judging import adaptive
    from verifier.running import registry as reg

    row = next((r for r in trainings if r["check"] == check
                and (math.inf if "error" in r else float(r["projected_seconds"])) == seconds), None)
    if row is None:
        return "its training is not in the cost file"
    results = reg.load().results
    fixed = sum(bool(adaptive.fixed_n_claims(results[rid].claims)) for rid in row["results"])
    if fixed:
        who = ("the one result reading it has" if len(row["results"]) == 1
               else f"{fixed} of the {len(row['results'])} results reading it {'has' if fixed == 1 else 'have'}")
        return f"--adaptive could not shorten it ({who} a claim with no sequential test)"
    return f"--adaptive might shorten it (all {len(row['results'])} results reading it can stop early)"


def compare(fixed: dict[str, dict[str, Any]], adaptive: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per empirical result: verdicts, replicas and check seconds of both runs, its claims without a
    sequential test, and every claim's verdict and measurement in both runs (for the JSON)."""
    rows = []
    for rid, item in fixed.items():
        other = adaptive[rid]
        if not item.get("replicas"):
            continue
        rows.append({"result": rid, "fixed_verdict": item["verdict"], "adaptive_verdict": other["verdict"],
                     "fixed_replicas": item["replicas"], "adaptive_replicas": other["replicas"],
                     "maximum": other.get("replicas_maximum", item["replicas"]),
                     "fixed_seconds": item.get("check_seconds"), "adaptive_seconds": other.get("check_seconds"),
                     "not_adaptive": sorted((other.get("adaptive") or {}).get("not_adaptive", {})),
                     "claims": [{"claim": c["label"], "fixed": c["verdict"], "adaptive": a.get("verdict"),
                                 "fixed_measured": _measured(c), "adaptive_measured": _measured(a)}
                                for c, a in zip(item.get("claims", []), other.get("claims", []))]})
    return rows


def _measured(claim: dict[str, Any]) -> dict[str, Any]:
    """What a claim observed, with its interval, what it claimed and its p_fail (the fields the partial file
    keeps), so that a finished comparison keeps the numbers behind its verdicts too."""
    return {key: claim.get(key) for key in PARTIAL_CLAIM_FIELDS if key != "verdict"}


def agreement(fixed: str, adaptive: str, before_correction: str | None = None) -> str:
    """How a claim's adaptive verdict stands to its fixed one (``before_correction``: the adaptive verdict
    before the run's family correction turned a FAIL into INCONCLUSIVE, if it did)."""
    if fixed == adaptive:
        return "agree"
    if fixed not in DECISIVE:
        return "fixed undecided"
    if adaptive in DECISIVE:
        return "CONTRADICTS"
    if before_correction == fixed:
        return "adaptive undecided (family correction)"
    return "adaptive undecided"


def claim_rows(fixed: dict[str, dict[str, Any]], adaptive: dict[str, dict[str, Any]],
               results: list[str] | None = None) -> list[dict[str, Any]]:
    """One row per claim judged by a sequential test in the adaptive run (of ``results``, or of every
    result of the runs): both verdicts, the replicas the adaptive run used, and how the two stand."""
    rows = []
    for rid, item in fixed.items():
        if results is not None and rid not in results:
            continue
        other = {c["label"]: c for c in adaptive[rid].get("claims", [])}
        for claim in item.get("claims", []):
            sequential = other.get(claim["label"])
            if sequential is None or "sequential" not in sequential:
                continue
            rows.append({"result": rid, "claim": claim["label"], "kind": claim["kind"],
                         "fixed_verdict": claim["verdict"], "adaptive_verdict": sequential["verdict"],
                         "used": sequential.get("replicas_used"), "maximum": sequential.get("replicas_maximum"),
                         "fixed_replicas": item.get("replicas"),
                         "agreement": agreement(claim["verdict"], sequential["verdict"],
                                                sequential.get("verdict_before_correction"))})
    return rows


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def table(rows: list[dict[str, Any]], totals: tuple[float, float], claims: list[dict[str, Any]] | None = None) -> str:
    """Results side by side, the claims with a sequential test, then the totals. Seconds per result are
    its check's (a result that reads a check another result ran reuses its replicas, and may show that
    run's seconds); the totals are those of the whole runs."""
    header = (f"{'result':32} {'fixed':>13} {'adaptive':>13} {'replicas':>9} {'used':>9} {'check s':>8} "
              f"{'adaptive s':>10}  claims not adaptive")
    lines = [header, "-" * len(header)]
    for r in rows:
        lines.append(f"{r['result']:32} {r['fixed_verdict']:>13} {r['adaptive_verdict']:>13} {r['fixed_replicas']:>9} "
                     f"{r['adaptive_replicas']:>4}/{r['maximum']:<4} {_seconds(r.get('fixed_seconds')):>8} "
                     f"{_seconds(r.get('adaptive_seconds')):>10}  {len(r['not_adaptive'])}")
    if claims:
        lines += ["", f"{'claims with a sequential test':72} {'fixed':>12} {'adaptive':>12} {'used':>9}  agreement",
                  "-" * 120]
        for c in claims:
            label = f"{c['result'].split('/')[-1]}: {c['claim']}"
            label = label if len(label) <= 72 else label[:69] + "..."
            lines.append(f"{label:72} {c['fixed_verdict']:>12} {c['adaptive_verdict']:>12} "
                         f"{c['used']:>4}/{c['maximum']:<4}  {c['agreement']}")
    fixed_total = sum(r["fixed_replicas"] for r in rows)
    used_total = sum(r["adaptive_replicas"] for r in rows)
    saved = totals[0] - totals[1]
    lines.append(f"replicas judged: {used_total} of {fixed_total} ({1 - used_total / max(fixed_total, 1):.0%} fewer); "
                 f"whole runs: {totals[0]:.1f} s fixed, {totals[1]:.1f} s adaptive "
                 f"({saved:.1f} s, {saved / totals[0] if totals[0] else 0:.0%} saved); verdicts differ: "
                 f"{sum(r['fixed_verdict'] != r['adaptive_verdict'] for r in rows)} of {len(rows)} results")
    if claims is not None:
        counts = {k: sum(c["agreement"].startswith(k) for c in claims)
                  for k in ("agree", "fixed undecided", "adaptive undecided", "CONTRADICTS")}
        lines.append(f"claims with a sequential test: {len(claims)}; " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="*", help="result ids, e.g. huang2024/lemma-b.1")
    parser.add_argument("--all", action="store_true", help="every known result, as `verify all` judges them")
    parser.add_argument("--paper", action="append", default=None, metavar="KEY",
                        help="every result of this paper, as `verify paper KEY` judges them (repeatable)")
    parser.add_argument("--max-batch", type=int, default=None, metavar="N",
                        help="at most N replicas per check call (memory; the measurements do not depend on it)")
    parser.add_argument("--costs", type=Path, default=None, metavar="COST.json",
                        help="profile_cost.py's JSON for this profile and device (with --within)")
    parser.add_argument("--within", type=float, default=None, metavar="S",
                        help="keep only the targets whose every check is projected at <= S seconds (needs --costs)")
    parser.add_argument("--profile", default="quick")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--replicas", type=int, default=None, metavar="N",
                        help="the maximum replica count of both runs (default: each result's, for the profile)")
    parser.add_argument("--correction", default="holm", choices=("holm", "bonferroni", "bh", "none"),
                        help="the runs' family correction (an adaptive run's is e-Holm / e-BH over the e-values)")
    parser.add_argument("--all-claims", action="store_true",
                        help="list the sequential claims of the results used as well, not only of those named")
    parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="also write the rows as JSON")
    parser.add_argument("--reuse-fixed", action="store_true",
                        help="do not run again, in the adaptive run, a training whose first reader has a claim with no "
                             "sequential test (the same call in both runs): take the fixed run's, and its seconds")
    parser.add_argument("--jobs", type=int, default=None, metavar="N",
                        help="run the fixed run's distinct trainings in N local processes first (wall time; the "
                             "seconds reported are still each training's own, as in one process)")
    parser.add_argument("--list", action="store_true",
                        help="with --costs: print the targets kept and those left out, and run nothing")
    add_device_and_precision(parser)
    args = parser.parse_args(argv)
    if args.replicas is not None and args.replicas < 1:
        parser.error("--replicas must be a positive integer")
    device = resolved_device(parser, args.device)
    if sum((args.all, bool(args.results), bool(args.paper))) != 1:
        parser.error("name the results to judge, or give --all or --paper (one of the three)")
    if args.max_batch is not None and args.max_batch < 1:
        parser.error("--max-batch must be a positive integer")
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be a positive integer")
    if (args.costs is None) != (args.within is None):
        parser.error("--costs and --within go together")
    if args.list and args.costs is None:
        parser.error("--list needs --costs and --within")
    from verifier.running import registry as reg

    known = reg.load().results
    unknown = [r for r in args.results if r not in known]
    if unknown:
        parser.error(f"unknown result {unknown[0]!r} (expected a full id such as huang2024/lemma-b.1)")
    papers = sorted({known[rid].paper.key for rid in known})
    missing = [key for key in args.paper or () if key not in papers]
    if missing:
        parser.error(f"--paper {missing[0]}: no such paper (known: {', '.join(papers)})")
    targets = (list(known) if args.all else list(args.results) if args.results
               else [rid for rid in known if known[rid].paper.key in args.paper])
    left_out: dict[str, tuple[str, float]] = {}
    why_not: dict[str, str] = {}
    if args.costs is not None:
        costs = _read_costs(parser, args.costs, args.profile, device)
        targets, left_out = within_budget(targets, costs, args.within, args.profile)
        print(f"{len(targets)} results kept, {len(left_out)} left out: a check they read (or one of what they "
              f"use) is projected over {args.within:g} s in {args.costs}")
        why_not = {rid: shortenable(check, seconds, costs) for rid, (check, seconds) in left_out.items()}
        for rid, (check, seconds) in left_out.items():
            print(f"  left out {rid}: {check.removeprefix('checks.')} projected {seconds:.0f} s; {why_not[rid]}")
        if args.list:
            return 0
        if not targets:
            parser.error(f"no target fits within {args.within:g} s")
    keep = partial_writer(args.json)
    fixed, fixed_s, fixed_runner, _ = judge(targets, args.profile, device, args.precision, args.seed, False,
                                            args.replicas, args.correction, args.max_batch,
                                            on_record=lambda item: keep("fixed", item), jobs=args.jobs)
    keys = reusable(fixed) if args.reuse_fixed else set()
    adaptive, adaptive_s, _, reused_s = judge(targets, args.profile, device, args.precision, args.seed, True,
                                              args.replicas, args.correction, args.max_batch,
                                              (fixed_runner, keys) if keys else None,
                                              on_record=lambda item: keep("adaptive", item))
    rows = compare(fixed, adaptive)
    claims = claim_rows(fixed, adaptive, None if args.all_claims or args.all or args.paper else targets)
    print(table(rows, (fixed_s, adaptive_s + reused_s), claims))
    if keys:
        print(f"reused: {len(keys)} training(s) whose first reader has a claim with no sequential test were not run "
              f"again: their {reused_s:.1f} s of the fixed run are counted in the adaptive total (the same check call "
              "in both runs)")
    if args.json:
        args.json.write_text(json.dumps({"complete": True, "profile": args.profile, "replicas": args.replicas,
                                         "correction": args.correction, "rows": rows,
                                         "claims": claims, "seconds": {"fixed": fixed_s, "adaptive": adaptive_s + reused_s,
                                                                       "reused_in_adaptive": reused_s},
                                         "reused_trainings": sorted(keys),
                                         "targets": targets, "within": args.within,
                                         "left_out": {rid: {"check": c, "projected_seconds": s, "adaptive": why_not[rid]}
                                                      for rid, (c, s) in left_out.items()}},
                                        indent=1))
    return 1 if any(c["agreement"] == "CONTRADICTS" for c in claims) else 0


def _read_costs(parser: argparse.ArgumentParser, path: Path, profile: str, device: str) -> list[dict[str, Any]]:
    """The trainings of ``profile_cost.py --json``, checked to be of this profile and device."""
    try:
        data = json.loads(path.read_text())
        rows, made_for = data["trainings"], (data["profile"], data["device"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        parser.error(f"--costs {path}: expected the JSON of benchmarks/profile_cost.py --json ({exc})")
    if made_for != (profile, device):
        parser.error(f"--costs {path} was measured for profile {made_for[0]!r} on {made_for[1]!r}, "
                     f"not {profile!r} on {device!r}")
    if any("projected_seconds" not in row and "error" not in row for row in rows):
        parser.error(f"--costs {path} lists its trainings without timing them (made with --list)")
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
