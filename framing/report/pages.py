"""The report's HTML: an article page (highlighted text, features, evidence rows, gold marks) and the
paginated index. Every string that comes from data (article text, metadata values and column names,
ids, codebook labels) reaches the HTML through :func:`esc` and only as text or an attribute's value,
never as an attribute's or element's name; the scripts read what they show from the pages' own
elements (the rows table), never from text turned into code. Every page carries a
Content-Security-Policy (:data:`CSP`) that lets only the shipped script run, so a missed escape
cannot run code either."""

from __future__ import annotations

import hashlib
import math
import numbers
import re
from html import escape

import numpy as np
import pandas as pd

from ..codebook import Codebook
from ..corpus import Article

# drawing order of the families (the first family of a span colours it)
FAMILIES = ("blame", "role", "stance", "attribution", "frame", "wire", "actor", "copy")
ROW_COLUMNS = ("family", "actor", "label", "value", "text", "cue", "source", "source_type", "origin", "form",
               "voice", "attributor", "article_weight", "sentence_index")  # stance: whose voice, its weight
GROUP_MAX_VALUES = 60  # a metadata column with at most this many values gets a filter
_SAFE = re.compile(r"[^A-Za-z0-9._-]")
# Only the shipped script and style sheet run: no inline script or event handler, no style attribute,
# nothing fetched from elsewhere. A missed escape cannot run code.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
       "form-action 'none'")


def esc(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return escape(str(value), quote=True)


def page_name(article_id: str) -> str:
    """A file name for an article's page: its id made safe, with a short hash when it had to change."""
    safe = _SAFE.sub("_", article_id)[:80]
    if safe != article_id:
        safe += "-" + hashlib.sha256(article_id.encode("utf-8")).hexdigest()[:8]
    return f"{safe}.html"


def _number(value) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return f"{value:.3f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return esc(value)


def _head(title: str, depth: int) -> str:
    up = "../" * depth
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            f"<title>{esc(title)}</title>\n"
            f'<link rel="stylesheet" href="{up}assets/report.css">\n</head>\n')


def _foot(depth: int) -> str:
    return f'<script src="{"../" * depth}assets/report.js"></script>\n</body>\n</html>\n'


def _family_of(row) -> str:
    return row.family if row.family in FAMILIES else "actor"


def highlighted_text(text: str, rows: pd.DataFrame, a: int = 0, b: int | None = None) -> str:
    """``text[a:b]`` cut at every span boundary; a piece covered by rows is a ``<span class="ev">``
    that lists them (``data-rows``, the rows' positions); the pieces of one row are its highlight. A row
    with an empty span is highlighted over its sentence."""
    b = len(text) if b is None else b
    spans = []
    names = []
    for k, row in enumerate(rows.itertuples(index=False)):
        names.append(f"{row.family}: {row.label}")
        start, end = int(row.start), int(row.end)
        if end <= start:
            start, end = int(row.sentence_start), int(row.sentence_end)
        start, end = max(a, start), min(b, end)
        if start < end:
            spans.append((start, end, k, _family_of(row)))
    cuts = sorted({a, b, *(s for s, _, _, _ in spans), *(e for _, e, _, _ in spans)})
    starting: dict[int, list] = {}
    for span in spans:
        starting.setdefault(span[0], []).append(span)
    open_spans: list = []
    parts = []
    for x, y in zip(cuts, cuts[1:]):
        open_spans = [s for s in open_spans if s[1] > x] + starting.get(x, [])
        piece = esc(text[x:y])
        if not open_spans:
            parts.append(piece)
            continue
        covering = sorted(open_spans, key=lambda s: s[2])
        families = sorted({s[3] for s in covering}, key=FAMILIES.index)
        classes = " ".join(["ev", f"f-{families[0]}", *(["multi"] if len(families) > 1 else [])])
        ids = " ".join(str(s[2]) for s in covering)
        title = esc("; ".join(sorted({names[s[2]] for s in covering})))
        parts.append(f'<span class="{classes}" data-rows="{ids}" data-families="{" ".join(families)}" '
                     f'tabindex="0" role="button" title="{title}">{piece}</span>')
    return "".join(parts)


def feature_target(name: str, actor_ids: list[str]) -> tuple[str, str] | None:
    """The (family, actor) of the evidence rows a feature is computed from; None for descriptives."""
    actor = next((a for a in sorted(actor_ids, key=len, reverse=True) if name.endswith(f"_{a}")), "")
    for prefix, family in (("mentions_", "actor"), ("first_mention_", "actor"), ("stance_", "stance"),
                           ("blame_", "blame"), ("denials_", "blame"),
                           ("role_", "role"), ("frame_", "frame"), ("wire_", "wire"), ("is_wire", "wire"),
                           ("share_", "attribution"), ("n_attributions", "attribution"),
                           ("n_sources", "attribution"), ("is_copy", "copy"), ("story_", "copy")):
        if name.startswith(prefix):
            return family, actor
    return None


def _quiet(value) -> bool:
    """A feature value not worth a row of its own: missing, empty, or a number equal to 0."""
    if value is None or value is pd.NA or (isinstance(value, str) and value == ""):
        return True
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Number):
        return False
    return bool(value == 0 or value != value)


def _features_table(row: pd.Series, rows: pd.DataFrame, book: Codebook, meta: set[str]) -> str:
    counts: dict[tuple[str, str], int] = {}
    for family, actor in zip(rows.family, rows.actor):
        counts[(family, "")] = counts.get((family, ""), 0) + 1
        if actor:
            counts[(family, actor)] = counts.get((family, actor), 0) + 1
    lines = ['<table class="features"><thead><tr><th>feature</th><th>value</th><th>rows</th></tr></thead>'
             "<tbody>"]
    quiet: dict[str, int] = {}  # features at 0 or missing, counted by their first word
    for name, value in row.items():
        if name == "id" or name in meta:
            continue
        if _quiet(value):
            family = str(name).split("_", 1)[0]
            quiet[family] = quiet.get(family, 0) + 1
            continue
        target = feature_target(str(name), book.actor_ids)
        n = counts.get(target, 0) if target else 0
        link = ""
        if n:
            family, actor = target
            link = (f'<a href="#rows" class="feature-link" data-family="{esc(family)}" '
                    f'data-actor="{esc(actor)}">{n} {esc(family)} row{"s" if n != 1 else ""}</a>')
        lines.append(f"<tr><td>{esc(name)}</td><td>{_number(value)}</td><td>{link}</td></tr>")
    lines.append("</tbody></table>")
    if quiet:  # listed by family, not one row each: a large codebook has thousands (features.csv has all)
        counts = ", ".join(f"{esc(f)}_*: {n:,}" for f, n in sorted(quiet.items()))
        lines.append(f'<details class="quiet"><summary>{sum(quiet.values()):,} more features are 0 or '
                     f"missing in this article</summary><p>{counts}. Every value is in the scores' "
                     "features.csv.</p></details>")
    return "\n".join(lines)


def _rows_table(text: str, rows: pd.DataFrame) -> str:
    head = "".join(f"<th>{c}</th>" for c in ("#", *ROW_COLUMNS))
    lines = [f'<table class="rows sortable" id="rows-table"><thead><tr>{head}</tr></thead><tbody>']
    for k, row in enumerate(rows.itertuples(index=False)):
        cells = [str(k)]
        for column in ROW_COLUMNS:
            value = text[int(row.start):int(row.end)] if column == "text" else getattr(row, column, "")
            if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
                value = ""  # a column of another family's rows
            numeric = column in ("value", "sentence_index", "article_weight") and value != ""
            cells.append(_number(float(value)) if numeric else esc(value))
        lines.append(f'<tr id="row-{k}" data-row="{k}" data-family="{esc(row.family)}" '
                     f'data-actor="{esc(row.actor)}">'
                     + "".join(f'<td data-c="{c}">{v}</td>' for c, v in zip(("row", *ROW_COLUMNS), cells))
                     + "</tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)


def _gold_section(marks: list[dict] | None) -> str:
    if not marks:
        return ""
    agree = sum(1 for m in marks if m["agree"])
    lines = [f'<section id="gold"><h2>Against the human codes</h2><p>{agree} of {len(marks)} coded '
             "sentences agree (blame codes and stance labels, and the attributions found in them). "
             'Marked in the text: <span class="gold-agree">agree</span>, '
             '<span class="gold-disagree">disagree</span>.</p>',
             '<table class="gold"><thead><tr><th>sentence</th><th>variable</th><th>human</th>'
             "<th>framing</th><th></th></tr></thead><tbody>"]
    for m in marks:
        for item in m["items"]:
            state = "agree" if item["agree"] else "disagree"
            lines.append(f'<tr class="gold-{state}"><td><a href="#s-{m["sentence_index"]}">'
                         f'{esc(m["sentence"][:90])}</a></td><td>{esc(item["variable"])}</td>'
                         f"<td>{esc(item['human'])}</td><td>{esc(item['framing'])}</td><td>{state}</td></tr>")
    lines.append("</tbody></table></section>")
    return "\n".join(lines)


def article_page(article: Article, row: pd.Series, rows: pd.DataFrame, book: Codebook,
                 marks: list[dict] | None = None) -> str:
    text = article.text
    meta = set(article.meta)
    title = next((str(article.meta[k]) for k in ("title", "headline") if article.meta.get(k)), article.id)
    meta_items = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in sorted(article.meta.items())
                         if k != "file" and v not in (None, ""))
    legend = "".join(f'<label class="legend f-{f}"><input type="checkbox" data-toggle="{f}" checked> {f} '
                     f"({int((rows.family == f).sum())})</label>"
                     for f in FAMILIES if (rows.family == f).any())
    body = highlighted_text(text, rows) if not marks else gold_marked_text(text, rows, marks)
    return "".join([
        _head(f"{article.id}: {title}", 1),
        '<body class="article-page">\n',
        f'<header><a href="../index.html">&larr; all articles</a><h1>{esc(title)}</h1>'
        f'<p class="id">{esc(article.id)}</p><dl class="meta">{meta_items}</dl></header>\n',
        '<main>\n<section class="reading"><h2>Text</h2>',
        f'<div class="legend-bar">{legend}</div>' if legend else '<p class="none">No evidence rows.</p>',
        f'<div id="text" class="text">{body}</div></section>\n',
        '<aside id="detail" aria-live="polite"><h2>Codes</h2><p class="hint">Click a highlighted span to '
        "see the codes behind it; click a row count in the features to see those rows.</p>"
        '<div id="detail-body"></div></aside>\n',
        _gold_section(marks),
        f'<section id="features"><h2>Features</h2>{_features_table(row, rows, book, meta)}</section>\n',
        f'<section id="rows"><h2>Evidence rows ({len(rows)})</h2><p id="rows-filter" class="hint" hidden>'
        '<span></span> <a href="#rows" id="rows-all">show all rows</a></p>'
        f"{_rows_table(text, rows)}</section>\n",
        "</main>\n",
        _foot(1),
    ])


def gold_marked_text(text: str, rows: pd.DataFrame, marks: list[dict]) -> str:
    """The highlighted text with each gold-coded sentence wrapped in an agree/disagree mark."""
    pieces, at = [], 0
    for m in sorted(marks, key=lambda m: m["start"]):
        start, end = m["start"], m["end"]
        if start < at:
            continue
        pieces.append(highlighted_text(text, rows, at, start))
        state = "agree" if m["agree"] else "disagree"
        badge = "\u2713 human codes agree" if m["agree"] else "\u2717 human codes differ"
        pieces.append(f'<span class="gold-{state}" id="s-{m["sentence_index"]}" title="{esc(m["summary"])}">'
                      f'<a class="badge badge-{state}" href="#gold">{badge}</a>'
                      f"{highlighted_text(text, rows, start, end)}</span>")
        at = end
    pieces.append(highlighted_text(text, rows, at, len(text)))
    return "".join(pieces)


def index_pages(features: pd.DataFrame, evidence: pd.DataFrame, book: Codebook, page_size: int,
                gold_ids: set[str] = frozenset()) -> list[tuple[str, str]]:
    """``(file name, html)`` of each index page."""
    counts = evidence.groupby(["article_id", "family"]).size().unstack(fill_value=0) if len(evidence) else \
        pd.DataFrame()
    families = [f for f in FAMILIES if f in counts.columns]
    meta = [c for c in features.columns if c not in ("id", "file") and not _is_feature(c, book)]
    groups = [c for c in meta if 1 < features[c].nunique() <= min(GROUP_MAX_VALUES, len(features) - 1)]
    labels = {a.id: a.label for a in book.actors.values()}
    main = ["n_words", *(c for c in ("wire_source", "is_copy") if c in features.columns)]
    n_pages = max(1, math.ceil(len(features) / page_size))
    names = ["index.html" if p == 0 else f"index-{p + 1}.html" for p in range(n_pages)]
    # a filter's key is its position (g0, g1, ...): a column's name is data, and data never becomes
    # markup, attribute names included
    options = "".join(
        f'<label>{esc(c)} <select data-filter="g{k}" data-column="{esc(c)}"><option value="">all</option>'
        + "".join(f'<option value="{esc(v)}">{esc(v)}</option>'
                  for v in sorted(features[c].dropna().astype(str).unique()))
        + "</select></label>" for k, c in enumerate(groups))
    options += ('<label>actor <select data-filter="actors"><option value="">all</option>'
                + "".join(f'<option value="{esc(a)}">{esc(labels[a])}</option>' for a in book.actor_ids)
                + "</select></label>")
    # the codebook's actor attributes (a0, a1, ...): the articles that mention an actor of that value
    attributes = list(book.attributes)
    options += "".join(
        f'<label>actors: {esc(attribute)} <select data-filter="a{k}" data-column="{esc(attribute)}">'
        '<option value="">all</option>'
        + "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in book.attributes[attribute])
        + "</select></label>" for k, attribute in enumerate(attributes))
    pages = []
    for p, name in enumerate(names):
        chunk = features.iloc[p * page_size:(p + 1) * page_size]
        head = "".join(f"<th>{esc(c)}</th>" for c in ("id", *meta, *main, "main actor", *families))
        lines = [f'<table class="index sortable" id="index-table"><thead><tr>{head}</tr></thead><tbody>']
        for _, row in chunk.iterrows():
            article_id = str(row["id"])
            mentions = {a: float(row.get(f"mentions_{a}", 0) or 0) for a in book.actor_ids}
            present = [a for a in book.actor_ids if mentions[a] > 0]
            top = max(present, key=lambda a: (mentions[a], -book.actor_ids.index(a))) if present else ""
            attrs = "".join(f' data-g{k}="{esc(row[c])}"' for k, c in enumerate(groups))
            for k, attribute in enumerate(attributes):
                values = sorted({v for a in present if (v := book.actors[a].attribute(attribute))})
                attrs += f' data-a{k}="{esc("|" + "|".join(values) + "|")}"'

            cells = [f'<a href="articles/{page_name(article_id)}">{esc(article_id)}</a>'
                     + (' <span class="gold-tag">gold</span>' if article_id in gold_ids else "")]
            cells += [esc(row[c]) for c in meta] + [_number(row[c]) for c in main]
            cells.append(esc(labels.get(top, "")))
            cells += [str(int(counts.loc[article_id, f])) if article_id in counts.index else "0"
                      for f in families]
            lines.append(f'<tr{attrs} data-actors="{" ".join(present)}">'
                         + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        lines.append("</tbody></table>")
        current = ' aria-current="page"'
        nav = " ".join(f'<a href="{n}"{current if n == name else ""}>{i + 1}</a>'
                       for i, n in enumerate(names)) if n_pages > 1 else ""
        pages.append((name, "".join([
            _head(f"framing report: page {p + 1} of {n_pages}", 0),
            '<body class="index-page">\n<header><h1>Scored articles</h1>',
            f"<p>{len(features)} articles, {len(evidence)} evidence rows; page {p + 1} of {n_pages} "
            f"({len(chunk)} articles). Click a column to sort; filters apply to this page and carry "
            "over to the other pages.</p>",
            f'<div class="filters">{options}</div></header>\n<main>\n',
            f'<nav class="pages">{nav}</nav>' if nav else "",
            "\n".join(lines),
            '<p id="shown" class="hint"></p></main>\n',
            _foot(0),
        ])))
    return pages


def _is_feature(column: str, book: Codebook) -> bool:
    from ..pipeline import DESCRIPTIVES

    return column in DESCRIPTIVES or feature_target(column, book.actor_ids) is not None or column in (
        "story_cluster", "story_size", "is_copy") or column.startswith(("n_", "share_"))
