"""Errors without losing work: output paths are checked before the run, files are written whole or not
at all, an output that fails after the run (a full disk, Ctrl-C) keeps the results in the store and
leaves no temporary file, and an unusable results store is one line while the run goes on."""
import errno
import os
import sqlite3

import numpy as np
import pytest

from tests.test_faults import toy
from verifier.interfaces.cli import main
from verifier.presentation import atomic
from verifier.presentation import html as html_report
from verifier.running.store import Store


@pytest.fixture
def plugin(tmp_path):
    folder = tmp_path / "plugin"
    folder.mkdir()
    return toy(folder)


def run_cli(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def error_line(err, prefix="verify: error"):
    """The one line starting with ``prefix``; no traceback anywhere."""
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith(prefix)]
    assert len(lines) == 1, err
    return lines[0]


def stored(store):
    """(result id, verdict) rows of a store file, read with plain sqlite3."""
    db = sqlite3.connect(store)
    try:
        return db.execute("SELECT result_id, verdict FROM results").fetchall()
    finally:
        db.close()


def listing(folder):
    """Every path under ``folder``, relative; temporaries are hidden ``.<name>.<hex>.tmp`` entries."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def unwritable(path, monkeypatch):
    """Make ``path`` unwritable for this process; the mode to restore, or None. As root permission bits
    do not bite, so os.access (which the checks consult) answers for it instead."""
    if os.geteuid() == 0:
        real = os.access
        monkeypatch.setattr(os, "access", lambda p, mode, *a, **k: False if os.fspath(p) == os.fspath(path)
                            and mode & os.W_OK else real(p, mode, *a, **k))
        return None
    mode = path.stat().st_mode
    path.chmod(mode & ~0o222)
    return mode


@pytest.fixture
def readonly(monkeypatch):
    """``readonly(path)`` makes a path unwritable until the test ends (bits restored for tmp cleanup)."""
    restore = []
    yield lambda path: restore.append((path, unwritable(path, monkeypatch)))
    for path, mode in restore:
        if mode is not None:
            path.chmod(mode)


def test_bad_output_paths_are_one_line_before_anything_runs(tmp_path, plugin, capsys, readonly):
    store = tmp_path / "store.sqlite"
    a_file = tmp_path / "notes.txt"
    a_file.write_text("x")
    locked = tmp_path / "locked"
    locked.mkdir()
    readonly(locked)
    protected = tmp_path / "protected.json"
    protected.write_text("mine")
    readonly(protected)
    base = ["theorem", "lemma-a", "--plugin", plugin, "--device", "cpu", "--store", str(store)]
    missing = tmp_path / "missing"
    cases = [
        (["--json", str(missing / "r.json")], f"--json {missing / 'r.json'}: folder {missing} does not exist"),
        (["--json", str(tmp_path)], f"--json {tmp_path}: is a directory"),
        (["--json", str(a_file / "r.json")], f"{a_file} is not a folder"),
        (["--json", str(locked / "r.json")], f"folder {locked} is not writable"),
        (["--json", str(protected)], f"--json {protected}: is not writable"),
        (["--html", str(a_file)], f"--html {a_file}: is a file, not a folder"),
        (["--html", str(locked)], f"--html {locked}: folder {locked} is not writable"),
        (["--html", str(a_file / "html")], f"{a_file} is not a folder"),
    ]
    for extra, message in cases:
        code, out, err = run_cli(capsys, *base, *extra)
        assert code == 2 and message in error_line(err), (extra, err)
        assert out == ""  # no table: nothing ran
    assert not store.exists()  # the check comes before the store is even opened
    code, _, err = run_cli(capsys, "report", str(a_file / "html"), "--plugin", plugin, "--store", str(store))
    assert code == 2 and f"report {a_file / 'html'}: {a_file} is not a folder" in error_line(err)
    code, _, err = run_cli(capsys, "new-spec", "smith2025", "--dir", str(tmp_path / "no" / "where"))
    assert code == 2 and f"--dir {tmp_path / 'no' / 'where'}: folder {tmp_path / 'no'} does not exist" in error_line(err)
    code, _, err = run_cli(capsys, "new-spec", "smith2025", "--dir", str(locked))
    assert code == 2 and "is not writable" in error_line(err)
    assert listing(locked) == [] and protected.read_text() == "mine"


def _disk_full(*args, **kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_after_the_run_keeps_the_table_and_the_store(tmp_path, plugin, capsys, monkeypatch):
    """The JSON's rename fails (its temporary is written): one line, exit 2, the table was printed, the
    result is in the store, and the folder holds no temporary."""
    store, out_dir = tmp_path / "store.sqlite", tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "r.json").write_text("old")
    monkeypatch.setattr(atomic.os, "replace", _disk_full)
    code, out, err = run_cli(capsys, "theorem", "lemma-a", "--plugin", plugin, "--device", "cpu", "--store", str(store),
                             "--json", str(out_dir / "r.json"))
    line = error_line(err)
    assert code == 2
    assert f"--json {out_dir / 'r.json'}: could not write it (No space left on device)" in line
    assert f"kept in the store {store}" in line and "verify report --run" in line
    assert "toy/lemma-a" in out and "PASS" in out and "summary: 1 results: PASS 1" in out
    assert "JSON" not in out.splitlines()[-1]  # the summary does not claim the file
    assert stored(store) == [("toy/lemma-a", "PASS")]
    assert listing(out_dir) == ["r.json"] and (out_dir / "r.json").read_text() == "old"


def test_a_failing_html_report_leaves_no_half_report(tmp_path, plugin, capsys, monkeypatch):
    """Pages and static files are written, then the index fails: the new folder is not created, an
    existing report is left as it was; the rerendering from the store then works."""
    store = tmp_path / "store.sqlite"
    monkeypatch.setattr(html_report, "render_index", _disk_full)
    fresh = tmp_path / "fresh"
    code, out, err = run_cli(capsys, "theorem", "lemma-a", "--plugin", plugin, "--device", "cpu", "--store", str(store),
                             "--html", str(fresh), "--quiet")
    assert code == 2 and f"--html {fresh}: could not write it (No space left on device)" in error_line(err)
    assert out.split() == ["PASS", "toy/lemma-a"]
    assert set(listing(tmp_path)) - {"store.sqlite-wal", "store.sqlite-shm"} == {"plugin", "plugin/toy.py", "store.sqlite"}
    old = tmp_path / "old"
    old.mkdir()
    (old / "index.html").write_text("old index")
    (old / "mine.txt").write_text("keep")
    code, _, err = run_cli(capsys, "report", str(old), "--plugin", plugin, "--store", str(store))
    assert code == 2 and f"report {old}: could not write it (No space left on device)" in error_line(err)
    assert listing(old) == ["index.html", "mine.txt"] and (old / "index.html").read_text() == "old index"
    monkeypatch.undo()
    code, out, _ = run_cli(capsys, "report", str(old), "--plugin", plugin, "--store", str(store))
    assert code == 0 and "index.html" in out
    assert {"index.html", "mine.txt", "run.json", "toy--lemma-a.html"} <= set(listing(old))
    assert not [name for name in listing(old) if name.endswith(".tmp")]
    assert "old index" not in (old / "index.html").read_text()


def test_ctrl_c_while_writing_keeps_the_results_and_no_temporary(tmp_path, plugin, capsys, monkeypatch):
    store, html = tmp_path / "store.sqlite", tmp_path / "html"

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(html_report, "render_index", interrupted)
    code, _, err = run_cli(capsys, "theorem", "lemma-a", "--plugin", plugin, "--device", "cpu", "--store", str(store),
                           "--html", str(html))
    assert code == 130 and "interrupted" in err and "Traceback" not in err
    assert stored(store) == [("toy/lemma-a", "PASS")]
    assert not html.exists() and not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_new_spec_is_written_whole_or_not_at_all(tmp_path, capsys, monkeypatch):
    real = type(tmp_path).write_text
    calls = []

    def fail_on_the_fourth(self, *args, **kwargs):
        calls.append(self.name)
        if len(calls) == 4:
            _disk_full()
        return real(self, *args, **kwargs)

    monkeypatch.setattr(type(tmp_path), "write_text", fail_on_the_fourth)
    code, _, err = run_cli(capsys, "new-spec", "smith2025", "--dir", str(tmp_path))
    assert code == 2 and f"--dir {tmp_path}: could not write the package (No space left on device)" in error_line(err)
    assert listing(tmp_path) == [] and len(calls) == 4
    monkeypatch.undo()
    assert run_cli(capsys, "new-spec", "smith2025", "--dir", str(tmp_path))[0] == 0
    assert "smith2025-specs/smith2025_specs/specs.py" in listing(tmp_path)


def test_atomic_write_replaces_whole_files_only(tmp_path, monkeypatch):
    target = tmp_path / "a.json"
    atomic.write_text(target, "first")
    assert target.read_text() == "first" and listing(tmp_path) == ["a.json"]
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())  # not mkstemp's 0600
    monkeypatch.setattr(atomic.os, "replace", _disk_full)
    with pytest.raises(OSError, match="No space left"):
        atomic.write_text(target, "second")
    assert target.read_text() == "first" and listing(tmp_path) == ["a.json"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _corrupt_store(path):
    """A store with a few hundred kB of rows whose middle pages are overwritten, header intact."""
    store = Store(path)
    rng = np.random.default_rng(0)
    for i in range(40):
        store.save_measurements(f"k{i}", "check", {}, {"x": rng.random(1000)}, 1.0)
    store.close()
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 16384] = rng.integers(0, 256, 16384, dtype=np.uint8).tobytes()
    path.write_bytes(bytes(data))
    return bytes(data)


def test_a_corrupt_store_is_named_the_run_goes_on_and_repair_moves_it_aside(tmp_path, plugin, capsys):
    store = tmp_path / "store.sqlite"
    before = _corrupt_store(store)
    argv = ["theorem", "lemma-a", "--plugin", plugin, "--device", "cpu", "--store", str(store), "--quiet"]
    code, out, err = run_cli(capsys, *argv)
    line = error_line(err, "verify: warning")
    assert code == 0 and out.split() == ["PASS", "toy/lemma-a"]
    assert f"{store}: not a usable results store (database disk image is malformed)" in line
    assert "--store-repair" in line and "results are not kept" in line
    assert store.read_bytes() == before  # never touched without being asked
    code, _, err = run_cli(capsys, "findings", "--plugin", plugin, "--store", str(store))
    assert code == 2 and "not a usable results store" in error_line(err)
    code, out, err = run_cli(capsys, *argv, "--store-repair")
    assert code == 0 and out.split() == ["PASS", "toy/lemma-a"]
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("store.sqlite.corrupt-")]
    assert len(aside) == 1 and aside[0].read_bytes() == before
    assert f"moved the unusable store {store} to {aside[0]}" in err and "Traceback" not in err
    assert stored(store) == [("toy/lemma-a", "PASS")]


def test_a_store_that_is_a_folder_or_read_only_is_one_line_and_the_run_goes_on(tmp_path, plugin, capsys, readonly):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    argv = ["theorem", "lemma-a", "--plugin", plugin, "--device", "cpu", "--quiet"]
    code, out, err = run_cli(capsys, *argv, "--store", str(folder))
    line = error_line(err, "verify: warning")
    assert code == 0 and out.split() == ["PASS", "toy/lemma-a"]
    assert f"--store {folder}: is a directory; pass another --store PATH" in line and "results are not kept" in line
    assert listing(folder) == []
    code, _, err = run_cli(capsys, "graph", "toy/lemma-a", "--plugin", plugin, "--store", str(folder))
    assert code == 2 and f"--store {folder}: is a directory" in error_line(err)
    # a store file the user may not write: named, left as it is, the run still happens
    kept = tmp_path / "kept.sqlite"
    Store(kept).close()
    before = kept.read_bytes()
    readonly(kept)
    code, out, err = run_cli(capsys, *argv, "--store", str(kept))
    assert code == 0 and out.split() == ["PASS", "toy/lemma-a"]
    assert f"--store {kept}: is not writable" in error_line(err, "verify: warning")
    assert kept.read_bytes() == before and stored(kept) == []
    # a read-only folder: the WAL files could not be created beside the store
    locked = tmp_path / "locked"
    locked.mkdir()
    readonly(locked)
    code, _, err = run_cli(capsys, *argv, "--store", str(locked / "s.sqlite"))
    assert code == 0 and f"folder {locked} is not writable" in error_line(err, "verify: warning")
    assert listing(locked) == []


def test_a_store_failing_mid_run_goes_on_in_memory(tmp_path, plugin, capsys, monkeypatch):
    """The disk under the store fills up when the result is saved: the run finishes, says from when
    results are not kept, and its exit code is the verdicts'."""
    store = tmp_path / "store.sqlite"
    real = Store._transaction

    def full_on_results(self, sql, args):
        if sql.startswith("INSERT OR REPLACE INTO results") and str(self.path) == str(store) and self.problem is None:
            raise sqlite3.OperationalError("database or disk is full")
        return real(self, sql, args)

    monkeypatch.setattr(Store, "_transaction", full_on_results)
    code, out, err = run_cli(capsys, "theorem", "lemma-a", "--plugin", plugin, "--device", "cpu", "--store", str(store))
    line = error_line(err, "verify: warning")
    assert code == 0 and "toy/lemma-a" in out and "PASS" in out
    assert f"{store} failed during the run (database or disk is full): results from then on are not kept" in line
    assert stored(store) == []


def _snapshot(folder):
    """Every file under ``folder`` with its bytes and modification time."""
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_the_read_only_commands_read_a_store_in_a_read_only_folder(tmp_path, plugin, capsys):
    """graph, findings, plan, next and report open the store read-only: the file's bytes and time stay as
    they were and no -wal, -shm or -journal file appears beside it. The folder and file are made read-only
    for real; as root the permission bits do not bite, so the unchanged folder is what shows no write."""
    folder = tmp_path / "shared"
    folder.mkdir()
    store = folder / "s.sqlite"
    code, _, _ = run_cli(capsys, "theorem", "lemma-a", "--plugin", plugin, "--device", "cpu", "--store", str(store))
    assert code == 0 and listing(folder) == ["s.sqlite"]
    store.chmod(0o444)
    folder.chmod(0o555)
    try:
        before = _snapshot(folder)
        common = ["--plugin", plugin, "--store", str(store)]
        code, out, err = run_cli(capsys, "graph", "toy/lemma-a", *common)
        assert (code, err) == (0, "") and "toy/lemma-a [PASS" in out
        code, out, err = run_cli(capsys, "findings", *common)
        assert (code, err) == (0, "") and "1 results" in out
        code, out, err = run_cli(capsys, "plan", "toy/lemma-a", *common)
        assert (code, err) == (0, "") and "lemma-a" in out
        code, out, err = run_cli(capsys, "next", *common)
        assert (code, err) == (0, "")
        html = tmp_path / "html"
        code, out, err = run_cli(capsys, "report", "--html", str(html), *common)
        assert (code, err) == (0, "") and "toy/lemma-a" in (html / "index.html").read_text()
        assert _snapshot(folder) == before
    finally:
        folder.chmod(0o755)
        store.chmod(0o644)


def test_a_read_only_store_reads_through_the_wal_of_a_writer_and_refuses_a_missing_file(tmp_path, plugin, capsys):
    writer = Store(tmp_path / "s.sqlite")
    try:
        writer.save_result("r1", {"id": "toy/lemma-a", "verdict": "FAIL"})  # in the -wal file, not yet in the main one
        assert (tmp_path / "s.sqlite-wal").exists()
        reader = Store(tmp_path / "s.sqlite", read_only=True)
        try:
            assert reader.latest("toy/lemma-a") == {"id": "toy/lemma-a", "verdict": "FAIL"}
        finally:
            reader.close()
    finally:
        writer.close()
    missing = tmp_path / "none" / "s.sqlite"
    code, _, err = run_cli(capsys, "findings", "--plugin", plugin, "--store", str(missing))
    assert code == 2 and f"--store {missing}: does not exist (no run has stored results there)" in error_line(err)
    code, out, err = run_cli(capsys, "graph", "toy/lemma-a", "--plugin", plugin, "--store", str(missing))
    assert code == 0 and "toy/lemma-a [not run" in out and not missing.parent.exists()
