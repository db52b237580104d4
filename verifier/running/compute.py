"""How a check computes: floating-point precision and CPU threads, chosen per run by the user.

The engine sets the policy around each check call (``--precision``, ``--threads``); checks ask for it
with :func:`dtype_for` instead of hard-coding a dtype. A check that must keep float64 whatever the
user asks (because the quantity it measures is below float32 resolution, say) declares it with
:func:`fixed_precision`, and the run records that the request was not honoured.

``auto`` is each check's own default (float64 on the CPU; the late-fusion network trains in float32
on CUDA). ``float32`` asks for float32 everywhere; ``tf32`` is float32 with TensorFloat-32 matmuls
allowed on CUDA (on the CPU it is float32).
"""
from __future__ import annotations

import contextlib
import contextvars
from typing import Callable, Iterator, TypeVar

PRECISIONS = ("auto", "float64", "float32", "tf32")

_precision: contextvars.ContextVar[str] = contextvars.ContextVar("verifier_precision", default="auto")
_threads: contextvars.ContextVar[int | None] = contextvars.ContextVar("verifier_threads", default=None)

F = TypeVar("F", bound=Callable)


def precision() -> str:
    """The precision the current run asks for (one of :data:`PRECISIONS`)."""
    return _precision.get()


def requested_threads() -> int | None:
    """The intra-op CPU threads the user asked for (None: the check or torch decides)."""
    return _threads.get()


def dtype_for(device: str, cpu_default: str = "float64", cuda_default: str = "float64"):
    """The torch dtype a check should compute in on ``device`` under the current policy; ``auto``
    gives the check's own defaults."""
    import torch

    choice = precision()
    if choice == "auto":
        choice = cuda_default if torch.device(device).type == "cuda" else cpu_default
    return torch.float64 if choice == "float64" else torch.float32


def fixed_precision(dtype: str, reason: str) -> Callable[[F], F]:
    """Mark a check that computes in ``dtype`` (float64 or float32) whatever ``--precision`` asks, and why."""
    if dtype not in ("float64", "float32"):
        raise ValueError(f"fixed_precision: dtype must be float64 or float32, got {dtype!r}")

    def mark(function: F) -> F:
        function.fixed_precision = (dtype, reason)
        return function
    return mark


def honoured(check: Callable, requested: str) -> str | None:
    """A note when ``check`` does not follow the requested precision, else None."""
    fixed = getattr(check, "fixed_precision", None)
    if fixed and requested != "auto" and not (requested == fixed[0] or {requested, fixed[0]} == {"tf32", "float32"}):
        return f"--precision {requested} not applied: this check computes in {fixed[0]} ({fixed[1]})"
    return None


@contextlib.contextmanager
def policy(requested: str = "auto", threads: int | None = None) -> Iterator[None]:
    """Apply a precision and a number of intra-op CPU threads for the duration of a check call."""
    if requested not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {requested!r}")
    if threads is not None and threads < 1:
        raise ValueError(f"threads must be a positive integer, got {threads}")
    token, threads_token = _precision.set(requested), _threads.set(threads)
    try:
        if requested == "auto" and threads is None:  # nothing to set in torch: a torch-free check stays so
            yield
        else:
            with _torch_settings(requested, threads):
                yield
    finally:
        _threads.reset(threads_token)
        _precision.reset(token)


@contextlib.contextmanager
def _torch_settings(requested: str, threads: int | None) -> Iterator[None]:
    """torch's intra-op threads and TF32 switch for the call, restored afterwards."""
    import torch

    threads_before = torch.get_num_threads()
    tf32_before = torch.backends.cuda.matmul.allow_tf32
    try:
        if threads is not None:
            torch.set_num_threads(threads)
        torch.backends.cuda.matmul.allow_tf32 = requested == "tf32"
        yield
    finally:
        torch.backends.cuda.matmul.allow_tf32 = tf32_before
        torch.set_num_threads(threads_before)
