"""What a run shows while it runs: a live bar on a terminal; elsewhere (CI, ``| tee``, a notebook cell) one
line per finished result (a FAIL there is marked as before the run's family correction, which the
final table applies) and, while a result's check runs, a heartbeat line at most every
``heartbeat`` seconds, so a log never goes silent for minutes."""
from __future__ import annotations

import os
import sys
import threading
import time
from typing import Any, Callable, TextIO

Callback = Callable[[int, int, str, "dict[str, Any] | None"], None]
HEARTBEAT_SECONDS = 30.0


def heartbeat_seconds() -> float:
    """The heartbeat period: ``$VERIFY_HEARTBEAT_SECONDS`` when set to a positive number, else 30 s."""
    try:
        value = float(os.environ.get("VERIFY_HEARTBEAT_SECONDS", HEARTBEAT_SECONDS))
    except ValueError:
        return HEARTBEAT_SECONDS
    return value if value > 0 else HEARTBEAT_SECONDS


def make(stream: TextIO | None = None, heartbeat: float | None = None) -> Callback:
    """The progress callback of a run (``runner.Runner.run`` calls it with ``item=None`` when a result starts
    and with its record when it ends)."""
    stream = stream or sys.stderr
    return _bar() if stream.isatty() else _lines(stream, heartbeat or heartbeat_seconds())


def _bar() -> Callback:
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


def _lines(stream: TextIO, period: float) -> Callback:
    running: dict[str, threading.Event] = {}

    def beat(done: int, total: int, rid: str, stop: threading.Event) -> None:
        started = time.monotonic()
        while not stop.wait(period):
            try:
                print(f"[{done}/{total}] {rid}: still running ({time.monotonic() - started:.0f} s)", file=stream,
                      flush=True)
            except (OSError, ValueError):  # the stream was closed (the run ended without this result's line)
                return

    def plain(done: int, total: int, rid: str, item: dict[str, Any] | None) -> None:
        if item is None:
            for earlier in running.values():  # one result runs at a time: an unfinished earlier one has ended
                earlier.set()
            running.clear()
            stop = running[rid] = threading.Event()
            threading.Thread(target=beat, args=(done, total, rid, stop), daemon=True).start()
            return
        if rid in running:
            running.pop(rid).set()
        verdict = item["verdict"]
        if verdict == "FAIL":  # the run's family correction, at its end, may yet make it INCONCLUSIVE
            verdict = "FAIL before the run's family correction"
        print(f"[{done}/{total}] {rid}: {verdict} ({item['seconds']:.1f} s)", file=stream, flush=True)
    return plain
