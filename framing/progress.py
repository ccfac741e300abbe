"""Progress bars: tqdm's when progress is shown, a silent stand-in otherwise, so that a quiet run
(``--quiet``, ``progress=False``) does not import tqdm."""

from __future__ import annotations

import sys


class _Silent:
    """What the scoring loops call on a bar, doing nothing."""

    def __enter__(self) -> _Silent:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def update(self, n: int = 1) -> None:
        return None


def bar(progress: bool, **options):
    """``tqdm(**options)`` when ``progress``, else a bar that shows nothing."""
    if not progress:
        return _Silent()
    from tqdm.auto import tqdm

    return tqdm(**options)


def note(message: str) -> None:
    """``message`` on standard error, above any bar that is shown."""
    from tqdm.auto import tqdm

    tqdm.write(message, file=sys.stderr)
