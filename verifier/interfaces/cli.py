"""The ``verify`` command line: list, theorem, paper, all, graph, next, boundary.

Exit codes: 0 when every selected result is PASS or SYMBOLIC, 1 otherwise, 2 on bad usage or an output
that cannot be written (checked before the run; a failure after it, e.g. a full disk, keeps the results
in the store), 130 after Ctrl-C.
"""
from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from verifier.interfaces import output_paths, scaffold
from verifier.interfaces import progress as progress_display
from verifier.judging import multiplicity, priority
from verifier.judging.stability import unstable
from verifier.presentation import catalog as catalog_text
from verifier.presentation import exports
from verifier.presentation import terminal as report
from verifier.running import (
    catalog,
    compute,
    executors,
    overrides,
    slurm_executor,
)
from verifier.running import registry as reg
from verifier.running.environment import DeviceError, resolve_device
from verifier.running.store import MEMORY, Store, StoreError, default_path, set_aside
from verifier.spec.results import PROFILES

if TYPE_CHECKING:  # the runner (scipy) is imported by the commands that run something
    from verifier.running.process_executor import ProcessExecutor
    from verifier.running.runner import Options

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit code 2."""


def _int_at_least(lowest: int, what: str):
    """An argparse type: an integer >= ``lowest``, with a one-line error naming ``what`` was expected."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {what}, got {text!r}") from None
        if value < lowest:
            raise argparse.ArgumentTypeError(f"expected {what}, got {value}")
        return value
    return parse


_positive_int = _int_at_least(1, "a positive integer")
_non_negative_int = _int_at_least(0, "a non-negative integer")


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--plugin", action="append", default=[], metavar="PATH",
                        help="load result specs from this .py file or folder (repeatable)")
    common.add_argument("--no-autoload", action="store_true", help="do not load installed entry-point plugins")
    common.add_argument("--store", type=Path, default=None, help=f"SQLite results store (default {default_path()})")
    common.add_argument("--store-repair", action="store_true",
                        help="if the store is corrupt or not a database, rename it to <name>.corrupt-<timestamp> "
                             "and start a new one")
    common.add_argument("--strict-plugins", action="store_true",
                        help="exit 2 (before running anything) when a plugin or a spec could not be loaded")

    exported = argparse.ArgumentParser(add_help=False)
    exported.add_argument("--junit", type=Path, default=None, metavar="PATH",
                          help="write JUnit XML: one test case per claim (FAIL a failure, ERROR an error, "
                               "INCONCLUSIVE and BLOCKED skipped)")
    exported.add_argument("--ctrf", type=Path, default=None, metavar="PATH",
                          help="write a CTRF JSON report (ctrf.io), the verdict of each claim kept as rawStatus")
    exported.add_argument("--summary-md", type=Path, default=None, metavar="PATH",
                          help="write a short Markdown summary for a CI step summary")

    running = argparse.ArgumentParser(add_help=False)
    running.add_argument("--profile", choices=PROFILES, default="quick", help="parameter profile (default quick)")
    running.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto", help="where checks run")
    running.add_argument("--seed", type=_int, default=0, help="base seed (default 0)")
    running.add_argument("--replicas", type=_positive_int, default=None, help="override the profile's replica count")
    running.add_argument("--json", type=Path, default=None, metavar="PATH", help="write the full run as JSON")
    running.add_argument("--html", type=Path, default=None, metavar="DIR", help="write a self-contained HTML report")
    running.add_argument("--no-cache", action="store_true", help="re-run checks even when stored measurements match")
    loudness = running.add_mutually_exclusive_group()
    loudness.add_argument("--quiet", action="store_true", help="one line per result, no table or progress")
    loudness.add_argument("--verbose", action="store_true", help="also measurements and tracebacks")
    running.add_argument("--executor", choices=("local", "processes", "ray", "slurm"), default="local",
                         help="run independent checks in this process (default), in local processes (--jobs), as "
                              "Ray tasks or as a SLURM job array")
    running.add_argument("--jobs", type=_positive_int, default=None, metavar="N",
                         help="with --executor processes: at most N check runs at once (default: one per core, one "
                              "on CUDA)")
    running.add_argument("--ray-address", default=None, help="Ray cluster address (default: start a local instance)")
    slurm = slurm_executor.SlurmOptions()
    running.add_argument("--slurm-cluster", choices=slurm_executor.CLUSTERS, default=slurm.cluster,
                         help="auto (default: SLURM where srun exists, else local processes), slurm, or local "
                              "(submitit's local executor, for testing)")
    running.add_argument("--slurm-partition", default=slurm.partition, help="SLURM partition (default: the cluster's)")
    running.add_argument("--slurm-time", type=_positive_int, default=slurm.time_min, metavar="MIN",
                         help=f"time limit of each array task in minutes (default {slurm.time_min})")
    running.add_argument("--slurm-gpus", type=_non_negative_int, default=slurm.gpus, metavar="N",
                         help="GPUs per array task (default: 1 when the checks run on CUDA, else 0)")
    running.add_argument("--slurm-cpus", type=_positive_int, default=slurm.cpus, metavar="N",
                         help="CPUs per array task (default: the cluster's)")
    running.add_argument("--slurm-folder", type=Path, default=slurm.folder, metavar="DIR",
                         help=f"submitit's logs and the tasks' outcomes, on a shared file system (default {slurm.folder})")
    running.add_argument("--slurm-array-max", type=_positive_int, default=slurm.array_max, metavar="N",
                         help=f"pack the check runs into at most N array tasks (default {slurm.array_max})")
    running.add_argument("--slurm-parallel", type=_positive_int, default=slurm.parallel, metavar="N",
                         help=f"at most N array tasks in flight (default {slurm.parallel})")
    running.add_argument("--cpu-fallback", action="store_true",
                         help="run on the CPU what does not fit on the GPU even one replica at a time")
    running.add_argument("--precision", choices=compute.PRECISIONS, default="auto",
                         help="floating point of the checks: auto (each check's default), float64, float32, "
                              "tf32 (float32 with TensorFloat-32 matmuls on CUDA)")
    running.add_argument("--threads", type=_positive_int, default=None,
                         help="intra-op CPU threads for the checks (default: torch's choice; checks made of tiny "
                              "tensors use one)")
    running.add_argument("--max-batch", type=_positive_int, default=None, metavar="N",
                         help="at most N replicas per check call (same results; smaller batches can fit the CPU "
                              "caches)")
    running.add_argument("--correction", choices=multiplicity.CORRECTIONS, default="holm",
                         help="family correction over the run's empirical claims before a FAIL stands: holm "
                              "(default), bonferroni, bh (false discovery rate) or none")
    running.add_argument("--readings", choices=("default", "all"), default="all",
                         help="all (default): also judge each claim under every admissible alternative reading its "
                              "result declares, side by side; default: the primary reading only")
    running.add_argument("--adaptive", action="store_true",
                         help="run each result's replicas in rounds of max(8, replicas/8) and stop once every claim "
                              "is decided by an anytime-valid test (the profile's replica count is the maximum)")
    running.add_argument("--seeds", type=_positive_int, default=1, metavar="K",
                         help="run under K master seeds (--seed, --seed + 1, ...) and report a verdict that flips "
                              "across them as unstable (default 1)")
    running.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                         help="override a parameter of the selected results (repeatable)")

    parser = argparse.ArgumentParser(prog="verify", description="Check theorems of ML-theory papers symbolically and by simulation.")
    sub = parser.add_subparsers(dest="command", required=True)
    listing = sub.add_parser("list", parents=[common], help="every known result (or, with --checks, every check)")
    listing.add_argument("--checks", action="store_true", help="list the checks: results, parameters, measurements")
    describe = sub.add_parser("describe", parents=[common], help="a check: the results that use it, its parameters "
                              "(ranges, values per profile) and its measurements (shapes, meanings)")
    describe.add_argument("check", help="check name (module:function, or the function name), or a result id or alias")
    theorem = sub.add_parser("theorem", parents=[common, running, exported], help="one result and everything it uses")
    theorem.add_argument("result", help="full id (huang2022/corollary-5.3) or unique alias (corollary-5.3)")
    paper = sub.add_parser("paper", parents=[common, running, exported], help="every result of a paper")
    paper.add_argument("paper", help="paper key, e.g. huang2022")
    sub.add_parser("all", parents=[common, running, exported], help="every known result")
    graph = sub.add_parser("graph", parents=[common], help="dependency tree with the last stored verdicts")
    graph.add_argument("result")
    findings = sub.add_parser("findings", parents=[common], help="what a stored run found: failing statements of the "
                              "papers, failing reconstructions, PASSes with no power")
    findings.add_argument("--run", default="latest", help="run id (default: the latest run with results)")
    plan = sub.add_parser("plan", parents=[common], help="replicas each claim needs to detect a violation of a given "
                          "size with power 0.8 (from the last stored run of the result)")
    plan.add_argument("result")
    plan.add_argument("--effect", type=float, default=None, metavar="D",
                      help="size of the violation to detect, on the scale of each claim's decision statistic "
                           "(default: a tenth of each claim's own scale)")
    wanted = sub.add_parser("next", parents=[common], help="the unsettled results whose passing would bear on the "
                            "most others, with each one's estimated cost (from the stored runs)")
    wanted.add_argument("--limit", type=_positive_int, default=None, metavar="N", help="show the first N only")
    wanted.add_argument("--paper", default=None, metavar="KEY", help="list only this paper's results (ranked over "
                        "the whole graph)")
    boundary = sub.add_parser("boundary", parents=[common, running], help="bisect one parameter for the value "
                              "where a result's verdict changes (each probe a stored run)")
    boundary.add_argument("result")
    boundary.add_argument("--along", required=True, metavar="PARAM", help="the parameter to move")
    boundary.add_argument("--range", type=float, nargs=2, default=None, metavar=("LO", "HI"),
                          help="where to search (default: the parameter's declared range)")
    boundary.add_argument("--probes", type=_positive_int, default=8, metavar="N",
                          help="runs in all, the two ends included (default 8)")
    boundary.add_argument("--plot", type=Path, default=None, metavar="PATH", help="write the probes as an SVG")
    rerender = sub.add_parser("report", parents=[common, exported],
                              help="render a stored run as HTML, JUnit, CTRF or Markdown (runs nothing)")
    rerender.add_argument("dir", type=Path, nargs="?", default=None,
                          help="folder to write the HTML report into (the same as --html DIR)")
    rerender.add_argument("--html", type=Path, default=None, metavar="DIR",
                          help="folder to write index.html and one page per result into")
    rerender.add_argument("--run", default="latest",
                          help="run id (default: the run or boundary search that finished last)")
    scaffold = sub.add_parser("new-spec", help="write a ready-to-edit plugin package for a paper")
    scaffold.add_argument("paper", help="paper key, e.g. smith2025")
    scaffold.add_argument("--dir", type=Path, default=Path("."), help="where to create <key>-specs/ (default .)")
    return parser


def _load(args: argparse.Namespace) -> reg.Registry:
    registry = reg.load(args.plugin, autoload=not args.no_autoload)
    for problem in registry.problems:
        print(f"warning: could not load {problem}", file=sys.stderr)
    if registry.problems and args.strict_plugins:
        count = len(registry.problems)
        raise UsageError(f"--strict-plugins: {count} plugin problem{'s' if count != 1 else ''}, the first: "
                         f"{registry.problems[0]}")
    return registry


def _open_store(args: argparse.Namespace, running: bool = False, read_only: bool = False) -> Store:
    """The results store (``read_only``: opened without writing to it or beside it); with ``--store-repair``
    a corrupt one is set aside first. A store that cannot be used is an error, except for a run, which goes
    on in memory (said on stderr)."""
    path = args.store or default_path()
    try:
        return Store(path, read_only=read_only)
    except StoreError as exc:
        if args.store_repair and exc.repairable:
            print(f"verify: moved the unusable store {path} to {set_aside(path)}; starting a new store", file=sys.stderr)
            return Store(path)
        if not running:
            raise
        print(f"verify: warning: {exc.args[0]}; this run goes on in memory: results are not kept", file=sys.stderr)
        return Store(MEMORY)


def _read_store(args: argparse.Namespace, missing_ok: bool = False) -> Store:
    """The store of a command that only reads it (graph, findings, plan, next, report), opened read-only so
    that a store in a read-only file or folder serves them. A missing store is a one-line error, or with
    ``missing_ok`` an empty store (every result not run)."""
    if missing_ok and not Path(args.store or default_path()).exists():
        return Store(MEMORY)
    return _open_store(args, read_only=True)


def _kept(store: Store, run_id: str) -> str:
    """Where a run's results are, for a message about an output that failed."""
    if str(store.path) == MEMORY:
        return "its results are not kept (no usable store)"
    if store.problem:
        return f"the store {store.path} failed during the run: not all its results are kept"
    return (f"its results are kept in the store {store.path} (`verify report --run {run_id} DIR` writes them "
            f"as HTML and run.json)")


def _html():
    """The HTML report module, imported when a report is written (matplotlib stays out of `verify list`)."""
    from verifier.presentation import html as html_report

    return html_report


def _write_outputs(args: argparse.Namespace, record: Any, registry: reg.Registry, store: Store,
                   argv: Sequence[str]) -> tuple[Path | None, Path | None, str | None]:
    """Write --json, then --html: the JSON path and HTML index written and, if one failed, why (one line)."""
    json_path = html_index = None
    option, path = "--json", args.json
    try:
        if args.json:
            report.write_json(record.to_dict(), args.json)
            json_path = args.json
        option, path = "--html", args.html
        if args.html:
            html_index = _html().write_report({**record.to_dict(), "argv": list(argv)}, args.html, registry, store)
        option, path = "--junit/--ctrf/--summary-md", ""
        _write_exports(record.to_dict(), args, html_index)
    except OSError as exc:
        return json_path, html_index, (f"{option} {path}: could not write it ({exc.strerror or exc}); "
                                       f"{_kept(store, record.run_id)}")
    return json_path, html_index, None


def _command_list(registry: reg.Registry) -> int:
    rows = [["id", "alias", "kind", "paper", "check"]]
    for rid in sorted(registry.results):
        r = registry.entry(rid)  # imports no paper module
        rows.append([rid, r.alias, f"{r.kind} {r.number}", r.paper, "empirical" if r.empirical else "symbolic"])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return EXIT_OK


def _command_checks(registry: reg.Registry) -> int:
    print("\n".join(catalog_text.list_lines([catalog.entry(registry, name) for name in catalog.names(registry)])))
    return EXIT_OK


def _command_describe(args: argparse.Namespace, registry: reg.Registry) -> int:
    print("\n".join(catalog_text.describe_lines(catalog.entry(registry, catalog.find(registry, args.check)))))
    return EXIT_OK


def _targets(args: argparse.Namespace, registry: reg.Registry) -> list[str]:
    if args.command == "theorem":
        return [reg.resolve(registry, args.result)]
    if args.command == "paper":
        ids = sorted(rid for rid in registry.results if registry.entry(rid).paper == args.paper)
        if not ids:
            raise UsageError(f"unknown paper '{args.paper}'; known papers: {', '.join(registry.papers()) or 'none'}")
        return ids
    return sorted(registry.results)


def _slurm(args: argparse.Namespace) -> slurm_executor.SlurmExecutor:
    return slurm_executor.SlurmExecutor(slurm_executor.SlurmOptions(
        args.slurm_cluster, args.slurm_folder, args.slurm_partition, args.slurm_time, args.slurm_gpus, args.slurm_cpus,
        args.slurm_array_max, args.slurm_parallel))


def _processes(args: argparse.Namespace, announce: Callable[[str], None] | None) -> ProcessExecutor:
    """``--executor processes``, its workers started now so that their start-up overlaps the planning."""
    from verifier.running.process_executor import ProcessExecutor

    executor = ProcessExecutor(args.jobs, announce)
    try:
        executor.start(resolve_device(args.device))
    except DeviceError:
        pass  # _options reports it
    return executor


def _options(args: argparse.Namespace, registry: reg.Registry, targets: list[str]) -> Options:
    """The run's options from the command line, checked against the results the targets need."""
    from verifier.running.runner import Options
    try:
        device = resolve_device(args.device)
    except DeviceError as exc:
        raise UsageError(str(exc)) from None
    planned = [registry.results[rid] for rid in registry.graph_closure(targets)]
    lacking = [r.id for r in planned if r.profiles and args.profile not in r.profiles]
    if lacking:
        raise UsageError(f"--profile {args.profile}: not defined by {', '.join(lacking)}")
    try:
        parameter_overrides = overrides.parse(args.param, planned)
    except overrides.OverrideError as exc:
        raise UsageError(str(exc)) from None
    return Options(profile=args.profile, device=device, seed=args.seed, replicas=args.replicas,
                   use_cache=not args.no_cache, overrides=parameter_overrides, cpu_fallback=args.cpu_fallback,
                   precision=args.precision, threads=args.threads, max_batch=args.max_batch,
                   correction=args.correction, readings=args.readings, adaptive=args.adaptive)


def _command_run(args: argparse.Namespace, argv: Sequence[str], registry: reg.Registry) -> int:
    from verifier.running import seed_sweep

    targets = _targets(args, registry)
    if args.jobs is not None and args.executor != "processes":
        raise UsageError(f"--jobs {args.jobs} is for --executor processes (this run's executor: {args.executor})")
    announce = None if args.quiet else (lambda line: print(line, file=sys.stderr, flush=True))
    executor = _processes(args, announce) if args.executor == "processes" else None
    try:
        options = _options(args, registry, targets)
        _check_targets(args, args.html)
        if executor is None:
            try:
                executor = _slurm(args) if args.executor == "slurm" else executors.make(args.executor, args.ray_address)
            except RuntimeError as exc:
                raise UsageError(str(exc)) from None
        store = _open_store(args, running=True)
    except BaseException:
        if executor:
            executor.close()
        raise
    started = time.perf_counter()
    try:
        progress = (lambda *a: None) if args.quiet else progress_display.make()
        runs = seed_sweep.run_seeds(registry, options, store, targets, list(argv), args.seeds, progress,
                                    executor.map if executor else None)
        record = runs[0]  # the base seed's run
        _print_run(args, record)  # first: the table is on screen whatever happens to the files below
        json_path, html_index, failure = _write_outputs(args, record, registry, store, argv)
    finally:
        store.close()
        if executor:
            executor.close()
    if not args.quiet:
        report.print_summary(record.results, time.perf_counter() - started, json_path, html_index,
                             plugin_problems=len(record.plugin_problems))
    if store.problem:
        print(f"verify: warning: {store.problem}", file=sys.stderr)
    if failure:
        print(f"verify: error: {failure}", file=sys.stderr)
    if any(run.interrupted for run in runs):
        print(f"\ninterrupted: {sum(len(run.results) for run in runs)} finished results are kept in the store",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    if failure:
        return EXIT_USAGE
    return EXIT_OK if all(run.ok for run in runs) else EXIT_FAILED


def _command_boundary(args: argparse.Namespace, argv: Sequence[str], registry: reg.Registry) -> int:
    from verifier.running import boundary as boundary_search

    rid = reg.resolve(registry, args.result)
    if args.seeds > 1:
        raise UsageError("boundary: --seeds does not apply (each probe is one run)")
    options = _options(args, registry, [rid])
    result = registry.results[rid]
    declared = {p.name: p for p in result.parameters}
    if args.along not in declared:
        raise UsageError(f"--along {args.along}: {rid} has no parameter {args.along!r} "
                         f"(its parameters: {', '.join(declared) or 'none'})")
    if args.along in options.overrides:
        raise UsageError(f"--along {args.along}: also given as --param; the search sets it")
    parameter = declared[args.along]
    low, high = args.range if args.range else (parameter.lower, parameter.upper)
    if low is None or high is None:
        raise UsageError(f"--along {args.along}: its declared range [{parameter.lower}, {parameter.upper}] is open; "
                         f"give --range LO HI")
    try:
        low, high = (overrides.parse([f"{args.along}={value}"], [result])[args.along] for value in (low, high))
    except overrides.OverrideError as exc:
        raise UsageError(f"--range: {exc}") from None
    if not low < high:
        raise UsageError(f"--range {low} {high}: expected LO < HI")
    if args.probes < 2:
        raise UsageError(f"--probes {args.probes}: expected at least 2 (the two ends of the range)")
    _check_targets(args, args.html)
    store = _open_store(args)
    try:
        found = boundary_search.search(registry, options, store, rid, args.along, low, high, args.probes, list(argv))
        print("\n".join(report.boundary_lines(rid, found, found["runs"])))
        if args.json:
            report.write_json(found, args.json)
            print(f"JSON {args.json}")
        if args.plot:
            from verifier.presentation import plots

            args.plot.parent.mkdir(parents=True, exist_ok=True)  # matplotlib is imported only when a plot is asked for
            args.plot.write_text(plots.boundary_svg(found["probes"], args.along, found["bracket"],
                                                    title=f"{rid}: verdict along {args.along}"))
            print(f"SVG {args.plot}")
        if args.html:
            index = _boundary_report(args, found, registry, store)
            print(f"HTML report of boundary search {found['search_id']} written to {index}")
    finally:
        store.close()
    return EXIT_OK


def _boundary_report(args: argparse.Namespace, found: dict[str, Any], registry: reg.Registry, store: Store) -> Path:
    """Write the HTML report of a stored boundary search into ``--html DIR``; its index.html (UsageError
    when it cannot be written: the search stays in the store)."""
    try:
        return _html().write_report(store.load_run(found["search_id"]), args.html, registry, store)
    except OSError as exc:
        raise UsageError(f"--html {args.html}: could not write it ({exc.strerror or exc}); the search is kept in "
                         f"the store (`verify report --run {found['search_id']} DIR` writes it again)") from None


def _print_run(args: argparse.Namespace, record: Any) -> None:
    if args.quiet:
        for item in record.results:
            print(f"{item['verdict']:<12} {item['id']}" + ("  (unstable across seeds)" if unstable(item) else ""))
        return
    report.print_table(record.results, verbose=args.verbose)
    report.print_readings(record.readings)
    report.print_family(record.family)
    report.print_findings(record.results)


def _check_targets(args: argparse.Namespace, html_dir: Path | None, html_option: str = "--html") -> None:
    """Every output path the options name, checked before anything runs (UsageError naming the first bad one)."""
    try:
        for option, path in (("--json", getattr(args, "json", None)), ("--junit", getattr(args, "junit", None)),
                             ("--ctrf", getattr(args, "ctrf", None)), ("--summary-md", getattr(args, "summary_md", None))):
            if path:
                output_paths.check_file(option, path)
        if html_dir:
            output_paths.check_folder(html_option, html_dir)
    except output_paths.TargetError as exc:
        raise UsageError(str(exc)) from None


def _write_exports(run: dict[str, Any], args: argparse.Namespace, html_index: Path | None) -> list[tuple[str, Path]]:
    """The CI exports the options ask for (--junit, --ctrf, --summary-md), rendered from the run's record:
    (what, where) for each."""
    written = []
    if args.junit:
        written.append(("JUnit XML", exports.write_junit(run, args.junit)))
    if args.ctrf:
        written.append(("CTRF report", exports.write_ctrf(run, args.ctrf)))
    if args.summary_md:
        written.append(("Markdown summary", exports.write_summary(run, args.summary_md, html_index)))
    return written


def _command_report(args: argparse.Namespace, registry: reg.Registry) -> int:
    if args.dir and args.html and args.dir != args.html:
        raise UsageError(f"the HTML folder is given twice ({args.dir} and --html {args.html}): give one")
    html_dir = args.html or args.dir
    if not (html_dir or args.junit or args.ctrf or args.summary_md):
        raise UsageError("nothing to write: give --html DIR, --junit PATH, --ctrf PATH or --summary-md PATH")
    _check_targets(args, html_dir, "report" if args.dir else "--html")
    store = _read_store(args)
    try:
        try:
            run = store.load_run(args.run, searches=True)
        except LookupError as exc:
            raise UsageError(str(exc.args[0])) from None
        target = f"report {html_dir}" if html_dir else "report"
        try:
            index = _html().write_report(run, html_dir, registry, store) if html_dir else None
            target = "report --junit/--ctrf/--summary-md"
            written = _write_exports(run, args, index)
        except OSError as exc:
            raise UsageError(f"{target}: could not write it ({exc.strerror or exc}); the run is still in the store") from None
    finally:
        store.close()
    if index:
        print(f"HTML report of run {run['run_id']} written to {index}")
    for what, path in written:
        print(f"{what} of run {run['run_id']} written to {path}")
    return EXIT_OK


def _command_graph(args: argparse.Namespace, registry: reg.Registry) -> int:
    root = reg.resolve(registry, args.result)
    graph = registry.graph()
    store = _read_store(args, missing_ok=True)
    try:
        records = {node: store.latest(node) for node in graph.nodes}
    finally:
        store.close()
    assumed = {rid: registry.entry(rid).assumes for rid in registry.results}
    print("\n".join(report.graph_lines(graph, root, records, assumed)))
    return EXIT_OK


def _command_findings(args: argparse.Namespace) -> int:
    store = _read_store(args)
    try:
        try:
            run = store.load_run(args.run)
        except LookupError as exc:
            raise UsageError(str(exc.args[0])) from None
    finally:
        store.close()
    print(f"run {run['run_id']}: {len(run['results'])} results")
    report.print_findings(run["results"])
    return EXIT_OK


def _command_plan(args: argparse.Namespace, registry: reg.Registry) -> int:
    rid = reg.resolve(registry, args.result)
    if args.effect is not None and not args.effect > 0:
        raise UsageError(f"--effect must be a positive number, got {args.effect}")
    store = _read_store(args, missing_ok=True)
    try:
        record = store.latest(rid)
    finally:
        store.close()
    if record is None:
        raise UsageError(f"{rid} has no stored run to plan from: run `verify theorem {rid}` first")
    from verifier.judging import adaptive

    claims = registry.results[rid].claims
    fixed = adaptive.fixed_n_claims(claims)
    fixed_n = {claim.label: fixed.get(i) for i, claim in enumerate(claims) if claim.empirical}
    print("\n".join(report.plan_lines(record, args.effect, fixed_n)))
    return EXIT_OK


def _command_next(args: argparse.Namespace, registry: reg.Registry) -> int:
    graph = registry.graph()
    store = _read_store(args, missing_ok=True)
    try:
        records = {node: store.latest(node) for node in graph.nodes}
        costs = {node: _stored_cost(store, record) for node, record in records.items() if record}
        from_check = {node: store.check_seconds(registry.entry(node).check) for node, record in records.items()
                      if not record and registry.entry(node).check}
    finally:
        store.close()
    from_check = {node: seconds for node, seconds in from_check.items() if seconds is not None}
    ranked = priority.most_wanted(graph, {node: r["verdict"] for node, r in records.items() if r},
                                  {**costs, **from_check}, from_check)
    if args.paper is not None:
        if args.paper not in registry.papers():
            raise UsageError(f"unknown paper '{args.paper}'; known papers: {', '.join(registry.papers()) or 'none'}")
        ranked = [w for w in ranked if registry.entry(w.id).paper == args.paper]
    print("\n".join(report.next_lines(ranked, args.limit)))
    return EXIT_OK


def _stored_cost(store: Store, record: dict[str, Any]) -> float | None:
    """What running a result again costs: its check run's stored time (a cached rerun took next to none),
    else the stored record's own time."""
    key = record.get("measurement_key")
    seconds = store.measurement_seconds(key) if key else None
    return seconds if seconds is not None else record.get("seconds")


def _command_new_spec(args: argparse.Namespace) -> int:
    try:
        output_paths.check_folder("--dir", args.dir)
        target = scaffold.new_spec(args.paper, args.dir)
    except (scaffold.ScaffoldError, output_paths.TargetError) as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"--dir {args.dir}: could not write the package ({exc.strerror or exc}); nothing was "
                         f"left there") from None
    print(f"wrote {target}: edit {args.paper}_specs/specs.py, then `verify theorem {args.paper}/lemma-1 "
          f"--plugin {target / (args.paper + '_specs') / 'specs.py'}` or `pip install -e {target}`")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = _parser().parse_args(argv)
    try:
        if args.command == "new-spec":
            return _command_new_spec(args)
        registry = _load(args)
        if args.command == "list":
            return _command_checks(registry) if args.checks else _command_list(registry)
        if args.command == "describe":
            return _command_describe(args, registry)
        if args.command == "graph":
            return _command_graph(args, registry)
        if args.command == "findings":
            return _command_findings(args)
        if args.command == "plan":
            return _command_plan(args, registry)
        if args.command == "report":
            return _command_report(args, registry)
        if args.command == "next":
            return _command_next(args, registry)
        if args.command == "boundary":
            return _command_boundary(args, argv, registry)
        return _command_run(args, argv, registry)
    except (UsageError, reg.ResolveError, StoreError) as exc:
        print(f"verify: error: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("verify: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `verify list | head`
        sys.stderr.close()
        return EXIT_OK


def console_main() -> None:
    """The ``verify`` command: :func:`main`, then exit without the interpreter's last cyclic garbage
    collection. It walks every object sympy, networkx and torch created at import (0.2-0.3 s of a 0.8 s
    ``verify list`` on the 2-core machine, benchmarks/README.md); ``gc.freeze`` moves them out of its
    reach. Nothing is lost by it: reports are written and closed inside ``main`` and the store commits each
    write as it goes (autocommit); objects are still released by reference counting."""
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    console_main()
