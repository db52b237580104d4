"""What a profile runs, and what it costs: the distinct trainings behind `verify all --profile P`.

Results that read the same check with the same parameters share one batched training (the runner
keys each check run by check, parameters, replicas, seed, device, precision and code). This script
lists those trainings, with the number of results each one serves, and projects what each costs from
two probes of its own seeds: ``--probe P`` times one call with the first P replicas and one with the
first 2P, fits ``seconds = a + b x replicas`` per call (``a``: what a call costs whatever its size,
such as a time loop of scalar steps; ``b``: the cost of one more replica) and sums that over the
training's batches (the spec's ``max_batch``). Probes of a few replicas cannot tell a fixed loop of
small steps from per-replica work, so the fit over-states such checks (measured on the CPU: the
tensor-power recursion's batch of 1024 projected at 319 s, measured at 5.4 s), and on a GPU, where a
batch is nearly free up to some size, it over-states large batches; ``--probe 0`` times each
training's first whole batch, exact per batch. ``--run`` times every training in full (what `verify all --profile P --no-cache` spends in
its checks).

Under ``--adaptive`` a training can run fewer replicas than its maximum only when every result that reads
it can stop early, which needs every empirical claim of that result to have a sequential test (a
Probability, a Bound of a proportion, or a Bound of a mean with a declared support); the column ``stop``
counts those results (``a/b``), and a training whose count is below ``b`` runs all its replicas under
``--adaptive`` whatever its data, as a fixed run does.

``--memory`` measures each training in a process of its own and adds its peak resident memory (the
child's ``ru_maxrss``: the check's arrays, the allocator's reserve and the interpreter, about 0.3 GB),
the figure to size ``--max-batch`` by on a machine with less memory than the profile was sized for.

    python benchmarks/profile_cost.py --profile full --device cpu --probe 2
    python benchmarks/profile_cost.py --profile full --device cuda --probe 0 --json cost.json
    python benchmarks/profile_cost.py --profile full --device cpu --probe 0 --memory --paper lu2023
"""
from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import resource
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._options import add_device_and_precision, resolved_device  # noqa: E402
from verifier.presentation import atomic  # noqa: E402


def trainings(profile: str, device: str, precision: str, papers: list[str] | None) -> list[dict]:
    """The distinct check runs of ``verify all --profile profile`` (restricted to ``papers``), in plan
    order: the job, and the results that read it."""
    from verifier.judging import adaptive
    from verifier.running import overrides
    from verifier.running import registry as reg
    from verifier.running.runner import Options, Runner

    registry = reg.load()
    runner = Runner(registry, Options(profile=profile, device=device, precision=precision), None)
    found: dict[str, dict] = {}
    for rid in runner.plan(list(registry.results)):
        result = registry.results[rid]
        if not result.empirical or (papers and result.paper.key not in papers):
            continue
        params = overrides.apply(result, result.parameter_values(profile), {})
        job, description = runner.job(result, params)
        entry = found.setdefault(job.key, {"job": job, "check": description["check"], "results": [], "may_stop_early": []})
        entry["results"].append(rid)
        if not adaptive.fixed_n_claims(result.claims):
            entry["may_stop_early"].append(rid)
    return list(found.values())


def time_job(job, replicas: int | None) -> tuple[float, int, list[str]]:
    """Seconds for the job's first ``replicas`` seeds (all of them when None), and the notes of the run."""
    from dataclasses import replace

    from verifier.running import executors

    seeds = list(job.seeds) if replicas is None else list(job.seeds)[:replicas]
    outcome = executors.run_job(replace(job, seeds=seeds))
    if outcome.error is not None:
        raise outcome.error
    return outcome.seconds, len(seeds), outcome.notes


def _cost(job, replicas: int, batch: int, probe: int, run: bool) -> tuple[float, float, int, str, list[str]]:
    """(projected seconds, seconds of the last timed call, its replicas, how it was projected, notes)."""
    if run:
        seconds, timed, notes = time_job(job, None)
        return seconds, seconds, timed, "measured", notes
    if not probe or probe >= min(replicas, batch):
        seconds, timed, notes = time_job(job, min(replicas, batch))
        how = "whole batch" if timed < replicas else "measured"
        return seconds * math.ceil(replicas / batch), seconds, timed, how, notes
    small, _, notes = time_job(job, probe)
    seconds, timed, more = time_job(job, 2 * probe)
    per_replica = max(seconds - small, 0.0) / probe
    per_call = max(small - per_replica * probe, 0.0)
    sizes = [batch] * (replicas // batch) + ([replicas % batch] if replicas % batch else [])
    projected = sum(per_call + per_replica * size for size in sizes)
    return projected, seconds, timed, f"{per_call:.2f} s + {per_replica:.3f} s/replica", notes + more


def _cost_in_child(profile: str, device: str, precision: str, papers: list[str] | None, index: int, probe: int,
                   run: bool) -> tuple[tuple[float, float, int, str, list[str]], float]:
    """:func:`_cost` of training ``index`` of :func:`trainings`, and this process's peak resident memory
    in GB (run in a fresh process, it is that training's)."""
    job = trainings(profile, device, precision, papers)[index]["job"]
    replicas, batch = len(job.seeds), job.max_batch or len(job.seeds)
    figures = _cost(job, replicas, batch, probe, run)
    return figures, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e9   # Linux: KiB


def measure(args: argparse.Namespace, device: str, index: int, job, replicas: int,
            batch: int) -> tuple[tuple[float, float, int, str, list[str]], float | None]:
    """The cost figures of one training and, with ``--memory``, its peak memory in GB (measured in a
    process of its own, started fresh)."""
    if not args.memory:
        return _cost(job, replicas, batch, args.probe, args.run), None
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_cost_in_child, args.profile, device, args.precision, args.paper, index, args.probe,
                           args.run).result()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="full")
    add_device_and_precision(parser)
    parser.add_argument("--paper", action="append", default=None, help="only this paper's results (repeatable)")
    parser.add_argument("--probe", type=int, default=4,
                        help="replicas timed per training (0: its first whole batch)")
    parser.add_argument("--run", action="store_true", help="time every training in full instead of projecting")
    parser.add_argument("--list", action="store_true", help="only list the trainings, run nothing")
    parser.add_argument("--memory", action="store_true",
                        help="measure each training in a process of its own and report its peak memory")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON")
    args = parser.parse_args()

    device = resolved_device(parser, args.device)
    jobs = trainings(args.profile, device, args.precision, args.paper)
    served = sum(len(j["results"]) for j in jobs)
    print(f"profile {args.profile}, device {device}, precision {args.precision}: {served} empirical results "
          f"read {len(jobs)} distinct trainings")
    timing = "" if args.list else (f" {'timed':>6} {'seconds':>9} {'projected s':>11}"
                                   + (f" {'peak GB':>8}" if args.memory else "") + "  how")
    print(f"{'check':<46} {'replicas':>8} {'batch':>6} {'results':>7} {'stop':>5}{timing}")
    rows, total, fixed_total, fixed_count = [], 0.0, 0.0, 0
    for index, entry in enumerate(jobs):
        job = entry["job"]
        replicas, batch = len(job.seeds), job.max_batch or len(job.seeds)
        label = entry["check"].removeprefix("checks.")
        row = {"check": entry["check"], "results": entry["results"], "may_stop_early": entry["may_stop_early"],
               "replicas": replicas, "max_batch": job.max_batch, "params": dict(job.params)}
        stop = f"{len(entry['may_stop_early'])}/{len(entry['results'])}"
        fixed = len(entry["may_stop_early"]) < len(entry["results"])
        fixed_count += fixed
        head = f"{label:<46} {replicas:>8} {batch:>6} {len(entry['results']):>7} {stop:>5}"
        if args.list:
            print(f"{head}  first: {entry['results'][0]}")
            rows.append(row)
            continue
        try:
            (projected, seconds, timed, how, notes), peak = measure(args, device, index, job, replicas, batch)
        except Exception as exc:  # one failing training (or its process, killed for memory) must not hide the others
            print(f"{head}  ERROR {type(exc).__name__}: {exc}")
            rows.append({**row, "error": f"{type(exc).__name__}: {exc}"})
            continue
        total += projected
        fixed_total += projected if fixed else 0.0
        memory = "" if peak is None else f" {peak:>8.2f}"
        print(f"{head} {timed:>6} {seconds:>9.2f} {projected:>11.1f}{memory}  {how}", flush=True)
        for note in notes:
            print(f"    note: {note}")
        rows.append({**row, "timed_replicas": timed, "seconds": seconds, "projected_seconds": projected,
                     "projection": how, "notes": notes, **({"peak_gb": peak} if peak is not None else {})})
        _write_json(args, device, total, rows, complete=False)  # a run stopped at a time limit keeps its rows
    if not args.list:
        failed = sum("error" in row for row in rows)
        print(f"total {'measured' if args.run else 'projected'}: {total:.0f} s ({total / 60:.1f} min) in the checks"
              + (f", without the {failed} training(s) that failed" if failed else ""))
    print(f"--adaptive: {fixed_count} of {len(jobs)} trainings run all their replicas whatever their data (a result "
          "reading them has a claim with no sequential test)"
          + ("" if args.list else f", {fixed_total:.0f} s of the {total:.0f} s"))
    _write_json(args, device, total, rows, complete=True)


def _write_json(args: argparse.Namespace, device: str, total: float, rows: list[dict], complete: bool) -> None:
    """The figures so far as JSON (``complete`` false until every training is in), whole or not at all."""
    if args.json:
        document = {"profile": args.profile, "device": device, "precision": args.precision, "run": args.run,
                    "probe": args.probe, "total_seconds": total, "complete": complete, "trainings": rows}
        atomic.write_text(args.json, json.dumps(document, indent=2, default=str))


if __name__ == "__main__":
    main()
