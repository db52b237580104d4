"""Files and folders written whole or not at all: first a temporary on the target's file system (beside
it, or inside a folder being updated), then ``os.replace``. The temporary is removed on any failure, a full disk
or Ctrl-C included, so a failed write leaves neither half a file nor a stray temporary."""
from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path


def _temporary(target: Path) -> Path:
    """A hidden name beside ``target`` that no one else uses."""
    return target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")


def write_text(path: Path | str, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path``, replacing it only once the whole text is on disk."""
    path = Path(path)
    temporary = _temporary(path)
    try:
        with open(temporary, "x", encoding="utf-8") as out:  # "x": the umask's permissions, not mkstemp's 0600
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise


@contextlib.contextmanager
def staged_folder(target: Path | str) -> Iterator[Path]:
    """A new empty folder to write into: beside ``target``, which it becomes in one rename when the block
    ends without error; or, where ``target`` already exists, inside it, and then each of its files replaces
    the file of the same name in ``target`` (other files there are kept). On any error it is removed."""
    target = Path(target).absolute()
    staging = target / f".{uuid.uuid4().hex[:8]}.tmp" if target.exists() else _temporary(target)
    staging.mkdir()
    try:
        yield staging
        _move_into(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _move_into(staging: Path, target: Path) -> None:
    if staging.parent != target:
        os.replace(staging, target)
        return
    for source in sorted(staging.rglob("*")):  # a folder sorts before its contents
        destination = target / source.relative_to(staging)
        if source.is_dir():
            destination.mkdir(exist_ok=True)
        else:
            os.replace(source, destination)
