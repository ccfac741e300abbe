"""Execute a case's analysis notebooks (``analysis/<case>/*.ipynb``) against its scored tables.

Used by ``make notebooks`` (``python -m framing.notebooks analysis/<case> scores/<case> OUT``; rendered
copies with outputs in ``analysis/rendered/<case>/``) and by the tests, so that the notebooks never
rot. The notebooks read the tables from ``$FRAMING_SCORES`` (default ``../../scores/<case>``, what
``make scores`` writes).
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from ._io import write_text


def execute(notebook: str | os.PathLike, scores: str | os.PathLike, out: str | os.PathLike | None = None,
            timeout: int = 600):
    """Run one notebook top to bottom in its own folder; write the executed copy to ``out`` if given."""
    notebook = Path(notebook)
    nb = nbformat.read(notebook, as_version=4)
    previous = os.environ.get("FRAMING_SCORES")
    os.environ["FRAMING_SCORES"] = str(Path(scores).resolve())
    try:
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(notebook.parent.resolve())}}).execute()
    finally:
        if previous is None:
            os.environ.pop("FRAMING_SCORES", None)
        else:
            os.environ["FRAMING_SCORES"] = previous
    if out is not None:
        write_text(Path(out) / notebook.name, nbformat.writes(nb))
    return nb


def main() -> int:
    import sys

    folder, scores, out = sys.argv[1], sys.argv[2], sys.argv[3]  # analysis/<case> scores/<case> out
    for notebook in sorted(Path(folder).glob("[0-9][0-9]_*.ipynb")):
        execute(notebook, scores, out)
        print(f"executed {notebook} -> {Path(out) / notebook.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
