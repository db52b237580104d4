"""Run a check over its replicas, halving the batch when the device runs out of memory."""
from __future__ import annotations

from typing import Callable, Mapping, Sequence

import numpy as np

CheckFunction = Callable[..., Mapping[str, np.ndarray]]


def is_out_of_memory(exc: BaseException) -> bool:
    """torch's OutOfMemoryError (CUDA or otherwise), or a MemoryError, without importing torch."""
    return isinstance(exc, MemoryError) or type(exc).__name__ == "OutOfMemoryError" or "out of memory" in str(exc).lower()


def merge(first: Mapping[str, np.ndarray], second: Mapping[str, np.ndarray], n_first: int,
          n_second: int) -> dict[str, np.ndarray]:
    """Join the outputs of two halves of a batch: per-replica arrays are concatenated, arrays without
    a replica axis (grids, constants) are kept once, flat replica-major event arrays concatenated."""
    merged = {}
    for name, a in first.items():
        a, b = np.asarray(a), np.asarray(second[name])
        if a.ndim and b.ndim and a.shape[0] == n_first and b.shape[0] == n_second:
            merged[name] = np.concatenate([a, b])
        elif a.shape == b.shape and np.array_equal(a, b, equal_nan=True):
            merged[name] = a
        else:
            merged[name] = np.concatenate([a.reshape(-1), b.reshape(-1)])
    return merged


def run_check(check: CheckFunction, params: Mapping[str, float], seeds: Sequence[int], device: str,
              notes: list[str], cpu_fallback: bool = False, max_batch: int | None = None) -> dict[str, np.ndarray]:
    """``check(params, len(seeds), seeds, device)``, at most ``max_batch`` replicas per call (batches
    that fit the CPU's caches can be faster than one large one); on out-of-memory, halve the batch (and
    say so in ``notes``); with ``cpu_fallback``, a single replica that still does not fit runs on the
    CPU. Seeds travel with their replicas, so the merged result equals an unsplit run."""
    if max_batch is not None and len(seeds) > max_batch:
        merged, done = None, 0
        for start in range(0, len(seeds), max_batch):
            part = seeds[start:start + max_batch]
            out = run_check(check, params, part, device, notes, cpu_fallback)
            merged = out if merged is None else merge(merged, out, done, len(part))
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
            first = run_check(check, params, seeds[:half], device, notes, cpu_fallback)
            second = run_check(check, params, seeds[half:], device, notes, cpu_fallback)
            return merge(first, second, half, len(seeds) - half)
        if cpu_fallback and device != "cpu":
            notes.append(f"out of memory with one replica on {device}: falling back to the CPU")
            return run_check(check, params, seeds, "cpu", notes, False)
        raise
