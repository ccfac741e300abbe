"""Paths named by data (a metadata row's ``file``, a codebook's ``extends``) stay inside their root.

Corpora and codebooks are untrusted: a ``metadata.csv`` row that names ``../../etc/passwd``, an
absolute path, or a symlink leading out of the corpus folder must not make framing read (and the
report publish) a file outside it. :func:`inside` is the one rule every reader applies: the name is
relative, and the path it leads to, with every symlink resolved, lies inside the root (itself
resolved). Anything else raises :class:`OutsideRoot`, whose message the caller puts after the row or
key it came from.
"""

from __future__ import annotations

import os
from pathlib import Path


class OutsideRoot(ValueError):
    """A path named by data leads outside the folder it must stay in."""


def inside(root: str | os.PathLike, name: str, what: str = "folder") -> Path:
    """``root / name`` when it lies inside ``root`` once symlinks are resolved; raise
    :class:`OutsideRoot` (saying why, naming ``what`` the root is) otherwise."""
    name = str(name)
    if os.path.isabs(name) or name.startswith("~"):
        raise OutsideRoot(f"{name!r} is an absolute path; name files relative to the {what} ({root}), "
                          "inside it")
    path = Path(root) / name
    real_root = Path(os.path.realpath(root))
    real = Path(os.path.realpath(path))
    if real != real_root and real_root not in real.parents:
        how = "through a symlink " if ".." not in Path(name).parts else ""
        raise OutsideRoot(f"{name!r} leads {how}outside the {what} ({root}) to {real}; framing reads only "
                          f"files inside the {what}: copy the file into it")
    return path


__all__ = ["OutsideRoot", "inside"]
