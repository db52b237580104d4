"""The ``verify`` command line: list, theorem, paper, all, graph.

Exit codes: 0 when every selected result is PASS or SYMBOLIC, 1 otherwise, 2 on bad usage.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, Sequence, TextIO

from verifier.interfaces import scaffold
from verifier.judging import multiplicity
from verifier.presentation import terminal as report
from verifier.running import compute, executors, overrides
from verifier.running import registry as reg
from verifier.running.environment import DeviceError, resolve_device
from verifier.running.store import Store, StoreError, default_path
from verifier.spec.results import PROFILES

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit code 2."""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {value}")
    return value


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
    running.add_argument("--executor", choices=("local", "ray"), default="local",
                         help="run independent checks in this process (default) or as Ray tasks")
    running.add_argument("--ray-address", default=None, help="Ray cluster address (default: start a local instance)")
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
    running.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                         help="override a parameter of the selected results (repeatable)")

    parser = argparse.ArgumentParser(prog="verify", description="Check theorems of ML-theory papers symbolically and by simulation.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", parents=[common], help="every known result")
    theorem = sub.add_parser("theorem", parents=[common, running], help="one result and everything it uses")
    theorem.add_argument("result", help="full id (huang2022/corollary-5.3) or unique alias (corollary-5.3)")
    paper = sub.add_parser("paper", parents=[common, running], help="every result of a paper")
    paper.add_argument("paper", help="paper key, e.g. huang2022")
    sub.add_parser("all", parents=[common, running], help="every known result")
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
    rerender = sub.add_parser("report", parents=[common], help="re-render a stored run as HTML (runs nothing)")
    rerender.add_argument("dir", type=Path, help="folder to write index.html and one page per result into")
    rerender.add_argument("--run", default="latest", help="run id (default: the latest run with results)")
    scaffold = sub.add_parser("new-spec", help="write a ready-to-edit plugin package for a paper")
    scaffold.add_argument("paper", help="paper key, e.g. smith2025")
    scaffold.add_argument("--dir", type=Path, default=Path("."), help="where to create <key>-specs/ (default .)")
    return parser


def _load(args: argparse.Namespace) -> reg.Registry:
    registry = reg.load(args.plugin, autoload=not args.no_autoload)
    for problem in registry.problems:
        print(f"warning: could not load {problem}", file=sys.stderr)
    return registry


def _command_list(registry: reg.Registry) -> int:
    rows = [["id", "alias", "kind", "paper", "check"]]
    for rid in sorted(registry.results):
        r = registry.entry(rid)  # imports no paper module
        rows.append([rid, r.alias, f"{r.kind} {r.number}", r.paper, "empirical" if r.empirical else "symbolic"])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
    return EXIT_OK


def _progress(stream: TextIO | None = None):
    """A progress callback: one line per finished result (rich bar on a terminal)."""
    stream = stream or sys.stderr
    if stream.isatty():
        from rich.progress import Progress

        bar = Progress(transient=True)
        state: dict[str, Any] = {}

        def show(done: int, total: int, rid: str, item: dict[str, Any] | None) -> None:
            if "task" not in state:
                bar.start()
                state["task"] = bar.add_task("verifying", total=total)
            bar.update(state["task"], completed=done, description=rid)
            if done == total and item is not None:
                bar.stop()
        return show

    def plain(done: int, total: int, rid: str, item: dict[str, Any] | None) -> None:
        if item is not None:
            print(f"[{done}/{total}] {rid}: {item['verdict']} ({item['seconds']:.1f} s)", file=stream, flush=True)
    return plain


def _targets(args: argparse.Namespace, registry: reg.Registry) -> list[str]:
    if args.command == "theorem":
        return [reg.resolve(registry, args.result)]
    if args.command == "paper":
        ids = sorted(rid for rid in registry.results if registry.entry(rid).paper == args.paper)
        if not ids:
            raise UsageError(f"unknown paper '{args.paper}'; known papers: {', '.join(registry.papers()) or 'none'}")
        return ids
    return sorted(registry.results)


def _command_run(args: argparse.Namespace, argv: Sequence[str], registry: reg.Registry) -> int:
    # imported here, not at the top: `verify list` and `verify graph` start without scipy or matplotlib
    from verifier.presentation import html as html_report
    from verifier.running.runner import Options, Runner

    targets = _targets(args, registry)
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
    options = Options(profile=args.profile, device=device, seed=args.seed, replicas=args.replicas,
                      use_cache=not args.no_cache, overrides=parameter_overrides, cpu_fallback=args.cpu_fallback,
                      precision=args.precision, threads=args.threads, max_batch=args.max_batch,
                      correction=args.correction, readings=args.readings)
    try:
        executor = executors.make(args.executor, args.ray_address)
    except RuntimeError as exc:
        raise UsageError(str(exc)) from None
    store = Store(args.store or default_path())
    started = time.perf_counter()
    try:
        progress = (lambda *a: None) if args.quiet else _progress()
        record = Runner(registry, options, store).run(targets, list(argv), progress,
                                                      executor.map if executor else None)
        if args.json:  # first: the run's record survives a failure of the report below
            report.write_json(record.to_dict(), args.json)
        html_index = html_report.write_report(record.to_dict(), args.html, registry, store) if args.html else None
    finally:
        store.close()
        if executor:
            executor.close()
    if args.quiet:
        for item in record.results:
            print(f"{item['verdict']:<12} {item['id']}")
    else:
        report.print_table(record.results, verbose=args.verbose)
        report.print_readings(record.readings)
        report.print_family(record.family)
        report.print_findings(record.results)
    if not args.quiet:
        report.print_summary(record.results, time.perf_counter() - started, args.json, html_index)
    if record.interrupted:
        print(f"\ninterrupted: {len(record.results)} finished results are kept in the store", file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_OK if record.ok else EXIT_FAILED


def _command_report(args: argparse.Namespace, registry: reg.Registry) -> int:
    from verifier.presentation import html as html_report

    store = Store(args.store or default_path())
    try:
        try:
            run = store.load_run(args.run)
        except LookupError as exc:
            raise UsageError(str(exc.args[0])) from None
        index = html_report.write_report(run, args.dir, registry, store)
    finally:
        store.close()
    print(f"HTML report of run {run['run_id']} written to {index}")
    return EXIT_OK


def _command_graph(args: argparse.Namespace, registry: reg.Registry) -> int:
    root = reg.resolve(registry, args.result)
    graph = registry.graph()
    store = Store(args.store or default_path())
    try:
        records = {node: store.latest(node) for node in graph.nodes}
    finally:
        store.close()
    assumed = {rid: registry.entry(rid).assumes for rid in registry.results}
    print("\n".join(report.graph_lines(graph, root, records, assumed)))
    return EXIT_OK


def _command_findings(args: argparse.Namespace) -> int:
    store = Store(args.store or default_path())
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
    store = Store(args.store or default_path())
    try:
        record = store.latest(rid)
    finally:
        store.close()
    if record is None:
        raise UsageError(f"{rid} has no stored run to plan from: run `verify theorem {rid}` first")
    print("\n".join(report.plan_lines(record, args.effect)))
    return EXIT_OK


def _command_new_spec(args: argparse.Namespace) -> int:
    try:
        target = scaffold.new_spec(args.paper, args.dir)
    except scaffold.ScaffoldError as exc:
        raise UsageError(str(exc)) from None
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
            return _command_list(registry)
        if args.command == "graph":
            return _command_graph(args, registry)
        if args.command == "findings":
            return _command_findings(args)
        if args.command == "plan":
            return _command_plan(args, registry)
        if args.command == "report":
            return _command_report(args, registry)
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


if __name__ == "__main__":
    sys.exit(main())
