"""A publish is all or nothing: failed or killed at any file operation, the outputs are
exactly one generation, and the next transaction cleans up and succeeds."""

from __future__ import annotations

import errno
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from analysis.errors import InputError
from analysis.pipeline import publish

MODES = {"tables": "replace", "figures": "replace", "html": "replace", "notebooks": "update"}
# Old and new differ in every way: changed, unchanged, added and removed files, a removed
# subfolder, a new subfolder, a folder that did not exist, an update-mode folder.
GEN_A = {
    "tables": {"a.csv": "a1", "b.csv": "b", "sub/c.csv": "c", "old_only.csv": "o"},
    "figures": {"f1.png": "f1", "gone/x.png": "x"},
    "notebooks": {"01.ipynb": "n1", "02.ipynb": "n2"},
}
GEN_B = {
    "tables": {"a.csv": "a2", "b.csv": "b", "sub/d.csv": "d", "new_only.csv": "n"},
    "figures": {"f1.png": "f1b", "new/y.png": "y"},
    "html": {"index.html": "h"},
    "notebooks": {"01.ipynb": "n1b", "03.ipynb": "n3"},
}
# Never part of a generation: hidden files of a replaced folder, others' files in an
# updated one.
EXTRAS = {"tables/.keep": "k", "figures/.ipynb_checkpoints/f1.png": "cp",
          "notebooks/other.py": "mine"}


class Faults(publish.FileOps):
    """Fails operation number ``fail_at`` (1-based); with ``kill``, every later one too,
    so no in-process clean-up can change anything: a killed process, as far as the
    outputs can tell. No fsync: hundreds of publishes must stay fast."""

    def fsync(self, fd):
        pass

    def __init__(self, fail_at: int | None = None, kill: bool = False,
                 error: int = errno.EIO, only: str | None = None):
        self.calls: list[tuple[str, Path]] = []
        self.fail_at, self.kill, self.error, self.only = fail_at, kill, error, only

    def before(self, op, path):
        if self.only is not None and op != self.only:
            return
        self.calls.append((op, path))
        n = len(self.calls)
        if self.fail_at is not None and (n == self.fail_at or (self.kill and n > self.fail_at)):
            raise OSError(self.error, f"injected failure of {op} #{n}", str(path))


@pytest.fixture(autouse=True)
def _no_fsync(monkeypatch):
    monkeypatch.setattr(publish, "OPS", Faults())


def _write(folder: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text)


def _publish(root: Path, generation: dict, ops: publish.FileOps | None = None) -> None:
    with publish.Transaction(root / "tables", ops=ops) as txn:
        for name, files in generation.items():
            _write(txn.stage(root / name, mode=MODES[name]), files)


def _outputs(root: Path) -> dict[str, bytes]:
    """Every file of the output folders (hidden ones too), by path under ``root``."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for name in MODES
            for p in sorted((root / name).rglob("*")) if p.is_file()}


def _leftovers(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root.parent)) for p in root.parent.rglob(".publish*"))


@pytest.fixture(scope="module")
def generations(tmp_path_factory) -> tuple[Path, dict, dict]:
    """A folder holding generation A, and the outputs of A and of B published on A."""
    base = tmp_path_factory.mktemp("generations")
    old = base / "old" / "out"
    _write(old, EXTRAS)
    _publish(old, GEN_A)
    new = base / "new" / "out"
    shutil.copytree(old, new)
    _publish(new, GEN_B)
    assert not _leftovers(old) and not _leftovers(new)
    return old, _outputs(old), _outputs(new)


def test_replace_and_update_modes_publish_exactly_the_new_generation(generations):
    _, old, new = generations
    text = {k: v.decode() for k, v in new.items()}
    assert text == {
        "tables/.keep": "k", "tables/a.csv": "a2", "tables/b.csv": "b",
        "tables/sub/d.csv": "d", "tables/new_only.csv": "n",
        "figures/.ipynb_checkpoints/f1.png": "cp", "figures/f1.png": "f1b",
        "figures/new/y.png": "y", "html/index.html": "h",
        "notebooks/01.ipynb": "n1b", "notebooks/02.ipynb": "n2", "notebooks/03.ipynb": "n3",
        "notebooks/other.py": "mine",
    }
    assert {k: v.decode() for k, v in old.items()} == {
        **EXTRAS, **{f"{n}/{rel}": t for n, files in GEN_A.items() for rel, t in files.items()}}


def test_a_removed_subfolder_goes_with_its_files(generations, tmp_path):
    root = tmp_path / "out"
    shutil.copytree(generations[0], root)
    _publish(root, GEN_B)
    assert not (root / "figures" / "gone").exists()


def _fault_trial(root: Path, template: Path, fail_at: int, kill: bool) -> tuple[bool, Faults]:
    shutil.copytree(template, root)
    ops = Faults(fail_at, kill)
    try:
        _publish(root, GEN_B, ops)
    except OSError:
        return True, ops
    return False, ops


@pytest.mark.parametrize("kill", [False, True], ids=["failed", "killed"])
def test_a_publish_failed_at_any_operation_leaves_one_generation(generations, tmp_path, kill):
    template, old, new = generations
    counting = Faults()
    shutil.copytree(template, tmp_path / "count")
    _publish(tmp_path / "count", GEN_B, counting)
    kinds = [op for op, _ in counting.calls]
    assert set(kinds) == {"makedirs", "write_json", "replace", "rmdir", "rmtree", "unlink"}
    commit = len(kinds) - kinds[::-1].index("write_json")  # the last journal write
    assert kinds[commit - 2] == "replace" and commit < len(kinds)  # moves, commit, clean-up
    for fail_at in range(1, len(kinds) + 1):
        root = tmp_path / str(fail_at) / "out"
        raised, ops = _fault_trial(root, template, fail_at, kill)
        assert len(ops.calls) >= fail_at, "the fault was never reached"
        if kill:
            publish.recover(root / "tables")  # what the next run does first
        outputs = _outputs(root)
        assert outputs in (old, new), f"mixed after a fault at operation {fail_at}"
        # Up to the commit, nothing is published; after it, everything.
        assert outputs == (old if fail_at <= commit else new), fail_at
        if not kill:
            # An error exactly when nothing was published, and then nothing is left
            # over; a failed clean-up after the commit is for the next run.
            assert raised == (fail_at <= commit)
            assert not raised or not _leftovers(root)
        else:
            assert not _leftovers(root), f"left after recovery from operation {fail_at}"
        _publish(root, GEN_B)  # the next run succeeds
        assert _outputs(root) == new
        assert not _leftovers(root)


def test_recovery_killed_at_any_operation_can_run_again(generations, tmp_path):
    template, old, new = generations
    counting = Faults()
    shutil.copytree(template, tmp_path / "count")
    _publish(tmp_path / "count", GEN_B, counting)
    replaces = [i for i, (op, _) in enumerate(counting.calls, 1) if op == "replace"]
    # Killed halfway through the moves (roll back) and just after the commit (forward).
    cases = ((replaces[len(replaces) // 2], "publishing", old),
             (replaces[-1] + 2, "committed", new))
    for kill_at, state, expected in cases:
        recovery = Faults()
        root = tmp_path / f"{kill_at}" / "out"
        _fault_trial(root, template, kill_at, kill=True)
        assert publish.recover(root / "tables", recovery) == state
        assert _outputs(root) == expected
        for fail_at in range(1, len(recovery.calls) + 1):
            # The journal holds absolute paths: each trial is killed where it recovers.
            trial = tmp_path / f"{kill_at}-{fail_at}" / "out"
            _fault_trial(trial, template, kill_at, kill=True)
            with pytest.raises(OSError, match="injected"):
                publish.recover(trial / "tables", Faults(fail_at, kill=True))
            assert publish.recover(trial / "tables") == state
            assert _outputs(trial) == expected
            assert not _leftovers(trial)


def test_leftovers_of_a_killed_transaction_are_cleaned_by_the_next(generations, tmp_path):
    template, old, new = generations
    root = tmp_path / "out"
    ops = Faults()
    shutil.copytree(template, tmp_path / "count")
    _publish(tmp_path / "count", GEN_B, ops)
    first_move = next(i for i, (op, _) in enumerate(ops.calls, 1) if op == "replace")
    assert _fault_trial(root, template, first_move + 1, kill=True)[0]
    left = [Path(name).name for name in _leftovers(root)]
    journal = publish.journal_path(root / "tables")
    assert journal.name in left
    assert json.loads(journal.read_text())["state"] == "publishing"
    for kind in ("staging-tables", "staging-html", "backup-tables", "backup-notebooks"):
        assert any(name.startswith(f".publish-{kind}-") for name in left), kind
    assert not (root / "tables" / "a.csv").exists()  # moved out, the new one not yet in
    journal.with_name(journal.name + ".tmp").write_text("{half a journal")
    with publish.Transaction(root / "tables"):
        assert _leftovers(root) == ["out/.publish-lock-tables"]  # only its own lock
        assert _outputs(root) == old
    assert not _leftovers(root)


def test_a_killed_staging_is_cleaned_up(generations, tmp_path):
    root = tmp_path / "out"
    # Operation 4: staging the second folder, the first one is staged.
    _fault_trial(root, generations[0], 4, kill=True)
    assert any(".publish-staging-tables-" in name for name in _leftovers(root))
    assert publish.recover(root / "tables") == "staging"
    assert not _leftovers(root)
    assert _outputs(root) == generations[1]


def test_an_exception_in_the_block_publishes_nothing(generations, tmp_path):
    root = tmp_path / "out"
    shutil.copytree(generations[0], root)
    with pytest.raises(KeyError), publish.Transaction(root / "tables") as txn:
        _write(txn.stage(root / "tables"), {"a.csv": "changed"})
        raise KeyError("a notebook failed")
    assert _outputs(root) == generations[1]
    assert not _leftovers(root)


def test_the_same_folder_staged_twice_is_one_staging_folder(tmp_path):
    with publish.Transaction(tmp_path / "out") as txn:
        first = txn.stage(tmp_path / "out")
        assert txn.stage(tmp_path / "x" / ".." / "out") == first
        with pytest.raises(ValueError, match="overlap"):
            txn.stage(tmp_path / "out" / "sub")
        with pytest.raises(ValueError, match="already staged"):
            txn.stage(tmp_path / "out", mode="update")
        other = txn.stage(tmp_path / "other", mode="update")
        assert txn.staged() == {tmp_path / "out": first, tmp_path / "other": other}
        assert first.parent == tmp_path and first.name.startswith(".publish-staging-out-")


# --------------------------------------------------------------------------- lock

CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from analysis.pipeline import publish
    anchor, marker = Path(sys.argv[1]), Path(sys.argv[2])
    with publish.Transaction(anchor):
        # What the first transaction published, seen from inside the second.
        marker.write_text((anchor / "a.txt").read_text())
""")


def _child(anchor: Path, marker: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CHILD, str(anchor), str(marker)],
                            stderr=subprocess.PIPE, text=True)


def test_a_second_run_waits_for_the_lock_and_says_so(tmp_path):
    anchor, marker = tmp_path / "out", tmp_path / "entered"
    with publish.Transaction(anchor) as txn:
        (txn.stage(anchor) / "a.txt").write_text("from the first run")
        child = _child(anchor, marker)
        # The child prints this before it blocks; EOF (an empty line) if it never waits.
        line = child.stderr.readline()
        assert line == (f"waiting for another run on {anchor.resolve()} (lock "
                        f"{publish.lock_path(anchor)}) ...\n")
        assert not marker.exists()  # still waiting: the first run has not published
    _, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert marker.read_text() == "from the first run"
    assert not publish.lock_path(anchor).exists()


def test_the_lock_is_released_on_an_exception(tmp_path):
    anchor, marker = tmp_path / "out", tmp_path / "entered"
    anchor.mkdir()
    (anchor / "a.txt").write_text("old")
    with pytest.raises(RuntimeError, match="boom"), publish.Transaction(anchor):
        raise RuntimeError("boom")
    child = _child(anchor, marker)
    _, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert "waiting" not in err
    assert marker.read_text() == "old"


def test_a_nested_transaction_on_the_same_anchor_is_refused(tmp_path):
    with publish.Transaction(tmp_path / "out"), pytest.raises(RuntimeError, match="holds"):
        publish.Transaction(tmp_path / "out/../out").__enter__()
    with publish.Transaction(tmp_path / "out"):  # released afterwards
        pass


# --------------------------------------------------------------------------- overlap


@pytest.mark.parametrize(("output", "relation"), [
    ("raw", "is the raw folder"),
    ("raw/processed", "is inside the raw folder"),
    (".", "contains the raw folder"),
    ("link/processed", "is inside the raw folder"),  # link -> raw
    ("link-to-root", "contains the raw folder"),     # link-to-root -> .
])
def test_output_folders_overlapping_the_raw_folder_are_refused(tmp_path, output, relation):
    (tmp_path / "raw").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "raw")
    (tmp_path / "link-to-root").symlink_to(tmp_path)
    outputs = [tmp_path / "processed", tmp_path / "raw2", tmp_path / output]
    with pytest.raises(InputError) as excinfo:
        publish.refuse_overlap(tmp_path / "raw", outputs)
    [problem] = excinfo.value.problems
    assert problem.startswith(f"{tmp_path / output}: output folder {relation} {tmp_path / 'raw'}")
    assert ("once links are resolved" in problem) == output.startswith("link")


def test_sibling_folders_are_not_an_overlap(tmp_path):
    publish.refuse_overlap(tmp_path / "data" / "raw",
                           [tmp_path / "data" / "raw2", tmp_path / "data" / "processed"])


# --------------------------------------------------------------------------- full disk


def test_a_full_disk_while_writing_is_bad_input_naming_the_path(generations, tmp_path):
    root = tmp_path / "out"
    shutil.copytree(generations[0], root)
    with pytest.raises(InputError) as excinfo, publish.Transaction(root / "tables") as txn:
        staged = txn.stage(root / "tables")
        _write(staged, {"a.csv": "new"})
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(staged / "big.csv"))
    assert excinfo.value.problems == [
        f"no space left on device while writing {staged / 'big.csv'}; nothing was published"]
    assert isinstance(excinfo.value.__cause__, OSError)
    assert _outputs(root) == generations[1]
    assert not _leftovers(root)


def test_a_full_disk_without_a_file_name_names_the_folders(tmp_path):
    with pytest.raises(InputError, match=r"quota exceeded while writing .*out, .*other;"), \
            publish.Transaction(tmp_path / "out") as txn:
        txn.stage(tmp_path / "out")
        txn.stage(tmp_path / "other")
        raise OSError(errno.EDQUOT, os.strerror(errno.EDQUOT))


@pytest.mark.parametrize("nth", [1, 4, 5, 6])
def test_a_full_disk_in_the_journal_publishes_nothing(generations, tmp_path, nth):
    root = tmp_path / "out"
    shutil.copytree(generations[0], root)
    # Staging the first and last folders, the plan, the commit of four folders.
    ops = Faults(nth, error=errno.ENOSPC, only="write_json")
    with pytest.raises(InputError) as excinfo:
        _publish(root, GEN_B, ops)
    journal = publish.journal_path(root / "tables")
    assert excinfo.value.problems == [
        f"no space left on device while writing {journal}; nothing was published"]
    assert _outputs(root) == generations[1]
    assert not _leftovers(root)


def test_a_failed_stage_publishes_nothing_even_if_the_caller_goes_on(generations, tmp_path):
    root = tmp_path / "out"
    shutil.copytree(generations[0], root)
    ops = Faults(3, error=errno.ENOSPC)  # creating the staging folder of "tables"
    with pytest.raises(InputError, match="no space left"), \
            publish.Transaction(root / "tables", ops=ops) as txn:
        with pytest.raises(OSError):
            txn.stage(root / "tables")
        _write(txn.stage(root / "figures"), GEN_B["figures"])
    assert _outputs(root) == generations[1]
    assert not _leftovers(root)


def test_other_errors_pass_unchanged(tmp_path):
    with pytest.raises(PermissionError), publish.Transaction(tmp_path / "out") as txn:
        txn.stage(tmp_path / "out")
        raise PermissionError(errno.EACCES, "denied", "somewhere")
