"""Helpers shared by checks: reading parameters and seeds, and returning finite numpy arrays."""
from __future__ import annotations

import contextlib
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterator, Mapping, Sequence, TypeVar

import numpy as np
import torch

from verifier.running.compute import requested_threads

T = TypeVar("T")


def int_param(params: Mapping[str, float], key: str) -> int:
    """An integer parameter (ValueError naming it when it is not one)."""
    value = float(params[key])
    if not value.is_integer():
        raise ValueError(f"param {key!r} must be an integer, got {params[key]!r}")
    return int(value)


def require(params: Mapping[str, float], keys: Sequence[str], where: str) -> None:
    """ValueError naming every missing parameter."""
    missing = [key for key in keys if key not in params]
    if missing:
        raise ValueError(f"{where}: missing param(s) {', '.join(repr(k) for k in missing)}")


def check_seeds(replicas: int, seeds: Sequence[int]) -> None:
    if replicas < 1 or len(seeds) != replicas:
        raise ValueError(f"need one seed per replica: replicas={replicas}, len(seeds)={len(seeds)}")


def finite(name: str, value: torch.Tensor | np.ndarray) -> None:
    """FloatingPointError naming the first non-finite entry."""
    array = value.detach().cpu().numpy() if isinstance(value, torch.Tensor) else np.asarray(value, dtype=float)
    bad = ~np.isfinite(array)
    if bad.any():
        raise FloatingPointError(f"{name}: {int(bad.sum())} non-finite value(s), first at index {np.argwhere(bad)[0].tolist()}")


def to_numpy(values: Mapping[str, torch.Tensor | np.ndarray], where: str) -> dict[str, np.ndarray]:
    """The check's outputs as numpy arrays, after checking that every value is finite."""
    result = {}
    for key, value in values.items():
        array = value.detach().cpu().numpy() if isinstance(value, torch.Tensor) else np.asarray(value, dtype=float)
        finite(f"{where}: {key}", array)
        result[key] = array
    return result


@contextlib.contextmanager
def one_cpu_thread(device: str) -> Iterator[None]:
    """Run with one intra-op CPU thread (restored afterwards) for checks made of tiny tensors: with two
    or more threads on a busy machine every op waits for the others (measured on the 2-core machine:
    80 ms instead of 0.4 ms a step for the deep linear networks, 750 ms instead of 17 ms for the
    contrastive coefficients). An explicit ``--threads`` wins."""
    if torch.device(device).type != "cpu" or requested_threads() is not None:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def per_replica(draw: Callable[[int, int], T], seeds: Sequence[int]) -> list[T]:
    """``[draw(i, seed) for i, seed in enumerate(seeds)]``, in order, on a pool of CPU threads (one per
    core, or ``--threads``). Each replica draws from its own generator, so the values are exactly those of
    the serial loop; torch releases the GIL while it fills a tensor, so a large batch's draws no longer
    wait on one core (a GPU machine's 16 cores keep the full profile's CPU draws from dominating its GPU
    time). ``i`` lets a draw fill slot ``i`` of preallocated batch tensors instead of stacking copies."""
    available = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    workers = min(len(seeds), requested_threads() or available)
    pairs = [(i, int(seed)) for i, seed in enumerate(seeds)]
    if workers <= 1:
        return [draw(i, seed) for i, seed in pairs]
    with ThreadPoolExecutor(workers, thread_name_prefix="draw") as pool:
        return list(pool.map(lambda pair: draw(*pair), pairs))
