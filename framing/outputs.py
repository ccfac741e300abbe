"""Where a command may write: never into its own inputs, never over a folder it did not make, and one
run at a time per output folder.

The rules every command that writes a folder (``score``, ``clean``, ``figures``, ``report``, the
``train-*`` commands) follows, checked before any work:

- **Inputs are never written.** ``--out`` may not be an input (the corpus, the scores, the raw texts),
  lie inside an input folder, or lie inside the installed package (unless the command trains a model
  and the user names the shipped model's folder). A command that replaces its output whole (``report``,
  ``train-*``) may not be given a folder that holds an input; one that writes named files into its
  output (``score``, ``clean``) may, as long as no file it writes is, or holds, an input.
- **Only framing's folders are replaced.** The folders ``score``, ``figures`` and ``report`` write get
  a marker file (:data:`MARKER`) naming the command (``clean`` writes named files into a corpus folder
  that holds other things, and marks nothing). A command replaces an existing, non-empty folder
  only when it holds that command's marker (or, for a model folder, the model's metadata file);
  anything else is refused unless ``--force`` / ``force=True``.
- **One writer per folder.** :func:`output_lock` takes an exclusive lock (``fcntl.flock`` on
  ``.<name>.framing-lock`` beside the folder, holding the pid, host and command) for the whole run; a
  second run on the same folder is refused with a message that names the holder. The kernel releases
  the lock when its process dies, so a killed run leaves no lock that blocks the next; the file of a
  dead run is taken over. The lock holder removes the temporaries a dead run left
  (``.*.tmp``, see :mod:`framing._io`).
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
from collections.abc import Iterable, Iterator
from pathlib import Path

from .errors import OptionError

MARKER = ".framing-output"
LOCK_SUFFIX = ".framing-lock"
_TEMPORARY = re.compile(r"^\..+\.tmp$")  # what framing._io's atomic writers name their temporaries


def _real(path: str | os.PathLike) -> Path:
    return Path(os.path.realpath(path))


def _within(child: Path, parent: Path) -> bool:
    return child == parent or parent in child.parents


def package_folder() -> Path:
    return _real(Path(__file__).parent)


def check_output(out: str | os.PathLike, command: str, inputs: Iterable = (), *,
                 writes: Iterable[str] | None = None, replaces: bool = False, force: bool = False,
                 model_files: Iterable[str] = (), option: str = "--out") -> Path:
    """Refuse an output folder that breaks the rules of the module docstring; return it as a Path.

    ``inputs``: the paths the command reads (None entries are ignored). ``writes``: the names a
    write-into command writes in ``out`` (None: any name, so no input may lie inside ``out``).
    ``replaces``: the command replaces ``out`` whole. ``model_files``: names whose presence marks a
    model folder the command may replace (``train-*``), inside the package too."""
    from ._io import check_output_folder

    given = check_output_folder(out, option)  # a folder, or one that can be made, that this process can write
    target = _real(given)
    model_files = tuple(model_files)
    package = package_folder()
    in_package = _within(target, package)
    if in_package and not (model_files and any((target / f).is_file() for f in model_files)):
        raise OptionError(f"{option} {given}: is inside the installed framing package ({package}); "
                          "choose a folder outside it")
    if replaces and _within(package, target):
        raise OptionError(f"{option} {given}: holds the framing package ({package}), which replacing "
                          "the folder would delete; choose a new or empty folder")
    for path in inputs:
        if path is None:
            continue
        source = _real(path)
        if _within(target, source) and (source.is_dir() or target == source):
            raise OptionError(f"{option} {given}: is the input {path}, or inside it; framing never writes "
                              "into its inputs: choose a separate folder for the outputs")
        if _within(source, target):
            if replaces:
                raise OptionError(f"{option} {given}: holds the input {path}, which replacing the folder "
                                  "would delete; choose a new or empty folder for the outputs")
            if writes is None or any(_within(source, target / name) for name in writes):
                raise OptionError(f"{option} {given}: holds the input {path}, which the outputs would "
                                  "overwrite; choose a separate folder for the outputs")
    if replaces and not force and given.is_dir() and any(given.iterdir()) \
            and not made_by(given, command) and not any((given / f).is_file() for f in model_files):
        what = f"a {command} folder" if not model_files else f"a model folder ({', '.join(model_files)})"
        raise OptionError(f"{option} {given}: exists and is not {what} that framing wrote (no {MARKER} "
                          f"saying '{command}'); it would be replaced whole. Choose a new or empty folder, "
                          "or pass --force to replace it")
    return given


def made_by(folder: str | os.PathLike, command: str) -> bool:
    """Whether ``folder`` holds the marker of ``command`` (see :func:`mark`)."""
    marker = Path(folder) / MARKER
    try:
        first = marker.read_text(encoding="utf-8").split("\n", 1)[0] if marker.is_file() else ""
    except (OSError, UnicodeDecodeError):  # unreadable: not shown to be framing's, so it is not replaced
        return False
    return first == f"framing {command}"


def mark(folder: str | os.PathLike, command: str) -> None:
    """Write the marker that says ``framing COMMAND`` wrote ``folder`` (no timestamp: reproducible)."""
    (Path(folder) / MARKER).write_text(
        f"framing {command}\nThis folder holds the outputs of 'framing {command}', which overwrites or "
        "replaces them when run again: keep nothing else here.\n", encoding="utf-8")


def lock_path(out: str | os.PathLike) -> Path:
    target = _real(out)
    return target.parent / f".{target.name}{LOCK_SUFFIX}"


@contextlib.contextmanager
def output_lock(out: str | os.PathLike, command: str) -> Iterator[Path]:
    """Hold the exclusive lock on ``out`` for the block (see the module docstring); raise
    :class:`~framing.errors.OptionError` naming the holder when another run has it. On entry, the
    temporaries of a dead run in ``out`` are removed."""
    import fcntl

    path = lock_path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 4096).decode("utf-8", "replace").strip() or "another process"
            os.close(fd)
            raise OptionError(
                f"{out}: another framing run is writing this folder ({holder}; lock {path}). Wait for it "
                "to finish or stop it; the lock is released when that process ends, so if it is gone "
                f"(for example on another machine sharing the disk), delete {path}") from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the previous holder removed this file as we opened it: take the new one
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} on host {socket.gethostname()}, framing {command}\n".encode())
        remove_temporaries(out)
        yield path
    finally:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        os.close(fd)


@contextlib.contextmanager
def replacing(out: str | os.PathLike, command: str, inputs: Iterable = (), *, force: bool = False,
              model_files: Iterable[str] = ()) -> Iterator[Path]:
    """Check ``out`` (a folder replaced whole), hold its lock, and yield the fresh folder that replaces
    it when the block succeeds (:func:`framing._io.replaced_folder`). A model folder (``model_files``)
    is known by its metadata file and gets no marker (its metadata lists every file in it)."""
    from ._io import replaced_folder

    model_files = tuple(model_files)
    check_output(out, command, inputs, replaces=True, force=force, model_files=model_files)
    with output_lock(out, command), replaced_folder(out, None if model_files else command) as tmp:
        yield tmp


def remove_temporaries(out: str | os.PathLike) -> list[Path]:
    """Remove the temporaries of framing's atomic writers (``.NAME.XXXX.tmp``) that a killed run left
    in ``out``; only called by the lock's holder, so none belongs to a live run."""
    folder = Path(out)
    if not folder.is_dir():
        return []
    removed = [p for p in folder.iterdir() if p.is_file() and _TEMPORARY.match(p.name)]
    for p in removed:
        p.unlink()
    return removed


__all__ = ["MARKER", "check_output", "lock_path", "made_by", "mark", "output_lock", "remove_temporaries",
           "replacing"]
