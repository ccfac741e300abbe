"""Where the public annotated data sets are: a path given on the command line, else ``$FRAMING_DATA``.

The data sets that measure framing's validity (PolNeAR, NewsMTSC, the Narrative Frames Corpus,
PerSenT; ``docs/data.md``) are not part of the package: some have no licence that allows copying them.
Point framing at the folder that holds them, one sub-folder each (``polnear/``, ``newsmtsc/``, ...)::

    export FRAMING_DATA=/path/to/data
    framing evaluate polnear            # = framing evaluate polnear $FRAMING_DATA/polnear
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import OptionError

ENV = "FRAMING_DATA"


def data_path(given: str | os.PathLike | None, name: str, file: str | None = None) -> Path:
    """``given`` when it is set, else ``$FRAMING_DATA/<name>[/<file>]``; an error that says how to
    point framing at the data when neither is there."""
    if given:
        return Path(given)
    root = os.environ.get(ENV)
    if not root:
        raise OptionError(f"no path given for the {name} data and {ENV} is not set; pass the path, or "
                          f"set {ENV} to the folder that holds {name}/ (see docs/data.md)")
    path = Path(root) / name
    if not path.is_dir():
        raise OptionError(f"{ENV}={root}: no {name}/ folder there (see docs/data.md)")
    return path / file if file else path
