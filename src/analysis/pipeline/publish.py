"""Publish a run's outputs as one unit: staged, then moved in under a write-ahead journal.

A :class:`Transaction` hands out empty staging folders, each beside its final folder
(same file system: moving a file in is a rename). Leaving the ``with`` block normally
publishes every staged folder together; an exception discards them all. A process
killed at any instant leaves the whole previous generation or the whole new one, once
the next transaction (or :func:`recover`) on the same anchor has run:

1. each staging folder is listed in the journal (state ``staging``) before it exists;
2. the plan is journalled (``publishing``): per final file its staged source and, if
   an old file is there, a backup path; then old files go to backups, new ones in;
3. the journal is rewritten as ``committed``: the instant the new generation wins;
4. backups, staging folders and the journal are deleted.

Recovery acts on the journal: ``staging`` -> delete the staging folders; ``publishing``
-> put backups back, delete added files (roll back); ``committed`` -> finish step 4.
Each step is idempotent, so recovery may be killed and rerun. Journal writes are
fsynced, moved files are not: the guarantee is against kills, not power loss.

Beside the anchor ``<parent>/<name>``: ``.publish-lock-<name>`` (deleted on release)
and ``.publish-journal-<name>.json``; beside each final folder ``<final>``:
``.publish-staging-<final>-<hex>`` and ``.publish-backup-<final>-<hex>``. Paths are
resolved, so a ``build`` and a ``run`` naming the anchor differently share them. Names
starting with ``.`` belong to tools (editors, Jupyter, atomic writes' temporary files,
this module): they are never published, replaced or removed.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import secrets
import shutil
import sys
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from analysis.errors import InputError

PREFIX = ".publish-"
MODES = ("replace", "update")
_NO_SPACE = {errno.ENOSPC: "no space left on device", errno.EDQUOT: "disk quota exceeded"}
# Anchors whose lock this process holds: a second transaction on one of them in the
# same process (e.g. a build inside a run) would wait for the first forever.
_held: set[Path] = set()
_held_guard = threading.Lock()


def lock_path(anchor: str | os.PathLike) -> Path:
    """The lock file of ``anchor``: ``<parent>/.publish-lock-<name>``."""
    anchor = Path(anchor).resolve()
    return anchor.parent / f"{PREFIX}lock-{anchor.name}"


def journal_path(anchor: str | os.PathLike) -> Path:
    """The journal of ``anchor``: ``<parent>/.publish-journal-<name>.json``."""
    anchor = Path(anchor).resolve()
    return anchor.parent / f"{PREFIX}journal-{anchor.name}.json"


class FileOps:
    """Every change publishing and recovery make to the file system (default :data:`OPS`).

    Tests override :meth:`before` to fail the N-th operation.
    """

    def before(self, op: str, path: Path) -> None:
        """Hook called before each operation with its name and path; does nothing."""

    def makedirs(self, path: Path) -> None:
        """Create folder ``path`` and its missing parents."""
        self.before("makedirs", path)
        os.makedirs(path, exist_ok=True)

    def replace(self, source: Path, target: Path) -> None:
        """Rename ``source`` to ``target``, replacing a file there (atomic)."""
        self.before("replace", target)
        os.replace(source, target)

    def unlink(self, path: Path) -> None:
        """Remove file ``path`` if it exists."""
        self.before("unlink", path)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)

    def rmdir(self, path: Path) -> None:
        """Remove folder ``path`` if it exists and is empty."""
        self.before("rmdir", path)
        try:
            os.rmdir(path)
        except OSError as error:  # missing, or not empty: nothing to do
            if error.errno not in (errno.ENOENT, errno.ENOTEMPTY, errno.EEXIST):
                raise

    def rmtree(self, path: Path) -> None:
        """Remove folder ``path`` with its contents if it exists."""
        self.before("rmtree", path)
        if os.path.lexists(path):
            shutil.rmtree(path)

    def write_json(self, path: Path, data: dict) -> None:
        """Write ``data`` to ``path`` whole or not at all, and durably."""
        self.before("write_json", path)
        temporary = path.with_name(path.name + ".tmp")
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=1)
            handle.flush()
            self.fsync(handle.fileno())
        os.replace(temporary, path)
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            self.fsync(folder)  # the rename itself survives a crash
        finally:
            os.close(folder)

    def fsync(self, fd: int) -> None:
        """Flush an open file or folder to the disk (no change; tests skip it for speed)."""
        os.fsync(fd)


OPS = FileOps()


class Transaction:
    """Stage output folders and publish them together when the ``with`` block succeeds.

    Parameters
    ----------
    anchor : path-like
        The folder that names the lock and the journal (e.g. the processed folder):
        every command writing the same outputs must use the same anchor. It need not
        exist nor be staged.
    ops : FileOps, optional
        File operations (default :data:`OPS`); tests inject faults here.

    Entering takes the lock (waiting, with a message on stderr, while another process
    holds it) and recovers what a killed transaction on the anchor left. Leaving
    normally publishes; leaving with an exception discards every staging folder and
    re-raises. A full disk (``ENOSPC``, ``EDQUOT``) while staging or publishing becomes
    :class:`~analysis.errors.InputError` naming the path.
    """

    def __init__(self, anchor: str | os.PathLike, ops: FileOps | None = None):
        self.anchor = Path(anchor).resolve()
        self.ops = ops if ops is not None else OPS
        self._journal: dict = {"anchor": str(self.anchor), "state": "staging", "folders": []}
        self._fd: int | None = None
        self._broken: BaseException | None = None
        self._mutex = threading.Lock()  # stage() may be called from several threads

    def __enter__(self) -> Transaction:
        self._fd = _acquire(self.anchor)
        try:
            _recover_locked(self.anchor, self.ops)
        except BaseException:
            self._release()
            raise
        return self

    def stage(self, final_dir: str | os.PathLike, mode: str = "replace",
              owned: Iterable[str] | None = None) -> Path:
        """Return an empty staging folder for ``final_dir``, published when the block ends.

        Parameters
        ----------
        final_dir : path-like
            The folder the staged files are published into (created if missing).
        mode : {"replace", "update"}
            ``"replace"``: afterwards the folder's files are exactly the staged ones
            (old files not staged again are removed with the same transaction).
            ``"update"``: only the staged files replace their counterparts.
        owned : iterable of str, optional
            With ``"replace"``: the top-level names the run owns; other entries of the
            folder are kept. Default: all of them.

        Returns
        -------
        Path
            The staging folder; the same one for the same ``final_dir`` again.
        """
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        if owned is not None and mode != "replace":
            raise ValueError("owned applies to mode 'replace' only")
        final = Path(final_dir).resolve()
        owned = None if owned is None else sorted(set(owned))
        with self._mutex:
            if self._fd is None:
                raise RuntimeError("stage() is for inside the with block")
            for folder in self._journal["folders"]:
                other = Path(folder["final"])
                if other == final:
                    if (folder["mode"], folder["owned"]) != (mode, owned):
                        raise ValueError(f"{final} is already staged with mode "
                                         f"{folder['mode']!r}, owned {folder['owned']}")
                    return Path(folder["staging"])
                if final.is_relative_to(other) or other.is_relative_to(final):
                    raise ValueError(f"{final} and {other} overlap: stage one of them")
            token = secrets.token_hex(4)
            folder = {"final": str(final), "mode": mode, "owned": owned,
                      "staging": str(final.parent / f"{PREFIX}staging-{final.name}-{token}"),
                      "backup": str(final.parent / f"{PREFIX}backup-{final.name}-{token}")}
            try:
                self.ops.makedirs(final.parent)
                # Listed before it exists: a kill at any point leaves no unlisted folder.
                self._journal["folders"].append(folder)
                self.ops.write_json(journal_path(self.anchor), self._journal)
                self.ops.makedirs(Path(folder["staging"]))
            except BaseException as error:
                self._broken = error
                raise
            return Path(folder["staging"])

    def staged(self) -> dict[Path, Path]:
        """Final folder -> staging folder, for everything staged so far (e.g. to write
        the final paths, not the staging ones, into executed notebooks)."""
        with self._mutex:
            return {Path(f["final"]): Path(f["staging"]) for f in self._journal["folders"]}

    def __exit__(self, exc_type, exc, tb) -> bool:
        try:
            # A failed stage() fails the transaction even if the caller went on.
            error = exc if exc is not None else self._broken
            if error is None:
                try:
                    self._publish()
                    return False
                except BaseException as failure:
                    error = failure
            # Undone on the disk's word (the journal), not memory's: a failed journal
            # write may have failed before or after its rename.
            if _recover_locked(self.anchor, self.ops) == "committed":
                _warn(f"published {self.anchor}, but {error}")
                return False
            _raise_if_no_space(error, self._where())
            if error is not exc:
                raise error
            return False
        finally:
            self._release()

    def _publish(self) -> None:
        if not self._journal["folders"]:
            return
        journal, ops = self._journal, self.ops
        moves, created = _plan(journal["folders"])
        journal.update(state="publishing", moves=moves, created=created)
        ops.write_json(journal_path(self.anchor), journal)
        for folder in journal["folders"]:
            if any(m["backup"] and m["root"] == folder["final"] for m in moves):
                ops.makedirs(Path(folder["backup"]))
        for directory in created:
            ops.makedirs(Path(directory))
        for move in moves:
            if move["backup"]:
                ops.replace(Path(move["final"]), Path(move["backup"]))
            if move["new"]:
                ops.replace(Path(move["new"]), Path(move["final"]))
        journal["state"] = "committed"
        ops.write_json(journal_path(self.anchor), journal)
        try:
            _roll_forward(journal, ops)
            _discard(journal_path(self.anchor), journal, ops)
        except Exception as error:  # published all the same; the next run cleans up
            _warn(f"published {self.anchor}, but cleaning up failed: {error}; the next run "
                  "on it cleans up")

    def _where(self) -> str:
        return ", ".join(f["final"] for f in self._journal["folders"]) or str(self.anchor)

    def _release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            _release(self.anchor, fd)


def recover(anchor: str | os.PathLike, ops: FileOps | None = None) -> str | None:
    """Finish or undo what a killed transaction on ``anchor`` left, under its lock.

    Returns the journal's state, now dealt with: ``"staging"`` (staging folders removed),
    ``"publishing"`` (rolled back), ``"committed"`` (rolled forward); None if none.
    """
    anchor = Path(anchor).resolve()
    fd = _acquire(anchor)
    try:
        return _recover_locked(anchor, ops if ops is not None else OPS)
    finally:
        _release(anchor, fd)


def refuse_overlap(raw_dir: str | os.PathLike,
                   outputs: Sequence[str | os.PathLike]) -> None:
    """Refuse output folders that are, lie inside or contain the raw folder.

    Links are resolved first. Raises :class:`~analysis.errors.InputError`, one line per
    offending folder; call it before anything is written.
    """
    raw = Path(raw_dir).resolve()
    problems = []
    for output in outputs:
        out = Path(output).resolve()
        if out == raw:
            relation = "is the raw folder"
        elif out.is_relative_to(raw):
            relation = "is inside the raw folder"
        elif raw.is_relative_to(out):
            relation = "contains the raw folder"
        else:
            continue
        linked = out != Path(os.path.abspath(output)) or raw != Path(os.path.abspath(raw_dir))
        via = f" ({out} and {raw} once links are resolved)" if linked else ""
        problems.append(f"{output}: output folder {relation} {raw_dir}{via}, which is "
                        "never written")
    if problems:
        raise InputError(problems)


def _visible_files(root: Path, prefix: str = "") -> set[str]:
    """Relative paths of the files (and links) under ``root``, hidden names skipped."""
    found: set[str] = set()
    with contextlib.suppress(FileNotFoundError, NotADirectoryError), os.scandir(root) as it:
        for entry in it:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                found |= _visible_files(Path(entry.path), f"{prefix}{entry.name}/")
            else:
                found.add(prefix + entry.name)
    return found


def _plan(folders: list[dict]) -> tuple[list[dict], list[str]]:
    """The moves of a publish and the folders it must create, top-down; InputError
    where a file is to replace a folder or lie under a file (before anything moved)."""
    moves, created, problems = [], set(), []
    for folder in folders:
        final, staging, backup = (Path(folder[k]) for k in ("final", "staging", "backup"))
        new = _visible_files(staging)
        old = _visible_files(final) if folder["mode"] == "replace" else set()
        if folder["owned"] is not None:
            old = {rel for rel in old if rel.split("/")[0] in folder["owned"]}
        for rel in sorted(new | old):
            target = final / rel
            move = {"root": str(final), "final": str(target),
                    "new": str(staging / rel) if rel in new else None, "backup": None}
            if os.path.lexists(target):
                move["backup"] = str(backup / str(len(moves)))
            moves.append(move)
            if rel not in new:
                continue
            if target.is_dir() and not target.is_symlink():
                problems.append(f"{target}: is a folder, where a file is to be published")
            for parent in target.relative_to(final.parent).parents[:-1]:
                directory = final.parent / parent
                if not directory.is_dir():
                    created.add(str(directory))
                    if os.path.lexists(directory):
                        problems.append(f"{directory}: is a file, where a folder is needed")
    if problems:
        raise InputError(sorted(set(problems)))
    return moves, sorted(created, key=lambda d: (len(Path(d).parts), d))


def _recover_locked(anchor: Path, ops: FileOps) -> str | None:
    path = journal_path(anchor)
    temporary = path.with_name(path.name + ".tmp")
    if os.path.lexists(temporary):  # a journal write that never got renamed: not in force
        ops.unlink(temporary)
    try:
        journal = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except ValueError as error:
        raise InputError([f"{path}: unreadable journal of an interrupted publish ({error}); "
                          "check the outputs by hand, then remove it"]) from error
    state = journal["state"]
    if state == "committed":
        _roll_forward(journal, ops)
    elif state == "publishing":
        _roll_back(journal, ops)
    _discard(path, journal, ops)
    return state


def _roll_back(journal: dict, ops: FileOps) -> None:
    for move in reversed(journal["moves"]):
        final, new, backup = move["final"], move["new"], move["backup"]
        if backup is not None:
            if os.path.lexists(backup):  # the old file was moved out: put it back
                ops.replace(Path(backup), Path(final))
        elif new is not None and not os.path.lexists(new) and os.path.lexists(final):
            # an added file, moved in
            ops.unlink(Path(final))
    for directory in reversed(journal["created"]):
        ops.rmdir(Path(directory))


def _roll_forward(journal: dict, ops: FileOps) -> None:
    emptied = set()  # folders that held only removed files go with them
    for move in journal["moves"]:
        if move["new"] is None:
            root, parent = Path(move["root"]), Path(move["final"]).parent
            while parent != root and parent.is_relative_to(root):
                emptied.add(parent)
                parent = parent.parent
    for directory in sorted(emptied, key=lambda d: (-len(d.parts), d)):
        ops.rmdir(directory)


def _discard(path: Path, journal: dict, ops: FileOps) -> None:
    for folder in journal["folders"]:
        ops.rmtree(Path(folder["backup"]))
        ops.rmtree(Path(folder["staging"]))
    ops.unlink(path)  # last: until here, a rerun finds all of the above again


def _acquire(anchor: Path) -> int:
    """Lock ``anchor``'s lock file, waiting (with one message) while another holds it.

    POSIX record locks (``lockf``), not ``flock``: they are not inherited by forked
    children, so a killed run's surviving workers do not keep the lock.
    """
    with _held_guard:
        if anchor in _held:
            raise RuntimeError(f"this process already holds the publish lock of {anchor}: "
                               "stage into the open Transaction instead of opening another")
        _held.add(anchor)
    path, announced = lock_path(anchor), False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
            try:
                try:
                    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError as error:
                    if error.errno not in (errno.EACCES, errno.EAGAIN):
                        raise
                    if not announced:
                        announced = True
                        print(f"waiting for another run on {anchor} (lock {path}) ...",
                              file=sys.stderr, flush=True)
                    fcntl.lockf(fd, fcntl.LOCK_EX)
                # The holder removes the file on release: a lock on a removed file is void.
                with contextlib.suppress(FileNotFoundError):
                    if os.path.samestat(os.fstat(fd), os.stat(path)):
                        return fd
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)
    except BaseException as error:
        with _held_guard:
            _held.discard(anchor)
        _raise_if_no_space(error, str(path))
        raise


def _release(anchor: Path, fd: int) -> None:
    try:
        with contextlib.suppress(FileNotFoundError):  # while still locked: see _acquire
            os.unlink(lock_path(anchor))
    finally:
        os.close(fd)
        with _held_guard:
            _held.discard(anchor)


def _raise_if_no_space(error: BaseException, where: str) -> None:
    """Turn a full disk into bad input (exit status 2) naming the path; else return."""
    if isinstance(error, OSError) and error.errno in _NO_SPACE:
        path = error.filename if error.filename is not None else where
        raise InputError(f"{_NO_SPACE[error.errno]} while writing {path}; "
                         "nothing was published") from error


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr, flush=True)
