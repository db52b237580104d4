"""Run a check over its replicas, halving the batch when the device runs out of memory."""
from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

import numpy as np

from verifier.judging import shapes

CheckFunction = Callable[..., Mapping[str, np.ndarray]]


def is_out_of_memory(exc: BaseException) -> bool:
    """torch's OutOfMemoryError (CUDA or otherwise), or a MemoryError, without importing torch."""
    return isinstance(exc, MemoryError) or type(exc).__name__ == "OutOfMemoryError" or "out of memory" in str(exc).lower()


def _hold_last(a: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """``a`` extended to ``shape`` (trailing axes only) by repeating its last entries."""
    return np.pad(a, [(0, target - size) for size, target in zip(a.shape, shape)], mode="edge")


def merge(first: Mapping[str, np.ndarray], second: Mapping[str, np.ndarray], n_first: int,
          n_second: int, declared: Mapping[str, Sequence[Any]] | None = None) -> dict[str, np.ndarray]:
    """Join the outputs of two halves of a batch. A measurement with a declared shape follows it: a
    replica axis first, or a flat replica-major ``events`` axis, is concatenated; no replica axis means
    one copy (the halves must agree). Undeclared ones are guessed: per-replica arrays concatenated,
    equal arrays kept once (so two equal event arrays are lost: declare them), time grids extended.

    A check that records a trajectory until its whole batch has converged returns a shorter time axis
    for a batch that converged sooner: the longer grid is kept and the shorter batch's trajectories
    hold their last value, as such a check does within one batch for its early replicas."""
    merged = {}
    declared = declared or {}
    for name, a in first.items():
        a, b = np.asarray(a), np.asarray(second[name])
        axes = tuple(declared.get(name, ()))
        if axes and axes[0] == shapes.EVENTS:
            merged[name] = np.concatenate([a.reshape(-1), b.reshape(-1)])
            continue
        if name in declared and shapes.REPLICA not in axes:
            if not (a.shape == b.shape and np.array_equal(a, b, equal_nan=True)):
                raise ValueError(f"measurement {name!r} is declared without a replica axis, but two batches of "
                                 f"replicas returned different values (shapes {a.shape} and {b.shape})")
            merged[name] = a
            continue
        if a.ndim and b.ndim and a.shape[0] == n_first and b.shape[0] == n_second:
            if a.shape[1:] != b.shape[1:] and a.ndim == b.ndim:
                tail = tuple(max(x, y) for x, y in zip(a.shape[1:], b.shape[1:]))
                a, b = _hold_last(a, a.shape[:1] + tail), _hold_last(b, b.shape[:1] + tail)
            merged[name] = np.concatenate([a, b])
        elif a.shape == b.shape and np.array_equal(a, b, equal_nan=True):
            merged[name] = a
        elif a.ndim == b.ndim == 1 and _is_prefix(a, b):
            merged[name] = a if a.size >= b.size else b
        else:
            merged[name] = np.concatenate([a.reshape(-1), b.reshape(-1)])
    return merged


def _is_prefix(a: np.ndarray, b: np.ndarray) -> bool:
    """Two strictly increasing 1-d grids, one the start of the other (a time grid recorded for longer);
    flat event arrays are never taken for one (they are concatenated)."""
    short, long = (a, b) if a.size <= b.size else (b, a)
    increasing = short.size >= 3 and bool(np.all(np.diff(long) > 0))
    return increasing and np.array_equal(long[:short.size], short)


def run_check(check: CheckFunction, params: Mapping[str, float], seeds: Sequence[int], device: str,
              notes: list[str], cpu_fallback: bool = False, max_batch: int | None = None,
              declared: Mapping[str, Sequence[Any]] | None = None) -> dict[str, np.ndarray]:
    """``check(params, len(seeds), seeds, device)``, at most ``max_batch`` replicas per call (batches
    that fit the CPU's caches can be faster than one large one); on out-of-memory, halve the batch (and
    say so in ``notes``); with ``cpu_fallback``, a single replica that still does not fit runs on the
    CPU. Seeds travel with their replicas, so the merged result equals an unsplit run."""
    if max_batch is not None and len(seeds) > max_batch:
        merged, done = None, 0
        for start in range(0, len(seeds), max_batch):
            part = seeds[start:start + max_batch]
            out = run_check(check, params, part, device, notes, cpu_fallback, None, declared)
            merged = out if merged is None else merge(merged, out, done, len(part), declared)
            done += len(part)
        return merged
    try:
        return {k: np.asarray(v) for k, v in check(params, len(seeds), list(seeds), device).items()}
    except Exception as exc:
        if not is_out_of_memory(exc):
            raise
        if len(seeds) > 1:
            half = len(seeds) // 2
            notes.append(f"out of memory with {len(seeds)} replicas on {device}: running two batches of "
                         f"{half} and {len(seeds) - half}")
            first = run_check(check, params, seeds[:half], device, notes, cpu_fallback, None, declared)
            second = run_check(check, params, seeds[half:], device, notes, cpu_fallback, None, declared)
            return merge(first, second, half, len(seeds) - half, declared)
        if cpu_fallback and device != "cpu":
            notes.append(f"out of memory with one replica on {device}: falling back to the CPU")
            return run_check(check, params, seeds, "cpu", notes, False, None, declared)
        raise
