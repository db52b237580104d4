"""Run results in dependency order: symbolic layer, check, acceptance, propagation, store.

One record (a JSON-ready dict) per result is the source of truth from which every report is
rendered; it is committed to the store as soon as it is finished.
"""
from __future__ import annotations

import math
import shlex
import time
import traceback
import uuid
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Mapping

import numpy as np
import sympy as sp

from verifier.judging import adaptive, multiplicity, sequential, shapes, symbolic
from verifier.judging import graph as dag
from verifier.judging import support as chain
from verifier.judging.evaluate import judge_empirical
from verifier.judging.verdicts import Verdict, combine
from verifier.running import batching, compute, executors, overrides
from verifier.running import seeds as seeding
from verifier.running.check_code import check_name, check_source_digest, spec_hash
from verifier.running.check_shapes import check_shapes
from verifier.running.environment import describe
from verifier.running.registry import Registry
from verifier.running.store import Store
from verifier.running.symbolic_cache import judge_symbolic_cached
from verifier.spec.results import Result


@dataclass(frozen=True)
class Options:
    """What the user chose for one run."""

    profile: str = "quick"
    device: str = "cpu"
    seed: int = 0
    replicas: int | None = None
    use_cache: bool = True
    cpu_fallback: bool = False
    overrides: Mapping[str, float] = field(default_factory=dict)
    precision: str = "auto"
    threads: int | None = None
    max_batch: int | None = None
    correction: str = "holm"
    readings: str = "all"  # "all": also judge every claim under each admissible alternative reading; "default": not
    adaptive: bool = False  # replicas in rounds until every claim is decided by an anytime-valid test

    def __post_init__(self) -> None:
        if self.precision not in compute.PRECISIONS:
            raise ValueError(f"precision must be one of {', '.join(compute.PRECISIONS)}, got {self.precision!r}")
        if self.readings not in READING_MODES:
            raise ValueError(f"readings must be one of {', '.join(READING_MODES)}, got {self.readings!r}")
        if self.correction not in multiplicity.CORRECTIONS:
            raise ValueError(f"correction must be one of {', '.join(multiplicity.CORRECTIONS)}, got {self.correction!r}")
        for name in ("threads", "max_batch", "replicas"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, int) or value < 1):
                raise ValueError(f"{name} must be a positive integer or None, got {value!r}")


@dataclass
class RunRecord:
    """Everything one ``verify`` invocation produced."""

    run_id: str
    options: Options
    environment: dict[str, Any]
    targets: list[str]
    results: list[dict[str, Any]] = field(default_factory=list)
    interrupted: bool = False
    family: dict[str, Any] = field(default_factory=dict)  # the family correction: method, size, what it changed
    readings: dict[str, dict[str, Any]] = field(default_factory=dict)  # every reading used, once, by name
    started: float = field(default_factory=time.time)  # seconds since the epoch
    finished: float | None = None
    plugin_problems: list[dict[str, str]] = field(default_factory=list)  # what could not be loaded (LoadProblem)

    @property
    def ok(self) -> bool:
        return not self.interrupted and all(Verdict(r["verdict"]).ok for r in self.results)

    def to_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "options": {**vars(self.options), "overrides": dict(self.options.overrides)},
                "environment": self.environment,
                "targets": self.targets, "interrupted": self.interrupted, "family": self.family,
                "readings": self.readings, "plugin_problems": self.plugin_problems, "results": self.results,
                "started": self.started, "finished": self.finished}


READING_MODES = ("default", "all")

# Own verdicts that a violated assumption turns into INCONCLUSIVE (an ERROR stays an ERROR).
OUTSIDE_REGIME_MASKED = (Verdict.PASS, Verdict.FAIL, Verdict.INCONCLUSIVE)


def reproduce_command(result: Result, options: Options, replicas: int | None, plugins: Iterable[str] = ()) -> str:
    """The command that reruns one result; ``plugins``: the ``--plugin`` files it and what it uses come from."""
    parts = ["verify theorem", result.id, f"--profile {options.profile}", f"--seed {options.seed}",
             f"--device {options.device}"]
    if options.precision != "auto":
        parts.append(f"--precision {options.precision}")
    if replicas is not None:
        parts.append(f"--replicas {replicas}")
    if options.adaptive:
        parts.append("--adaptive")
    declared = {p.name for p in result.parameters}
    parts.extend(f"--param {k}={v}" for k, v in sorted(options.overrides.items()) if k in declared)
    parts.extend(f"--plugin {shlex.quote(path)}" for path in plugins)
    return " ".join(parts)


class Runner:
    """Evaluates results of a registry into records, sharing check runs between results."""

    def __init__(self, registry: Registry, options: Options, store: Store | None):
        self.registry = registry
        self.options = options
        self.store = store
        self.graph = registry.graph()
        self._measurements: dict[str, tuple[dict[str, np.ndarray], float, bool, list[str]]] = {}
        self._links: dict[str, chain.Link] = {}  # what each judged result tells those that use it
        self._family_size = 1  # the run's empirical claims (set by run): the family the correction covers

    def plan(self, targets: Iterable[str]) -> list[str]:
        return dag.closure(self.graph, targets)

    def run(self, targets: list[str], argv: list[str],
            progress: Callable[[int, int, str, dict[str, Any] | None], None] = lambda *a: None,
            run_many: executors.MapFunction | None = None) -> RunRecord:
        """Judge the targets and what they use, in order; with ``run_many`` (an executor's ``map``) all
        check runs are launched together first."""
        order = self.plan(targets)
        self._family_size = sum(claim.empirical for rid in order for claim in self.registry.results[rid].claims)
        if run_many is not None and not self.options.adaptive:  # adaptive runs decide how many replicas as they go
            self.prefetch(order, run_many)
        record = RunRecord(uuid.uuid4().hex[:12], self.options, describe(self.options.device), targets,
                           plugin_problems=[problem.to_dict() for problem in self.registry.problems])
        if self.store:
            details = record.to_dict()
            self.store.start_run(record.run_id, argv, record.environment,
                                 {"options": details["options"], "targets": targets,
                                  "plugin_problems": record.plugin_problems}, record.started)
        verdicts: dict[str, Verdict] = {}
        try:
            for index, rid in enumerate(order):
                progress(index, len(order), rid, None)
                result = self.registry.results[rid]
                item = self.evaluate(result, verdicts)
                record.readings.update((r.name, r.to_dict()) for r in result.readings)
                verdicts[rid] = Verdict(item["verdict"])
                record.results.append(item)
                if self.store:
                    self.store.save_result(record.run_id, item)
                progress(index + 1, len(order), rid, item)
        except KeyboardInterrupt:
            record.interrupted = True
        finally:
            self.correct_family(record)
            record.finished = time.time()
            if self.store:
                self.store.finish_run(record.run_id, "interrupted" if record.interrupted else "finished",
                                      record.finished)
        return record

    def plugin_files(self, rid: str) -> list[str]:
        """The ``--plugin`` files that define a result and everything it uses (a rerun must load them)."""
        paths = self.registry.paths
        return sorted({paths[r] for r in self.plan([rid]) if r in paths}, key=lambda p: (p != paths.get(rid), p))

    def measurements_of(self, key: str) -> dict[str, np.ndarray]:
        """The arrays of a check run made (or fetched) during this runner's life."""
        return self._measurements[key][0]

    def reuse(self, other: "Runner", keys: Iterable[str]) -> float:
        """Take another runner's check runs of ``keys`` as this runner's own, run already (their seconds are
        kept; a result reading one is then a cache hit); returns the seconds they took there. For
        ``benchmarks/adaptive.py``: a training ``--adaptive`` cannot shorten is the same call in both runs."""
        seconds = 0.0
        for key in keys:
            data, spent, hit, notes = other._measurements[key]
            self._measurements[key] = (data, spent, hit, notes)
            seconds += 0.0 if hit else spent
        return seconds

    def _replicas(self, result: Result) -> int:
        return self.options.replicas or int(result.replicas[self.options.profile])

    def job(self, result: Result, params: Mapping[str, float],
            replicas: int | None = None) -> tuple[executors.Job, dict[str, Any]]:
        """The check run a result needs (its first ``replicas``, by default all), keyed by everything its
        measurements depend on."""
        replicas = replicas or self._replicas(result)
        name = check_name(result.check)
        seeds = seeding.replica_seeds(name, params, self.options.seed, replicas)
        description = {"check": name, "params": dict(params), "replicas": replicas, "seed": self.options.seed,
                       "device": self.options.device, "precision": self.options.precision,
                       "code": check_source_digest(result.check)}
        job = executors.Job(seeding.digest(description), result.check, dict(params), seeds, self.options.device,
                            self.options.cpu_fallback, self.options.precision, self.options.threads,
                            self.options.max_batch or result.max_batch.get(self.options.profile), declared_shapes(result))
        return job, description

    def _cached(self, key: str) -> bool:
        if key in self._measurements:
            return True
        if self.options.use_cache and self.store and (cached := self.store.load_measurements(key)) is not None:
            self._measurements[key] = (cached, 0.0, True, [])
            return True
        return False

    def _keep(self, job: executors.Job, description: dict[str, Any], outcome: executors.Outcome) -> None:
        if outcome.error is not None:
            raise outcome.error
        self._measurements[job.key] = (outcome.data, outcome.seconds, False, outcome.notes)
        if self.store:
            self.store.save_measurements(job.key, description["check"], description, outcome.data, outcome.seconds)

    def prefetch(self, order: list[str], run_many: executors.MapFunction) -> None:
        """Run every distinct, uncached check of the plan at once through ``run_many`` (an executor);
        a job that fails is left for :meth:`measure` to report as that result's ERROR."""
        pending: dict[str, tuple[executors.Job, dict[str, Any]]] = {}
        for rid in order:
            result = self.registry.results[rid]
            if not result.empirical:
                continue
            try:
                params = overrides.apply(result, result.parameter_values(self.options.profile), self.options.overrides)
                job, description = self.job(result, params)
            except Exception:
                continue
            if not self._cached(job.key):
                pending.setdefault(job.key, (job, description))
        stopped = False
        try:
            outcomes: list[executors.Outcome | None] = list(run_many([job for job, _ in pending.values()]))
        except executors.Interrupted as interrupted:  # keep what finished, then stop as Ctrl-C asks
            outcomes, stopped = interrupted.outcomes, True
        for (job, description), outcome in zip(pending.values(), outcomes):
            if outcome is not None and outcome.error is None:
                self._keep(job, description, outcome)
        if stopped:
            raise KeyboardInterrupt from None

    def measure(self, result: Result, params: Mapping[str, float],
                notes: list[str]) -> tuple[dict[str, np.ndarray], float, bool, str]:
        """Run (or fetch from cache) the result's check; results sharing check and parameters share it.
        What happened on the way (a batch halved for memory) is appended to ``notes``."""
        job, description = self.job(result, params)
        hit = self._cached(job.key)
        if not hit:
            self._keep(job, description, executors.run_job(job))
        data, seconds, _, job_notes = self._measurements[job.key]
        notes.extend(job_notes)
        return data, seconds, hit, job.key

    def measure_first(self, result: Result, params: Mapping[str, float], replicas: int,
                      previous: tuple[dict[str, np.ndarray], int] | None,
                      notes: list[str]) -> tuple[dict[str, np.ndarray], float, bool, str]:
        """The first ``replicas`` replicas of the result's check, keyed as a fixed run of that many: from the
        cache, or by running only those after ``previous`` (its data and replica count; by default the
        longest cached prefix of the adaptive rounds, such as another result's that stopped early) and
        joining them."""
        job, description = self.job(result, params, replicas)
        if self._cached(job.key):
            data, seconds, _, job_notes = self._measurements[job.key]
            notes.extend(job_notes)
            return data, seconds, True, job.key
        if previous is None:
            shorter = (n for n in reversed(adaptive_rounds(self._replicas(result))) if n < replicas)
            previous = next(((self._measurements[key][0], n) for n in shorter
                             if self._cached(key := self.job(result, params, n)[0].key)), None)
        data, done = previous if previous is not None else (None, 0)
        outcome = executors.run_job(replace(job, seeds=job.seeds[done:]))
        if outcome.error is None and data is not None:
            outcome.data = batching.merge(data, outcome.data, done, replicas - done, job.shapes)
        self._keep(job, description, outcome)
        notes.extend(outcome.notes)
        return outcome.data, outcome.seconds, False, job.key

    def measure_adaptive(self, result: Result, params: Mapping[str, float], judged: Mapping[str, float],
                         declared: Mapping[str, tuple], notes: list[str]) -> dict[str, Any]:
        """Replicas in rounds (:func:`adaptive_rounds`) until every empirical claim is decided by its anytime
        test; a claim without one (``adaptive.NotAdaptive``) sends the result to its full replica count.

        The rounds start at the longest one already measured (another result of the same check ran it, at
        its full count or where it stopped): its replicas cost nothing, and running a shorter round again
        would train a prefix of them a second time. The e-processes read there are as valid as at any round."""
        maximum = self._replicas(result)
        static = adaptive.fixed_n_claims(result.claims)
        steps = [maximum] if static else adaptive_rounds(maximum)  # a claim that cannot stop early: no rounds
        seconds, hit, previous = 0.0, True, None
        replicas = start = next((n for n in reversed(steps) if self._cached(self.job(result, params, n)[0].key)), steps[0])
        if start > steps[0]:
            notes.append(f"--adaptive: judged from {replicas} replicas on: a run of this check with that many was "
                         "already measured (by another result, or stored), so no shorter round was run")
        while True:
            data, spent, was_hit, key = self.measure_first(result, params, replicas, previous, notes)
            seconds, hit, previous = seconds + spent, hit and was_hit, (data, replicas)
            shapes.validate(data, declared, params, replicas, required=result.shapes)
            arrays = _aliased(data, result.reading_aliases())
            judgements: dict[int, adaptive.Sequential] = {}
            reasons: dict[int, str] = dict(static)
            for index, claim in enumerate(result.claims):
                if not claim.empirical or index in static:
                    continue
                try:
                    judgements[index] = adaptive.judge(claim, judged, arrays, result.alpha, replicas, declared, maximum)
                except (adaptive.NotAdaptive, ValueError, KeyError, TypeError) as exc:  # the fixed-n judge reports
                    reasons[index] = str(exc)                                          # a claim that cannot be read
            if replicas >= maximum or (not reasons and all(self._settled(j, result.alpha) for j in judgements.values())):
                break
            replicas = maximum if reasons else next(n for n in steps if n > replicas)
        return {"data": data, "seconds": seconds, "hit": hit, "key": key, "replicas": replicas, "maximum": maximum,
                "round": steps[0], "start": start, "judgements": judgements, "reasons": reasons}

    def _settled(self, judged: adaptive.Sequential, alpha: float) -> bool:
        """Whether a claim's sequential judgement may stop its rounds: a PASS (it needs no family correction:
        a result passes only when all its claims do), or a FAIL whose evidence already meets the level the
        run's correction will ask of its strongest claim (e-Holm's and e-BH's first step: m / alpha over the
        run's m empirical claims). A FAIL at alpha alone keeps sampling; stopping there let the correction
        take it back on 32 replicas when more would have kept it."""
        if judged.verdict != "FAIL" or self.options.correction == "none":
            return judged.decided
        return judged.own.p_fail < alpha / max(1, self._family_size)

    def correct_family(self, record: RunRecord) -> None:
        """Adjust every judged claim's p_fail over the run (``Options.correction``); a FAIL that does not
        survive becomes INCONCLUSIVE, its result's verdict and everything placed after it are recomputed,
        and the records are stored again."""
        family = [(item, claim) for item in record.results for claim in item.get("claims", [])
                  if claim.get("p_fail") is not None]
        method = self.options.correction
        sequential_claims = sum("sequential" in claim for _, claim in family)
        by_e_values = bool(sequential_claims) and method in ("holm", "bh")

        def adjust(p_values: list[float]) -> list[float]:
            if not by_e_values:
                return multiplicity.adjust(p_values, method)
            e_values = [math.inf if p == 0 else 1 / p for p in p_values]  # e-Holm / e-BH on e = 1 / p_fail
            return sequential.e_holm(e_values) if method == "holm" else sequential.e_bh(e_values)

        adjusted = adjust([claim["p_fail"] for _, claim in family])
        if by_e_values:
            method = f"e-{method}" if method == "holm" or sequential_claims == len(family) else method
        changed: list[dict[str, Any]] = []
        for (item, claim), p_adjusted in zip(family, adjusted):
            claim["p_fail_adjusted"] = p_adjusted
            if claim["verdict"] == Verdict.FAIL.value and p_adjusted >= item["alpha"]:
                claim["verdict"] = Verdict.INCONCLUSIVE.value
                claim["verdict_before_correction"] = Verdict.FAIL.value
                claim["detail"] = "; ".join(part for part in (claim.get("detail"), (
                    f"FAIL at alpha = {item['alpha']} alone, not after the {method} correction over the run's "
                    f"{len(family)} claims (adjusted p = {p_adjusted:.3g})")) if part)
                changed.append({"id": item["id"], "claim": claim["label"], "p_fail": claim["p_fail"],
                                "p_fail_adjusted": p_adjusted})
        record.family = {"method": method, "size": len(family), **({"sequential": sequential_claims} if sequential_claims else {}),
                         "alpha": sorted({item["alpha"] for item, _ in family}), "changed": changed}
        for item in record.results:
            if changed and item["own_verdict"] != Verdict.ERROR.value:
                _own_verdict(item, item["assumptions_violated"])
        if not _correct_variants(record, family, adjust) and not changed:
            return
        self._links.clear()
        verdicts: dict[str, Verdict] = {}
        for item in record.results:
            self._place(self.registry.results[item["id"]], item, verdicts)
            verdicts[item["id"]] = Verdict(item["verdict"])
            if self.store:
                self.store.save_result(record.run_id, item)

    def _place(self, result: Result, item: dict[str, Any], verdicts: Mapping[str, Verdict]) -> None:
        """Verdict (BLOCKED when a dependency gave no evidence) and support, from the results before it."""
        own = Verdict(item["own_verdict"])
        item["blocked_by"] = dag.blocking(self.graph, result.id, verdicts)
        item["verdict"] = Verdict.BLOCKED.value if item["blocked_by"] else own.value
        item["blocked_root_causes"] = [
            {"id": cause, "verdict": verdicts[cause].value if cause in verdicts else "not run",
             "provenance": self.registry.results[cause].source.label if cause in self.registry.results else ""}
            for cause in dag.root_causes(self.graph, result.id, verdicts)]
        item["support"], item["support_weak_links"] = chain.support(self.graph, result.id, self._links)
        self._links[result.id] = chain.Link(own, _failing_statement_found(result, item), item["regime"] == "outside")

    def evaluate(self, result: Result, verdicts: Mapping[str, Verdict]) -> dict[str, Any]:
        """One record: own verdict from the claims (BLOCKED only when a dependency gave no evidence),
        and beside it the support of the proof chain it rests on."""
        start = time.perf_counter()
        item: dict[str, Any] = {
            "id": result.id, "alias": result.alias, "kind": result.kind.value, "number": result.number,
            "title": result.title, "paper": result.paper.key, "statement": result.statement,
            "reading": result.reading, "readings": [r.name for r in result.readings], "tag": result.tag, "provenance": result.source.to_dict(),
            "uses": list(result.uses),
            "assumes": list(result.assumes),
            "profile": self.options.profile, "device": self.options.device, "seed": self.options.seed,
            "precision": self.options.precision,
            "alpha": result.alpha, "check": check_name(result.check) if result.check else None,
            "exception": None, "cache_hit": False, "check_notes": [],
        }
        if result.derived_from:
            item["derived_from"] = {"id": result.derived_from, "changes": result.derivation}
        outcomes: list[dict[str, Any]] = []
        violated: list[str] = []
        try:
            item["spec_hash"] = spec_hash(result)
            params = result.parameter_values(self.options.profile) if result.profiles else {}
            params = overrides.apply(result, params, self.options.overrides)
            item["parameters"] = params
            violated = symbolic.check_assumptions(result.assumptions, params)
            item["assumptions"] = [sp.sstr(a) for a in result.assumptions]
            item["assumptions_violated"] = violated
            data: dict[str, np.ndarray] = {}
            declared = declared_shapes(result)
            judged = {**params, **result.reading_values()}
            run: dict[str, Any] = {}
            if result.empirical and self.options.adaptive:
                run = self.measure_adaptive(result, params, judged, declared, item["check_notes"])
                data, replicas = run["data"], run["replicas"]
                item.update(replicas=replicas, replicas_maximum=run["maximum"], check_seconds=run["seconds"],
                            cache_hit=run["hit"], measurement_key=run["key"],
                            adaptive={"round": run["round"], "start": run["start"], "used": replicas, "maximum": run["maximum"],
                                      "not_adaptive": {result.claims[i].label: why for i, why in run["reasons"].items()}},
                            seeds=seeding.replica_seeds(check_name(result.check), params, self.options.seed, replicas)[:4],
                            measurements=_summaries(data, result.measures))
            elif result.empirical:
                replicas = self._replicas(result)
                data, check_seconds, hit, key = self.measure(result, params, item["check_notes"])
                shapes.validate(data, declared, params, replicas, required=result.shapes)
                item.update(replicas=replicas, check_seconds=check_seconds, cache_hit=hit, measurement_key=key,
                            seeds=seeding.replica_seeds(check_name(result.check), params, self.options.seed, replicas)[:4],
                            measurements=_summaries(data, result.measures))
            data = _aliased(data, result.reading_aliases())
            for index, claim in enumerate(result.claims):
                outcome = (judge_empirical(claim, judged, data, result.alpha, item.get("replicas"), declared)
                           if claim.empirical else judge_symbolic_cached(claim))
                outcomes.append(outcome.to_dict())
                if run and claim.empirical:
                    outcomes[-1] = _adaptive_outcome(outcomes[-1], run, index)
                if claim.provenance is not None:
                    outcomes[-1]["provenance"] = claim.provenance.to_dict()
            item["claims"] = outcomes
            _own_verdict(item, violated)
            if self.options.readings == "all":
                item["reading_variants"] = _reading_variants(result, judged, data, item, declared, adaptive_judge=bool(run))
                item["reading_dependent"] = any(v["verdict"] != item["data_verdict"] for v in item["reading_variants"])
        except Exception as exc:  # a failing check is an ERROR result, never a crash
            item["own_verdict"] = Verdict.ERROR.value
            item["exception"] = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            item["traceback"] = traceback.format_exc()
        item["claims"] = outcomes
        item["p_pass"] = multiplicity.intersection_union([o.get("p_pass") for o in outcomes])
        item["no_power"] = any(o["verdict"] == Verdict.PASS.value and (o.get("power") or {}).get("no_power")
                               for o in outcomes)
        item["regime"] = "outside" if violated else "inside"
        self._place(result, item, verdicts)
        item["reproduce"] = reproduce_command(result, self.options, self.options.replicas, self.plugin_files(result.id))
        item["seconds"] = time.perf_counter() - start
        return item


def _reading_variants(result: Result, judged: Mapping[str, float], data: Mapping[str, np.ndarray],
                      item: Mapping[str, Any], declared: Mapping[str, tuple],
                      adaptive_judge: bool = False) -> list[dict[str, Any]]:
    """The claims judged again, on the same measurements, under each admissible alternative reading (in an
    adaptive run, by the same sequential test where the claim has one)."""
    def judge_one(claim: Any, values: Mapping[str, float], arrays: Mapping[str, np.ndarray]) -> tuple[str, float | None]:
        """The claim's verdict under these values, and its p_fail (for the run's family correction)."""
        if not claim.empirical:
            return judge_symbolic_cached(claim).verdict, None
        if adaptive_judge and claim.label not in item["adaptive"]["not_adaptive"]:
            try:
                judged_seq = adaptive.judge(claim, values, arrays, result.alpha, item["replicas"], declared,
                                            item["adaptive"]["maximum"])
                verdict = Verdict.INCONCLUSIVE.value if judged_seq.verdict == "undecided" else judged_seq.verdict
                return verdict, judged_seq.own.p_fail
            except (adaptive.NotAdaptive, ValueError, KeyError, TypeError):  # as in measure_adaptive: fixed-n
                pass
        outcome = judge_empirical(claim, values, arrays, result.alpha, item.get("replicas"), declared)
        return outcome.verdict, outcome.p_fail

    def variant(values: Mapping[str, float], arrays: Mapping[str, np.ndarray], **fields: Any) -> dict[str, Any]:
        judged_claims = [judge_one(c, values, arrays) for c in result.claims]
        verdicts = [verdict for verdict, _ in judged_claims]
        return {**fields, "claims": verdicts, "p_fail": [p for _, p in judged_claims],
                "verdict": combine([Verdict(v) for v in verdicts]).value}

    variants = []
    for reading in result.readings:
        for label, value in reading.alternatives.items():
            variants.append(variant({**judged, reading.symbol: float(value)}, data, reading=reading.name, label=label,
                                    symbol=reading.symbol, value=float(value)))
        for label, aliases in reading.alternative_aliases.items():
            variants.append(variant(judged, _aliased(data, aliases), reading=reading.name, label=label,
                                    symbol=", ".join(aliases), value=", ".join(aliases.values())))
    return variants


def _correct_variants(record: RunRecord, family: list[tuple[dict[str, Any], dict[str, Any]]],
                      adjust: Callable[[list[float]], list[float]]) -> bool:
    """Hold each reading variant's FAILs to the run's family correction as its default reading's claims are:
    a variant claim's p_fail takes the place of its claim's in the family (or joins it), and a FAIL whose
    adjusted p does not fall below alpha is INCONCLUSIVE; then whether the result depends on the reading
    is decided again, against the corrected data verdict. True when a variant's verdict changed."""
    changed = False
    position = {(id(item), id(claim)): index for index, (item, claim) in enumerate(family)}
    p_values = [claim["p_fail"] for _, claim in family]
    for item in record.results:
        for variant in item.get("reading_variants") or []:
            for index, (verdict, p_fail) in enumerate(zip(variant["claims"], variant.get("p_fail") or [])):
                if verdict != Verdict.FAIL.value or p_fail is None:
                    continue
                claims = item.get("claims", [])
                at = position.get((id(item), id(claims[index]))) if index < len(claims) else None
                trial = list(p_values) if at is not None else [*p_values, p_fail]
                at = len(p_values) if at is None else at
                trial[at] = p_fail
                if adjust(trial)[at] >= item["alpha"]:
                    variant["claims"][index] = Verdict.INCONCLUSIVE.value
                    changed = True
            variant["verdict"] = combine([Verdict(v) for v in variant["claims"]]).value
        if "reading_variants" in item:
            dependent = any(v["verdict"] != item["data_verdict"] for v in item["reading_variants"])
            changed |= dependent != item.get("reading_dependent")
            item["reading_dependent"] = dependent
    return changed


def adaptive_rounds(maximum: int) -> list[int]:
    """The replica counts an adaptive run looks at: every max(8, maximum / 8) replicas, and the maximum."""
    step = max(8, maximum // 8)
    return [*range(step, maximum, step), maximum]


def _adaptive_outcome(outcome: dict[str, Any], run: Mapping[str, Any], index: int) -> dict[str, Any]:
    """A claim outcome of an adaptive run: its sequential judgement, or why it had none (judged by its
    fixed-n interval at the replicas the result ran)."""
    if index in run["judgements"]:
        return adaptive.apply(outcome, run["judgements"][index], run["replicas"], run["maximum"])
    note = f"not adaptive ({run['reasons'][index]}): judged by its fixed-n interval on all {run['replicas']} replicas"
    return {**outcome, "replicas_used": run["replicas"], "replicas_maximum": run["maximum"], "adaptive_note": note,
            "detail": "; ".join(p for p in (outcome.get("detail"), note) if p)}


def _aliased(data: Mapping[str, np.ndarray], aliases: Mapping[str, str]) -> dict[str, np.ndarray]:
    """The measurements with each reading's estimator also available under the symbol claims use."""
    return {**data, **{symbol: data[measure] for symbol, measure in aliases.items() if measure in data}}


def declared_shapes(result: Result) -> dict[str, tuple]:
    """The measurement shapes its check declares (a ``shapes`` attribute of the check function), and the
    result's own declarations over them."""
    return {**(check_shapes(result.check) if result.check is not None else {}), **dict(result.shapes)}


def _own_verdict(item: dict[str, Any], violated: list[str]) -> None:
    """The result's own verdict from its claims: the data's (``data_verdict``), masked to INCONCLUSIVE
    outside the stated regime."""
    own = combine([Verdict(o["verdict"]) for o in item["claims"]])
    item["data_verdict"] = own.value
    item.pop("note", None)
    if violated and own in OUTSIDE_REGIME_MASKED:
        own = Verdict.INCONCLUSIVE
        item["note"] = (f"outside the stated regime ({'; '.join(violated)}): the data alone would give "
                        f"{item['data_verdict']}; not judged (what uses it is unverified, not broken)")
    item["own_verdict"] = own.value


def _failing_statement_found(result: Result, item: Mapping[str, Any]) -> bool:
    """Whether what fails in this result is the paper's statement: every failing claim is FOUND (its
    own provenance where it declares one, else the result's)."""
    failing = [c for c in item["claims"] if c["verdict"] == Verdict.FAIL.value]
    found = result.source.found
    return bool(failing) and all(c["provenance"]["found"] if "provenance" in c else found for c in failing)


def _summaries(data: Mapping[str, np.ndarray], described: Mapping[str, str]) -> dict[str, dict[str, Any]]:
    """Mean, spread and shape of each declared measurement (the full arrays stay in the store)."""
    out: dict[str, dict[str, Any]] = {}
    for name in described:
        if name not in data:
            continue
        values = np.asarray(data[name], dtype=float)
        finite = values[np.isfinite(values)]
        out[name] = {"shape": list(values.shape), "mean": float(finite.mean()) if finite.size else None,
                     "std": float(finite.std()) if finite.size > 1 else None,
                     "nonfinite": int(values.size - finite.size), "description": described[name]}
    return out
