"""Run results in dependency order: symbolic layer, check, acceptance, propagation, store.

One record (a JSON-ready dict) per result is the source of truth from which every report is
rendered; it is committed to the store as soon as it is finished.
"""
from __future__ import annotations

import shlex
import time
import traceback
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping

import numpy as np
import sympy as sp

from verifier.judging import graph as dag
from verifier.judging import multiplicity, shapes, symbolic
from verifier.judging import support as chain
from verifier.judging.evaluate import judge_empirical, judge_symbolic
from verifier.judging.verdicts import Verdict, combine
from verifier.running import compute, executors, overrides
from verifier.running import seeds as seeding
from verifier.running.check_code import (
    check_name,
    check_source_digest,
    load_check,
    spec_hash,
)
from verifier.running.environment import describe
from verifier.running.registry import Registry
from verifier.running.store import Store
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

    def plan(self, targets: Iterable[str]) -> list[str]:
        return dag.closure(self.graph, targets)

    def run(self, targets: list[str], argv: list[str],
            progress: Callable[[int, int, str, dict[str, Any] | None], None] = lambda *a: None,
            run_many: executors.MapFunction | None = None) -> RunRecord:
        """Judge the targets and what they use, in order; with ``run_many`` (an executor's ``map``) all
        check runs are launched together first."""
        order = self.plan(targets)
        if run_many is not None:
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

    def _replicas(self, result: Result) -> int:
        return self.options.replicas or int(result.replicas[self.options.profile])

    def job(self, result: Result, params: Mapping[str, float]) -> tuple[executors.Job, dict[str, Any]]:
        """The check run a result needs, keyed by everything its measurements depend on."""
        replicas = self._replicas(result)
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
        for (job, description), outcome in zip(pending.values(), run_many([job for job, _ in pending.values()])):
            if outcome.error is None:
                self._keep(job, description, outcome)

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

    def correct_family(self, record: RunRecord) -> None:
        """Adjust every judged claim's p_fail over the run (``Options.correction``); a FAIL that does not
        survive becomes INCONCLUSIVE, its result's verdict and everything placed after it are recomputed,
        and the records are stored again."""
        family = [(item, claim) for item in record.results for claim in item.get("claims", [])
                  if claim.get("p_fail") is not None]
        method = self.options.correction
        adjusted = multiplicity.adjust([claim["p_fail"] for _, claim in family], method)
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
        record.family = {"method": method, "size": len(family),
                         "alpha": sorted({item["alpha"] for item, _ in family}), "changed": changed}
        if not changed:
            return
        for item in record.results:
            if item["own_verdict"] != Verdict.ERROR.value:
                _own_verdict(item, item["assumptions_violated"])
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
            if result.empirical:
                replicas = self._replicas(result)
                data, check_seconds, hit, key = self.measure(result, params, item["check_notes"])
                shapes.validate(data, declared, params, replicas, required=result.shapes)
                item.update(replicas=replicas, check_seconds=check_seconds, cache_hit=hit, measurement_key=key,
                            seeds=seeding.replica_seeds(check_name(result.check), params, self.options.seed, replicas)[:4],
                            measurements=_summaries(data, result.measures))
            judged = {**params, **result.reading_values()}
            data = _aliased(data, result.reading_aliases())
            for claim in result.claims:
                outcome = (judge_empirical(claim, judged, data, result.alpha, item.get("replicas"), declared)
                           if claim.empirical else judge_symbolic(claim))
                outcomes.append(outcome.to_dict())
                if claim.provenance is not None:
                    outcomes[-1]["provenance"] = claim.provenance.to_dict()
            item["claims"] = outcomes
            _own_verdict(item, violated)
            if self.options.readings == "all":
                item["reading_variants"] = _reading_variants(result, judged, data, item, declared)
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
                      item: Mapping[str, Any], declared: Mapping[str, tuple]) -> list[dict[str, Any]]:
    """The claims judged again, on the same measurements, under each admissible alternative reading."""
    def judge_all(values: Mapping[str, float], arrays: Mapping[str, np.ndarray]) -> list[str]:
        return [judge_empirical(c, values, arrays, result.alpha, item.get("replicas"), declared).verdict
                if c.empirical else judge_symbolic(c).verdict for c in result.claims]

    variants = []
    for reading in result.readings:
        for label, value in reading.alternatives.items():
            verdicts = judge_all({**judged, reading.symbol: float(value)}, data)
            variants.append({"reading": reading.name, "label": label, "symbol": reading.symbol, "value": float(value),
                             "claims": verdicts, "verdict": combine([Verdict(v) for v in verdicts]).value})
        for label, aliases in reading.alternative_aliases.items():
            verdicts = judge_all(judged, _aliased(data, aliases))
            variants.append({"reading": reading.name, "label": label, "symbol": ", ".join(aliases),
                             "value": ", ".join(aliases.values()), "claims": verdicts,
                             "verdict": combine([Verdict(v) for v in verdicts]).value})
    return variants


def _aliased(data: Mapping[str, np.ndarray], aliases: Mapping[str, str]) -> dict[str, np.ndarray]:
    """The measurements with each reading's estimator also available under the symbol claims use."""
    return {**data, **{symbol: data[measure] for symbol, measure in aliases.items() if measure in data}}


def declared_shapes(result: Result) -> dict[str, tuple]:
    """The measurement shapes its check declares (a ``shapes`` attribute of the check function), and the
    result's own declarations over them."""
    check = load_check(result.check) if result.check is not None else None
    return {**dict(getattr(check, "shapes", {}) or {}), **dict(result.shapes)}


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
