"""Output folders: the one writer of every set of result files (the command line's ``--out DIR`` and
``Result.to_dir``), so that a set is written the same way, with the same guarantees, wherever it comes from.

- **Whole sets.** The files are written into a hidden folder beside DIR (``.DIR.xxxxxxxx.partial``) and swapped in
  at the end (one atomic exchange of the two folders where the system has it, two renames otherwise): DIR holds
  the earlier set or the new one, never a mix, and a failure leaves the earlier set as it was.
- **One writer at a time.** A run holds a lock (``.DIR.lock`` beside DIR, released and removed at the end, also
  by the system when the process dies) from before its solves to after the swap; a second run on the same DIR
  fails at once (:class:`~fundalloc.errors.OutputError`, exit 2), before solving anything.
- **The analyst's files are never deleted.** Each set lists its files in its ``summary.json`` (``files``); a
  folder that holds anything else (a note, an approval, a folder of comments) is refused, naming what, before
  solving and again just before the swap.
- **Leftovers are cleaned up.** Hidden folders that a killed run left beside DIR are removed by the next run, and
  a DIR that a kill between two renames left missing is restored from the earlier set.
- **Checked up front.** A DIR that is a file, or whose parent cannot be written, is refused before solving.
"""
from __future__ import annotations

import ctypes
import errno
import json
import os
import re
import shutil
import stat
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from .catalog import listing, msg
from .errors import OutputError

#: the key of ``summary.json`` that lists the files of the set (paths relative to DIR, with ``/``)
FILES_KEY = "files"
#: files a desktop puts in any folder, and the lock files office programs make beside an open workbook:
#: not the analyst's work, so they go with the earlier set
_NOT_CONTENT = re.compile(r"^(\.DS_Store|Thumbs\.db|desktop\.ini|~\$.*|\.~lock\..*#)$")
#: what fundalloc wrote into a folder before sets listed their files (the fallback for an older set)
_OLD_RESULT_FILES = re.compile(r"^[^/]+\.(csv|json|html|xlsx|txt|svg)$")

_held: dict[Path, int] = {}  # DIR → the descriptor of its lock, for the locks this process holds


def check(target: str | os.PathLike) -> None:
    """Refuse, before any work, a ``target`` that cannot receive a set: a file, a folder of files fundalloc did
    not write (or that holds files added to its earlier set), or a place where nothing can be written."""
    where = _resolved(target)
    if where.exists() and not where.is_dir():
        raise OutputError(msg("errors.output.is_file", target=target))
    foreign = foreign_files(where)
    if foreign:
        more = msg("errors.output.more", n=len(foreign) - 10) if len(foreign) > 10 else ""
        shown = msg("errors.output.files", files=listing(foreign[:10]), more=more)
        if (where / "summary.json").is_file():
            raise OutputError(msg("errors.output.added_files", target=target, files=shown))
        raise OutputError(msg("errors.output.other_files", target=target, files=shown))
    ancestor = next(p for p in (where.parent, *where.parents) if p.exists())
    if not ancestor.is_dir():
        raise OutputError(msg("errors.output.parent_is_file", target=target, parent=ancestor))
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise OutputError(msg("errors.output.no_permission", target=target, folder=ancestor))


def foreign_files(where: Path) -> list[str]:
    """The files and folders (``notes/``) in ``where`` that are not part of the set written there, relative to it."""
    if not where.is_dir():
        return []
    entries = [p.relative_to(where).as_posix() + ("/" if p.is_dir() else "") for p in sorted(where.rglob("*"))
               if not _NOT_CONTENT.match(p.name)]
    listed = _listed_files(where)
    if listed is None:  # no set here, or one written before sets listed their files
        if not (where / "summary.json").is_file():
            return _tops(entries)
        listed = {e for e in entries if _OLD_RESULT_FILES.match(e)
                  or ("/" in e.rstrip("/") and (where / e.split("/")[0] / "summary.json").is_file())}
    folders = {f[:i + 1] for f in listed for i, ch in enumerate(f) if ch == "/"}
    return _tops([e for e in entries if e not in listed and e not in folders])


def _listed_files(where: Path) -> set[str] | None:
    try:
        files = json.loads((where / "summary.json").read_text(encoding="utf-8")).get(FILES_KEY)
    except (OSError, ValueError, AttributeError):
        return None
    return set(files) if isinstance(files, list) else None


def _tops(entries: list[str]) -> list[str]:
    """The entries without those inside a folder already listed (``notes/`` stands for all it holds)."""
    out: list[str] = []
    for e in entries:
        if not any(o.endswith("/") and e.startswith(o) for o in out):
            out.append(e)
    return out


@contextmanager
def reserved(target: str | os.PathLike) -> Iterator[None]:
    """Hold ``target``'s lock for the duration: the command line holds it from before its solves to after
    :func:`publish`. Leftovers of killed runs are cleaned up (and a missing DIR restored) once it is held.
    Raises :class:`OutputError` when another process holds it, or when nothing can be written there."""
    where = _resolved(target)
    if where in _held:
        yield
        return
    created = _make_parents(where.parent, target)
    lock = where.parent / f".{where.name}.lock"
    descriptor = _lock(lock, target)
    _held[where] = descriptor
    try:
        _recover(where)
        yield
    finally:
        del _held[where]
        _unlock(descriptor, lock)
        for folder in created:  # folders made for a set that was never written
            try:
                folder.rmdir()
            except OSError:
                break


def publish(target: str | os.PathLike, write: Callable[[Path], None]) -> Path:
    """Write a set into ``target`` whole: ``write(folder)`` fills a new hidden folder beside it, the list of its
    files goes into its ``summary.json``, and the folder is swapped in for ``target``. Returns ``target``."""
    where = _resolved(target)
    check(target)
    with reserved(target):
        tmp = Path(tempfile.mkdtemp(prefix=f".{where.name}.", suffix=".partial", dir=where.parent))
        try:
            write(tmp)
            _list_files(tmp)
            _make_readable(tmp)
            check(target)  # files added while the set was being made are not deleted either
            if not where.exists():
                os.replace(tmp, where)
            elif _exchange(tmp, where):
                pass  # tmp now holds the earlier set, removed below
            else:
                old = tmp.with_suffix(".old")
                os.replace(where, old)
                try:
                    os.replace(tmp, where)
                except OSError:
                    os.replace(old, where)
                    raise
                _remove(old)
        except OSError as err:
            raise OutputError(msg("errors.output.cannot_write", target=target, why=err.strerror or repr(err))) from None
        finally:
            _remove(tmp)
    return Path(target)


# ----------------------------------------------------------------------------------------------- helpers


def _resolved(target) -> Path:
    where = Path(target).resolve()
    if where.parent == where:
        raise OutputError(msg("errors.output.root", target=target))
    return where


def _make_parents(folder: Path, target) -> list[Path]:
    """Make ``folder`` and its missing parents; the folders made, deepest first."""
    missing = [p for p in (folder, *folder.parents) if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        why = err.strerror or repr(err)
        raise OutputError(msg("errors.output.cannot_make", target=target, folder=folder, why=why)) from None
    return missing


def _lock(path: Path, target) -> int:
    """Open and lock ``path`` (made if missing), or raise :class:`OutputError`. A lock file another run removed
    between our open and our lock is not ours to hold: open the new one."""
    while True:
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as err:
            raise OutputError(msg("errors.output.cannot_write_in", target=target, folder=path.parent,
                                  why=err.strerror or repr(err))) from None
        if not _try_lock(fd):
            os.close(fd)
            holder = _read_pid(path)
            raise OutputError(msg("errors.output.in_use", target=target,
                                  process=msg("errors.output.process", pid=holder) if holder else ""))
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            os.ftruncate(fd, 0)
            os.write(fd, str(os.getpid()).encode())
            return fd
        os.close(fd)


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except OSError as err:
        if err.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise


def _unlock(fd: int, path: Path) -> None:
    try:
        path.unlink()  # before the lock goes: a run waiting on this file sees that it is gone and takes a new one
    except OSError:
        pass
    os.close(fd)


def _read_pid(path: Path) -> str:
    try:
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return ""
    return text if text.isdigit() else ""


def _recover(where: Path) -> None:
    """Under the lock: restore DIR from the earlier set a kill left aside, and remove the hidden folders killed
    runs left beside DIR."""
    pattern = re.compile(rf"^\.{re.escape(where.name)}\.[A-Za-z0-9_]{{8}}\.(partial|old)$")
    left = sorted((p for p in where.parent.iterdir() if pattern.match(p.name) and p.is_dir()),
                  key=lambda p: p.stat().st_mtime)
    earlier = [p for p in left if p.name.endswith(".old")]
    if not where.exists() and earlier:
        os.replace(earlier[-1], where)
        left.remove(earlier[-1])
    for folder in left:
        _remove(folder)


def _list_files(folder: Path) -> None:
    """Add the list of the set's files to its ``summary.json``."""
    summary = folder / "summary.json"
    data = json.loads(summary.read_text(encoding="utf-8")) if summary.is_file() else {}
    files = sorted({p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} | {"summary.json"})
    summary.write_text(json.dumps({**data, FILES_KEY: files}, ensure_ascii=False, indent=2), encoding="utf-8")


def _make_readable(folder: Path) -> None:
    """mkdtemp makes a private folder; give the results the permissions any new folder gets."""
    mask = os.umask(0)
    os.umask(mask)
    folder.chmod(0o777 & ~mask)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_cwd, exchange = -100, 2
    if renameat2(at_cwd, os.fsencode(a), at_cwd, os.fsencode(b), exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _remove(path: Path) -> None:
    """Remove a folder tree, also one whose folders were made read-only."""
    def writable_then_retry(function, name, _):
        try:
            os.chmod(os.path.dirname(name), stat.S_IRWXU)
            function(name)
        except OSError:
            pass

    if path.exists():
        shutil.rmtree(path, onerror=writable_then_retry)
