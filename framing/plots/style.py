"""What every figure shares: actor colours and labels, outlet labels, and reproducible saving."""

from __future__ import annotations

import os
import warnings
from functools import lru_cache
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from .._io import atomic_path  # noqa: E402
from ..codebook import Codebook  # noqa: E402

FORMATS = ("pdf", "png")
DPI = 150
MAX_PIXELS = 4000  # no side of a PNG is larger: a large figure is drawn at a lower resolution
MAX_ACTORS = 12  # actors per figure by default: the most coded (framing figures --max-actors, --actors)
# No generator or date stamps: the same inputs and versions give the same bytes.
_METADATA = {
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None, "ModDate": None},
    "png": {"Software": None},
}


LABEL_CHARS = 40  # the longest label drawn (outlets, groups, actors); tables keep the full names
# fonts tried after DejaVu Sans for a character it lacks (CJK, other scripts), where installed
# (Debian: fonts-noto-core, fonts-noto-cjk)
FALLBACK_FONTS = ("Noto Sans", "Noto Sans CJK JP", "Noto Sans Arabic", "Noto Sans Devanagari",
                  "Noto Sans Hebrew", "Noto Sans Thai", "Noto Sans Symbols", "Noto Sans Symbols2")
_warned_glyphs: set[str] = set()


def installed_fonts(names=None) -> list[str]:
    """The fonts of ``names`` (default :data:`FALLBACK_FONTS`) that matplotlib finds on this machine."""
    from matplotlib import font_manager

    known = {f.name for f in font_manager.fontManager.ttflist}
    return [name for name in (FALLBACK_FONTS if names is None else names) if name in known]


def theme() -> None:
    """The seaborn theme used by every figure. Text is drawn as written: a ``$`` in an outlet's name is
    a dollar sign, never the start of mathtext. (Fallback fonts are given per text when saving.)"""
    sns.set_theme(context="paper", style="white", font="DejaVu Sans", font_scale=1.1)
    plt.rcParams["text.parse_math"] = False
    plt.rcParams["svg.hashsalt"] = "framing"
    plt.rcParams["pdf.fonttype"] = 42


def drawn_actors(features: pd.DataFrame, codebook: Codebook, max_actors: int = MAX_ACTORS,
                 actors: list[str] | None = None) -> tuple[list[str], str]:
    """The actors a per-actor figure draws, and a note that names the rest: ``actors`` as given, else
    the ``max_actors`` coded in the most articles (``mentions_<actor>`` above 0; ties in codebook
    order). The tables of group means keep every actor; the tests between groups cover these."""
    from ..errors import OptionError

    if actors:
        unknown = [a for a in actors if a not in codebook.actors]
        if unknown:
            raise OptionError(f"--actors: {', '.join(unknown)} not actor ids of codebook {codebook.name!r} "
                              f"(its actors: {', '.join(codebook.actor_ids[:20])}"
                              f"{', ...' if len(codebook.actors) > 20 else ''})")
        chosen = list(dict.fromkeys(actors))
    else:
        if max_actors < 1:
            raise OptionError(f"max_actors must be at least 1, not {max_actors}")
        coded = {a: int((features[f"mentions_{a}"].astype(float) > 0).sum()) if f"mentions_{a}" in features
                 else 0 for a in codebook.actor_ids}
        ranked = sorted(codebook.actor_ids, key=lambda a: (-coded[a], codebook.actor_ids.index(a)))
        chosen = [a for a in codebook.actor_ids if a in set(ranked[:max_actors])]
    rest = [a for a in codebook.actor_ids if a not in chosen]
    if not rest:
        return chosen, ""
    names = ", ".join(codebook.actors[a].label for a in rest[:15]) + (f" and {len(rest) - 15} more"
                                                                     if len(rest) > 15 else "")
    how = "chosen" if actors else "coded in the most articles"
    return chosen, (f"Per-actor figures draw {len(chosen)} of {len(codebook.actors)} actors ({how}); not "
                    f"drawn: {names} (the framing_by tables list every actor).")


def short_label(text, limit: int = LABEL_CHARS) -> str:
    """``text`` with each line cut to ``limit`` characters, an ellipsis marking the cut."""
    return "\n".join(line if len(line) <= limit else line[:limit - 1].rstrip() + "\u2026"
                      for line in str(text).split("\n"))


def article_labels(features: pd.DataFrame) -> pd.Series:
    """One axis label per article: the outlet (short name when given) and the date on a second line."""
    def label(row) -> str:
        outlet = row.get("outlet_short") or row.get("outlet") or row["id"]
        date = row.get("date") or ""
        return short_label(f"{outlet}\n{date}" if date else str(outlet))

    return features.apply(label, axis=1)


def actor_labels(codebook: Codebook) -> dict[str, str]:
    return {a.id: short_label(a.label) for a in codebook.actors.values()}


def rotate_actor_labels(ax) -> None:
    """Actor names on the x axis, slanted and right-aligned to their column."""
    ax.tick_params(axis="x", rotation=30)
    for label in ax.get_xticklabels():
        label.set_horizontalalignment("right")


def comparison_size(n_columns: int, n_groups: int) -> tuple[float, float]:
    """A comparison figure's size: set by the number of measures and of drawn groups (at most
    ``compare.MAX_GROUPS`` + 1), never by the number of articles."""
    return 1.05 * n_columns + 4.5, 0.62 * n_groups + 3.2


def finish_comparison(fig, grouping, method: bool = True) -> None:
    """Print the grouping's rules and how the intervals were computed under the figure; lay it out."""
    from ..stats import LEVEL, N_BOOTSTRAP

    lines = [grouping.caption()]
    if method and not grouping.one_each:
        lines.append(f"Cells: mean over articles, [{LEVEL:.0%} percentile bootstrap interval, "
                     f"{N_BOOTSTRAP:,} resamples], n = articles with a value.")
    text = "\n".join(line for line in lines if line)
    with warnings.catch_warnings():  # a panel without its own colour bar: laid out all the same
        warnings.filterwarnings("ignore", message="This figure includes Axes that are not compatible")
        fig.tight_layout()
    if text:  # below everything drawn (tick labels included); bbox_inches="tight" keeps it in the image
        bottom = fig.get_tightbbox(fig.canvas.get_renderer()).y0 / fig.get_size_inches()[1]
        fig.text(0.01, min(bottom, 0.0) - 0.01, text, fontsize=7.5, style="italic", va="top")


class _TooLarge(Exception):
    def __init__(self, side: int):
        self.side = side


def _largest_side(png: Path) -> int:
    from PIL import Image

    with Image.open(png) as image:
        return max(image.size)


@lru_cache(maxsize=1)
def _dejavu_characters() -> frozenset[int]:
    from matplotlib import font_manager, ft2font

    return frozenset(ft2font.FT2Font(font_manager.findfont("DejaVu Sans")).get_charmap())


def use_fallback_fonts(fig) -> None:
    """Give the texts of ``fig`` that hold a character DejaVu Sans lacks (CJK, other scripts) the
    installed fallback fonts (:data:`FALLBACK_FONTS`). Only those texts: a fallback list on every text
    makes matplotlib look up and embed every fallback font, several times slower."""
    from matplotlib.text import Text

    fallbacks = installed_fonts()
    if not fallbacks:
        return
    known = _dejavu_characters()
    family = ["DejaVu Sans", *fallbacks]

    def lacking(text: str) -> bool:
        return any(ord(c) not in known for c in text if not c.isspace())

    for ax in fig.axes:
        for axis, which in ((ax.xaxis, "x"), (ax.yaxis, "y")):
            if any(lacking(label.get_text()) for label in axis.get_ticklabels()):
                ax.tick_params(axis=which, labelfontfamily=family)
    for text in fig.findobj(Text):
        if lacking(text.get_text()):
            text.set_fontfamily(family)


def save_figure(fig, stem: str | os.PathLike, formats=FORMATS) -> list[Path]:
    """Save ``fig`` as ``stem.pdf`` and ``stem.png`` atomically, without timestamps; texts DejaVu Sans
    cannot draw get the installed fallback fonts (:func:`use_fallback_fonts`)."""
    use_fallback_fonts(fig)
    paths = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.filterwarnings("always", message="Glyph .* missing from font")
        for fmt in formats:
            path = Path(f"{stem}.{fmt}")
            dpi = DPI
            while dpi:
                try:
                    with atomic_path(path) as tmp:
                        fig.savefig(tmp, format=fmt, dpi=dpi, metadata=_METADATA[fmt], bbox_inches="tight")
                        side = _largest_side(tmp) if fmt == "png" else 0
                        if side > MAX_PIXELS:
                            raise _TooLarge(side)  # the temporary goes; nothing is published
                    break
                except _TooLarge as large:  # a huge codebook or many groups: the same drawing, lower dpi
                    dpi = int(dpi * (MAX_PIXELS - 8) / large.side)
            paths.append(path)
    plt.close(fig)
    for warning in caught:  # missing glyphs: one warning per process, not one per label and size
        if "missing from font" not in str(warning.message):
            warnings.warn_explicit(warning.message, warning.category, warning.filename, warning.lineno)
            continue
        _warned_glyphs.add(str(warning.message).split(")", 1)[0].split("(", 1)[-1])
    if _warned_glyphs and "" not in _warned_glyphs:
        shown = ", ".join(sorted(_warned_glyphs)[:8])
        warnings.warn(f"some labels have characters that no installed font can draw ({shown}); they show "
                      "as boxes in the figures. Install a font that has them (Debian: fonts-noto-core, "
                      "fonts-noto-cjk) and draw the figures again", stacklevel=2)
        _warned_glyphs.add("")  # warned: not again in this process
    return paths
