"""Results store (SQLite): every run's records, and the measurements of each check run.

Each result record is committed as soon as it is finished, so an interrupted run keeps what it did.
WAL mode and a busy timeout let several ``verify`` processes share one store.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import sqlite3
import time
import urllib.parse
from pathlib import Path
from typing import Any, Iterator, Mapping

import numpy as np

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, started REAL NOT NULL, finished REAL, status TEXT NOT NULL,
    argv TEXT NOT NULL, environment TEXT NOT NULL, details TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results (
    run_id TEXT NOT NULL, result_id TEXT NOT NULL, verdict TEXT NOT NULL, created REAL NOT NULL,
    record TEXT NOT NULL, PRIMARY KEY (run_id, result_id));
CREATE INDEX IF NOT EXISTS results_by_id ON results (result_id, created);
CREATE TABLE IF NOT EXISTS measurements (
    key TEXT PRIMARY KEY, check_name TEXT NOT NULL, description TEXT NOT NULL, seconds REAL NOT NULL,
    created REAL NOT NULL, payload BLOB NOT NULL);
"""


MEMORY = ":memory:"  # a store that keeps nothing after the process ends
BOUNDARY = "boundary"  # the status of a run that records a `verify boundary` search (its probes are runs of their own)


class StoreError(Exception):
    """The store file cannot be used: a folder, not writable, corrupt or not a SQLite database, or written
    by an incompatible version. ``repairable``: moving the file aside (:func:`set_aside`) would help."""

    def __init__(self, message: str, repairable: bool = False):
        super().__init__(message)
        self.repairable = repairable


ELSEWHERE = "pass another --store PATH (or set VERIFY_STORE)"


def set_aside(path: Path | str) -> Path:
    """Rename an unusable store (and its WAL files) to ``<name>.corrupt-<UTC timestamp>``; the new path."""
    path = Path(path)
    aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}")
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{path}{suffix}").exists():
            os.replace(f"{path}{suffix}", f"{aside}{suffix}")
    return aside


def _check_path(path: Path) -> None:
    """What the file system says about ``path`` before SQLite tries it: a folder, a folder that cannot be
    made, a file or folder without write permission (the folder also holds the WAL files)."""
    if path.is_dir():
        raise StoreError(f"--store {path}: is a directory; {ELSEWHERE}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"--store {path}: cannot create folder {path.parent} ({exc.strerror}); {ELSEWHERE}") from None
    if not os.access(path.parent, os.W_OK | os.X_OK):
        raise StoreError(f"--store {path}: folder {path.parent} is not writable; {ELSEWHERE}")
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise StoreError(f"--store {path}: is not writable; {ELSEWHERE}")


def _check_readable(path: Path) -> None:
    """What the file system says about a store to be read only: a folder, a missing file, an unreadable one."""
    if path.is_dir():
        raise StoreError(f"--store {path}: is a directory; {ELSEWHERE}")
    if not path.exists():
        raise StoreError(f"--store {path}: does not exist (no run has stored results there); {ELSEWHERE}")
    if not os.access(path, os.R_OK):
        raise StoreError(f"--store {path}: is not readable; {ELSEWHERE}")


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot write to the store file nor create anything beside it. While a writer has
    the store open its ``-wal`` file exists, and the store is read through it (``mode=ro``); otherwise the
    file is all there is and is opened ``immutable`` (a WAL-mode reader would create ``-wal`` and ``-shm``
    files, which a read-only folder refuses), so a writer that starts during a read goes unseen."""
    uri = f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro"
    if not Path(f"{path}-wal").exists():
        uri += "&immutable=1"
    return sqlite3.connect(uri, uri=True, timeout=60, isolation_level=None)


def _expected_columns() -> dict[str, tuple[str, ...]]:
    """Each table's columns as :data:`SCHEMA` defines them (read back from an in-memory database)."""
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(SCHEMA)
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: tuple(row[1] for row in db.execute(f"PRAGMA table_info({table})")) for table in tables}
    finally:
        db.close()


def default_path() -> Path:
    """``$VERIFY_STORE``, else ``$XDG_CACHE_HOME/theory-verifier/store.sqlite`` (``~/.cache`` default)."""
    if os.environ.get("VERIFY_STORE"):
        return Path(os.environ["VERIFY_STORE"])
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "theory-verifier" / "store.sqlite"


class Store:
    """A SQLite file holding runs, result records (JSON) and cached measurements (npz).

    ``read_only`` (the commands that only read: graph, findings, plan, next, report) opens an existing
    store without writing to it or beside it, so a store in a read-only file or folder can be read; a
    missing store is then a :class:`StoreError` instead of a new file."""

    def __init__(self, path: Path | str, read_only: bool = False):
        self.path = Path(path)
        self.problem: str | None = None  # why this store fell back to memory during its life, if it did
        if str(path) != MEMORY:
            (_check_readable if read_only else _check_path)(self.path)
        try:
            self._db = (_connect_read_only(self.path) if read_only and str(path) != MEMORY
                        else sqlite3.connect(self.path, timeout=60, isolation_level=None))
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"--store {self.path}: cannot be opened ({exc}); {ELSEWHERE}") from None
        try:
            self._check_columns()  # before anything is written to a file that may not be ours
            if self._db.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok":  # a few ms for 100 MB
                raise sqlite3.DatabaseError("database disk image is malformed")
            self._db.execute("PRAGMA busy_timeout=60000")
            if not read_only:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.executescript(SCHEMA)
        except (sqlite3.DatabaseError, StoreError) as exc:
            self._db.close()
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"{self.path}: not a usable results store ({exc}); {ELSEWHERE}, or move the file "
                             f"aside (--store-repair renames it to {self.path.name}.corrupt-<timestamp>)",
                             repairable=not isinstance(exc, sqlite3.OperationalError)) from None  # not "locked"

    def _fall_back(self, exc: sqlite3.DatabaseError) -> None:
        """Go on in memory after the file failed mid-run (corrupt page, full disk, lock held too long)."""
        if self.problem is not None or str(self.path) == MEMORY:
            raise exc
        with contextlib.suppress(sqlite3.Error):
            self._db.close()
        self.problem = (f"{self.path} failed during the run ({exc}): results from then on are not kept; "
                        f"{ELSEWHERE}, or if the file is corrupt move it aside (--store-repair)")
        self._db = sqlite3.connect(MEMORY, isolation_level=None)
        self._db.executescript(SCHEMA)

    def _rows(self, sql: str, args: tuple = ()) -> list[tuple]:
        try:
            return self._db.execute(sql, args).fetchall()
        except sqlite3.DatabaseError as exc:
            self._fall_back(exc)
            return self._db.execute(sql, args).fetchall()

    def _check_columns(self) -> None:
        """Tables the file already has must have this version's columns (missing ones are created)."""
        present = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table, expected in _expected_columns().items():
            found = tuple(row[1] for row in self._db.execute(f"PRAGMA table_info({table})"))
            if table in present and found != expected:
                raise StoreError(f"{self.path}: table {table!r} has columns ({', '.join(found)}), this version "
                                 f"expects ({', '.join(expected)}): the store was written by another version; "
                                 f"pass another --store (or set VERIFY_STORE) or move the file aside")

    def close(self) -> None:
        self._db.close()

    def _write(self, sql: str, args: tuple) -> None:
        try:
            self._transaction(sql, args)
        except sqlite3.DatabaseError as exc:
            self._fall_back(exc)
            self._transaction(sql, args)

    def _transaction(self, sql: str, args: tuple) -> None:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.execute(sql, args)
            self._db.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error):  # a failed COMMIT may have ended the transaction already
                self._db.execute("ROLLBACK")
            raise

    def start_run(self, run_id: str, argv: list[str], environment: Mapping[str, Any],
                  details: Mapping[str, Any], started: float | None = None) -> None:
        """Record a run's command line, machine and ``details`` (its options and targets); ``started``
        (seconds since the epoch) defaults to now."""
        self._write("INSERT INTO runs VALUES (?, ?, NULL, 'running', ?, ?, ?)",
                    (run_id, time.time() if started is None else started, json.dumps(argv), json.dumps(environment),
                     json.dumps(details, default=str)))

    def finish_run(self, run_id: str, status: str, finished: float | None = None) -> None:
        self._write("UPDATE runs SET finished = ?, status = ? WHERE run_id = ?",
                    (time.time() if finished is None else finished, status, run_id))

    def save_boundary(self, run_id: str, argv: list[str], environment: Mapping[str, Any],
                      details: Mapping[str, Any], started: float, finished: float) -> None:
        """Record a finished boundary search as a run of its own (status :data:`BOUNDARY`, no results):
        ``details`` holds its options, targets and the search (``boundary``)."""
        self._write("INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (run_id, started, finished, BOUNDARY, json.dumps(argv), json.dumps(environment),
                     json.dumps(details, default=str)))

    def boundaries(self, result_id: str) -> list[dict[str, Any]]:
        """The stored boundary searches of a result (each with its run id as ``search_id``), newest first."""
        rows = self._rows("SELECT details FROM runs WHERE status = ? ORDER BY started DESC", (BOUNDARY,))
        searches = [json.loads(details).get("boundary") or {} for (details,) in rows]
        return [search for search in searches if search.get("id") == result_id]

    def save_result(self, run_id: str, record: Mapping[str, Any]) -> None:
        self._write("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?)",
                    (run_id, record["id"], record["verdict"], time.time(), json.dumps(record)))

    def latest(self, result_id: str) -> dict[str, Any] | None:
        """The most recent record of a result, from any run but a boundary search's probes (each a run at a
        value of the searched parameter, part of its search)."""
        rows = self._rows("SELECT run_id, record FROM results WHERE result_id = ? ORDER BY created DESC", (result_id,))
        probes = self._probe_runs() if rows else set()
        return next((json.loads(record) for run_id, record in rows if run_id not in probes), None)

    def _probe_runs(self) -> set[str]:
        """The run ids of the probes of every stored boundary search."""
        rows = self._rows("SELECT details FROM runs WHERE status = ?", (BOUNDARY,))
        return {probe.get("run_id") for (details,) in rows
                for probe in (json.loads(details).get("boundary") or {}).get("runs", [])}

    def run_records(self, run_id: str) -> Iterator[dict[str, Any]]:
        for (record,) in self._rows("SELECT record FROM results WHERE run_id = ? ORDER BY created", (run_id,)):
            yield json.loads(record)

    def load_run(self, run_id: str | None = None, searches: bool = False) -> dict[str, Any]:
        """A stored run in the shape of ``RunRecord.to_dict()`` (plus ``argv``, and ``boundary`` for a boundary
        search): ``run_id``, or with None or ``"latest"`` the one that finished last among the runs that stored
        a result (and, with ``searches``, the boundary searches), never a probe of a stored search: the probes
        are part of their search. LookupError when there is none."""
        if run_id in (None, "latest"):
            run_id = self._latest_run(searches)
        rows = self._rows("SELECT argv, environment, details, status, started, finished FROM runs WHERE run_id = ?",
                          (run_id,))
        if not rows:
            raise LookupError(f"no run {run_id!r} in the store {self.path}")
        row = rows[0]
        argv, environment, details, status = json.loads(row[0]), json.loads(row[1]), json.loads(row[2]), row[3]
        return {"run_id": run_id, "options": details.get("options", {}), "environment": environment,
                "targets": details.get("targets", []), "interrupted": status == "interrupted",
                "plugin_problems": details.get("plugin_problems", []),
                "results": list(self.run_records(run_id)), "argv": argv, "started": row[4], "finished": row[5],
                **({"boundary": details["boundary"]} if status == BOUNDARY else {})}

    def _latest_run(self, searches: bool) -> str:
        rows = self._rows("SELECT r.run_id, r.status FROM runs r WHERE r.status = ? OR EXISTS "
                          "(SELECT 1 FROM results s WHERE s.run_id = r.run_id) "
                          "ORDER BY COALESCE(r.finished, r.started) DESC", (BOUNDARY,))
        probes = self._probe_runs()
        for run_id, status in rows:
            if run_id not in probes and (searches or status != BOUNDARY):
                return run_id
        raise LookupError(f"the store {self.path} holds no run with results"
                          + (" apart from the probes of boundary searches (name one with --run)" if probes else ""))

    def load_measurements(self, key: str) -> dict[str, np.ndarray] | None:
        rows = self._rows("SELECT payload FROM measurements WHERE key = ?", (key,))
        if not rows:
            return None
        with np.load(io.BytesIO(rows[0][0]), allow_pickle=False) as data:
            return {name: data[name] for name in data.files}

    def measurement_seconds(self, key: str) -> float | None:
        """How long the check run stored under ``key`` took when it ran (None: not stored)."""
        row = self._db.execute("SELECT seconds FROM measurements WHERE key = ?", (key,)).fetchone()
        return float(row[0]) if row else None

    def check_seconds(self, check: str) -> float | None:
        """How long the latest stored run of the check named ``check`` took, at whatever parameters and
        replicas it ran (None: never run)."""
        row = self._db.execute("SELECT seconds FROM measurements WHERE check_name = ? ORDER BY created DESC LIMIT 1",
                               (check,)).fetchone()
        return float(row[0]) if row else None

    def save_measurements(self, key: str, check: str, description: Mapping[str, Any],
                          data: Mapping[str, np.ndarray], seconds: float) -> None:
        buffer = io.BytesIO()
        np.savez_compressed(buffer, **{k: np.asarray(v) for k, v in data.items()})
        self._write("INSERT OR REPLACE INTO measurements VALUES (?, ?, ?, ?, ?, ?)",
                    (key, check, json.dumps(description), seconds, time.time(), buffer.getvalue()))
