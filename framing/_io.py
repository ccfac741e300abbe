"""Atomic file writing: an output is either the complete new file or the old one, never half-written."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _publish(tmp: Path, final: Path) -> None:
    """Give the temporary the mode a new file would have (mkstemp makes it private), then move it."""
    os.chmod(tmp, 0o666 & ~_umask())
    os.replace(tmp, final)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; move it over ``path`` only if the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        _publish(tmp_path, path)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_text(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` as UTF-8 (no newline translation) atomically."""
    with atomic_path(path) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="")


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


@contextlib.contextmanager
def staged(finals: list[Path]) -> Iterator[dict[Path, Path]]:
    """Yield a temporary path for each final path; move them all into place only if the block
    succeeds (the temporaries are removed otherwise), so several files change as one step."""
    tmps: dict[Path, Path] = {}
    try:
        for final in map(Path, finals):
            final.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp", dir=final.parent)
            os.close(fd)
            tmps[final] = Path(tmp)
        yield tmps
        for final, tmp in tmps.items():
            _publish(tmp, final)
    finally:
        for tmp in tmps.values():
            if tmp.exists():
                tmp.unlink()


def write_all(writers: dict[Path, Callable[[Path], None]]) -> None:
    """Write several files as one step: all temporaries are written first, then all moved into place.

    ``writers`` maps each final path to a function that writes the file at the path it is given.
    If any writer fails, no final path is touched and the temporaries are removed.
    """
    with staged(list(writers)) as tmps:
        for final, write in writers.items():
            write(tmps[Path(final)])


def check_output_folder(path: str | os.PathLike, option: str = "--out") -> Path:
    """Make sure ``path`` is (or can become) a folder this process can write in, before any work;
    raise :class:`~framing.errors.OptionError` naming the option and the path otherwise. Nothing is
    left behind: a folder created for the check is removed again."""
    from .errors import OptionError

    path = Path(path)
    if path.exists() and not path.is_dir():
        raise OptionError(f"{option} {path}: is a file, not a folder; name a folder for the outputs")
    existing = path
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise OptionError(f"{option} {path}: {existing} is a file, not a folder")
    try:
        with tempfile.TemporaryDirectory(prefix=".framing-check-", dir=existing):
            pass
    except OSError as err:
        raise OptionError(f"{option} {path}: cannot write in {existing} ({err.strerror}); "
                          "choose a folder you can write to") from err
    return path


@contextlib.contextmanager
def replaced_folder(out: str | os.PathLike, command: str | None = None) -> Iterator[Path]:
    """Yield a fresh folder beside ``out`` to write into; when the block succeeds it replaces ``out``
    whole, when it fails it is removed (``out`` is left as it was: nothing half-written). With
    ``command``, the new folder carries its marker (:func:`framing.outputs.mark`). The caller has
    checked ``out`` (:func:`framing.outputs.check_output`) and holds its lock."""
    import shutil

    from .outputs import mark

    out = Path(out)
    tmp = out.with_name(out.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)  # a killed run's leftover (the caller holds the lock)
    tmp.mkdir(parents=True)
    try:
        yield tmp
        if command:
            mark(tmp, command)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if out.exists():
        old = out.with_name(out.name + ".replaced")
        shutil.rmtree(old, ignore_errors=True)
        out.rename(old)  # the old folder goes only once the new one is in place
        tmp.rename(out)
        shutil.rmtree(old)
    else:
        tmp.rename(out)


def checked_metadata(folder: Path, name: str, rebuild: str) -> dict:
    """A shipped model folder's metadata ``name`` (JSON), after checking every file it lists against
    its recorded SHA-256; an error that names the file and says to run ``rebuild`` otherwise."""
    return checked_metadata_bytes(folder, name, rebuild)[0]


def checked_metadata_bytes(folder: Path, name: str, rebuild: str) -> tuple[dict, bytes]:
    """:func:`checked_metadata` and the metadata file's bytes as read (what a cache keyed by the
    model hashes, with no second read of the file)."""
    import hashlib
    import json

    from .errors import FramingError

    meta_path = Path(folder) / name
    if not meta_path.is_file():
        raise FramingError(f"{folder}: no model metadata ({name}); rebuild it with '{rebuild}'")
    raw = meta_path.read_bytes()
    metadata = json.loads(raw.decode("utf-8"))
    for file, digest in metadata["files"].items():
        if hashlib.sha256((Path(folder) / file).read_bytes()).hexdigest() != digest:
            raise FramingError(f"{Path(folder) / file}: does not match the SHA-256 recorded in {meta_path}; "
                               f"reinstall framing or rebuild the model ('{rebuild}')")
    return metadata, raw


def write_model_metadata(folder: Path, name: str, record: dict) -> None:
    """Write a model folder's metadata ``name`` (JSON): ``record`` plus the SHA-256 of every other file
    of the folder (what :func:`checked_metadata` checks on loading)."""
    import hashlib
    import json

    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(Path(folder).iterdir())
             if p.name != name}
    write_text(Path(folder) / name, json.dumps({**record, "files": files}, indent=2, sort_keys=True) + "\n")
