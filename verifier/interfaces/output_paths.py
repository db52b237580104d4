"""Output paths checked before anything runs, so a typo in ``--json`` or ``--html`` costs no simulation
time: each problem is one sentence naming the option, the path and what is wrong."""
from __future__ import annotations

import os
from pathlib import Path


class TargetError(ValueError):
    """An output path that cannot be written."""


def _writable_folder(option: str, path: Path, folder: Path) -> None:
    if not folder.exists():
        raise TargetError(f"{option} {path}: folder {folder} does not exist")
    if not folder.is_dir():
        raise TargetError(f"{option} {path}: {folder} is not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise TargetError(f"{option} {path}: folder {folder} is not writable")


def check_file(option: str, path: Path) -> None:
    """A file to be written (replaced if present): not a folder nor a read-only file, in an existing
    writable folder."""
    if path.is_dir():
        raise TargetError(f"{option} {path}: is a directory; expected a file path")
    _writable_folder(option, path, path.parent)
    if path.exists() and not os.access(path, os.W_OK):
        raise TargetError(f"{option} {path}: is not writable")


def check_folder(option: str, path: Path) -> None:
    """A folder to write files into: an existing writable folder, or a new one in an existing writable folder."""
    if path.exists() and not path.is_dir():
        raise TargetError(f"{option} {path}: is a file, not a folder")
    if path.is_dir():
        _writable_folder(option, path, path)
    else:
        _writable_folder(option, path, path.parent)
