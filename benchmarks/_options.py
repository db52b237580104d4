"""Command-line options the benchmark scripts share: where to run and in which precision."""
from __future__ import annotations

import argparse

from verifier.running.compute import PRECISIONS


def add_device_and_precision(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    parser.add_argument("--precision", default="auto", choices=PRECISIONS)


def resolved_device(parser: argparse.ArgumentParser, requested: str) -> str:
    """``auto`` -> ``cuda`` or ``cpu``; ``cuda`` without a GPU is a one-line usage error (exit 2)."""
    from verifier.running.environment import DeviceError, resolve_device

    try:
        return resolve_device(requested)
    except DeviceError as exc:
        parser.error(str(exc))
