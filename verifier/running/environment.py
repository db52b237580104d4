"""The machine a run happens on: compute device and library versions (recorded with every result)."""
from __future__ import annotations

import importlib
import importlib.metadata
import os
import platform
import subprocess
import sys
from pathlib import Path

#: Device nodes of the GPU drivers torch can use on Linux (NVIDIA, ROCm, WSL2's GPU bridge).
_GPU_DRIVER_PATHS = ("/dev/nvidiactl", "/dev/nvidia0", "/proc/driver/nvidia", "/dev/kfd", "/dev/dxg")


class DeviceError(ValueError):
    """A device was asked for that this machine cannot give."""


def resolve_device(requested: str) -> str:
    """``auto`` -> ``cuda`` when torch sees a GPU, else ``cpu``; ``cuda`` without a GPU is an error."""
    if requested not in ("auto", "cpu", "cuda"):
        raise DeviceError(f"--device must be auto, cpu or cuda, got {requested!r}")
    if requested == "cpu" or requested == "auto" and _no_gpu_driver():
        return "cpu"
    import torch

    available = torch.cuda.is_available()
    if requested == "cuda" and not available:
        raise DeviceError("--device cuda was asked for but torch.cuda.is_available() is False on this machine")
    return "cuda" if available else "cpu"


def _no_gpu_driver() -> bool:
    """True on Linux without any GPU driver's device node: there ``torch.cuda.is_available()`` is False,
    and knowing it without importing torch (1.5-2 s) lets a run answered from the store start fast."""
    return sys.platform.startswith("linux") and not any(os.path.exists(path) for path in _GPU_DRIVER_PATHS)


def _version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _git_commit() -> str:
    root = Path(__file__).resolve().parent.parent
    try:
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=5)
        return out.stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def describe(device: str) -> dict[str, object]:
    """Versions and hardware, as recorded in every run."""
    info: dict[str, object] = {
        "python": platform.python_version(), "platform": platform.platform(), "commit": _git_commit(),
        "device": device,
        **{name: _version(name) for name in ("theory-verifier", "torch", "numpy", "scipy", "sympy", "networkx")},
    }
    if device == "cuda":
        torch = importlib.import_module("torch")
        info["gpu"] = torch.cuda.get_device_name(0)
    return info
