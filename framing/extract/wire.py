"""Wire copy (docs/codebook.md section 9): is the article a news agency's copy or a relay of one?

Agencies and the patterns of their credits are data, in the ``wire`` section of the base layer
(``framing/codebooks/base/base-en.yaml``); a case adds agencies or patterns by extending it. Each
pattern is a regular expression in which ``{agency}`` stands for the agency's names. Kinds, strongest
first (``KINDS``):

- ``dateline``: a line of the lead that opens with an agency credit ("WASHINGTON (AP) —");
- ``credit``: a credit line anywhere ("AFP contributed to this report", an agency's ``signatures`` such
  as Reuters' "(Reporting by ...; Editing by ...)");
- ``byline``: a line of the lead that names the agency as author ("By Reuters");
- ``relay``: a sentence of the lead that presents the story as the agency's ("RIA Novosti reports",
  "figured out RIA Novosti");
- ``citation``: a sentence that cites the agency ("according to TASS", "TASS reported"); it counts only
  when ``relay_min_sentences`` sentences or more cite the same agency (an agency cited once is one
  source among others, coded by the attribution extractor).

Every match is an evidence row (family ``wire``; ``label`` the kind, ``source`` the agency, ``cue`` the
matched words, ``value`` 1 when the match decides the article's code and 0 when it does not: a relay
below the count, or a weaker kind). Features: ``wire_source`` (the agency of the
strongest match, ties to the earliest; empty for own reporting), ``wire_cue`` (its kind) and ``is_wire``
(1 when ``wire_source`` is set, else 0).

Near-identical stories across a corpus (``story_cluster``, ``is_copy``) are a corpus-level step:
:mod:`framing.copies`.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..codebook import Codebook, base_section
from ..corpus import Article
from ..evidence import Evidence, sentences, sentences_covering, text_of
from ..sections import WIRE_KINDS as KINDS
from . import Extractor, registry

if TYPE_CHECKING:  # spaCy is imported when a model is loaded, not to read the caches
    from spacy.tokens import Doc

_LEAD_KINDS = {"dateline", "byline", "relay"}  # matched only in the lead


@dataclass(frozen=True)
class Match:
    kind: str
    agency: str
    start: int
    end: int


class WireRules:
    """The compiled patterns of a codebook's ``wire`` section (:meth:`find` runs them on a text)."""

    def __init__(self, spec: dict):
        self.lead = int(spec.get("lead_characters", 800))
        self.relay_min = int(spec.get("relay_min_sentences", 2))
        self.labels = {aid: a.get("label") or aid for aid, a in spec["agencies"].items()}
        # (kind, agency, pattern, whether it holds the agency's name: a pattern does, a signature not)
        self.rules: list[tuple[str, str, re.Pattern, bool]] = []
        # each agency's names as its rules hold them, in any case (a rule may set (?i)): a rule that
        # holds the names matches only where this does (within the same bounds), so the rules of an
        # agency the text never names are skipped; and all agencies' names in one scan first
        self.named: dict[str, re.Pattern] = {}
        patterns = spec.get("patterns", {})
        every: list[str] = []
        for aid, agency in spec["agencies"].items():
            # longest names first, so that "The Associated Press" is matched whole
            names = "|".join(re.escape(n) for n in sorted(agency["names"], key=len, reverse=True))
            alternation = rf"(?<![\w-])(?:{names})(?![\w-])"
            self.named[aid] = re.compile(alternation, re.IGNORECASE)
            every.append(names)
            for kind in KINDS:
                for pattern in patterns.get(kind, []):
                    self.rules.append((kind, aid, re.compile(pattern.replace("{agency}", alternation),
                                                             re.MULTILINE), "{agency}" in pattern))
            for pattern in agency.get("signatures") or []:
                self.rules.append(("credit", aid, re.compile(pattern, re.MULTILINE), False))
        self.any_named = re.compile(rf"(?<![\w-])(?:{'|'.join(every)})(?![\w-])", re.IGNORECASE)

    def _named(self, text: str, end: int) -> set[str]:
        """The agencies named in ``text[:end]`` as their rules would see them there (a rule searched up
        to ``end`` sees the end of the text at ``end``)."""
        if not self.any_named.search(text, 0, end):
            return set()
        return {aid for aid, names in self.named.items() if names.search(text, 0, end)}

    def find(self, text: str) -> list[Match]:
        """Every match in ``text``, in text order (lead-only kinds within the lead); overlapping matches
        of one kind and agency are one span."""
        found = set()
        lead = min(self.lead, len(text))
        named = {limit: self._named(text, limit) for limit in {lead, len(text)}}
        for kind, aid, rule, needs_name in self.rules:
            limit = lead if kind in _LEAD_KINDS else len(text)
            if needs_name and aid not in named[limit]:
                continue  # the rule holds the agency's name, which the text never has
            for m in rule.finditer(text, 0, limit):
                if m.end() > m.start():
                    found.add(Match(kind, aid, m.start(), m.end()))
        merged: list[Match] = []
        for m in sorted(found, key=lambda m: (m.kind, m.agency, m.start, -m.end)):
            last = merged[-1] if merged else None
            if last and (last.kind, last.agency) == (m.kind, m.agency) and m.start < last.end:
                merged[-1] = Match(m.kind, m.agency, last.start, max(last.end, m.end))  # one span
            else:
                merged.append(m)
        return sorted(merged, key=lambda m: (m.start, KINDS.index(m.kind), m.agency))


_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s")


def decide(matches: list[Match], rules: WireRules, text: str) -> tuple[Match | None, set[Match]]:
    """The match that codes the article (None: own reporting) and the set of matches that count.

    Citations of one agency are counted by sentence, a sentence here being the text after the last
    full stop (or ! ?) and space before the match: a rule of the text alone, so that the decision does
    not depend on the parser and ``framing evaluate wire`` measures it without parsing."""
    citing: dict[str, set] = {}
    for m in matches:
        if m.kind == "citation":
            starts = [e.end() for e in _SENTENCE_END.finditer(text, 0, m.start)]
            citing.setdefault(m.agency, set()).add(starts[-1] if starts else 0)
    counting = {m for m in matches if m.kind != "citation" or len(citing[m.agency]) >= rules.relay_min}
    best = min(counting, key=lambda m: (KINDS.index(m.kind), m.start, m.agency), default=None)
    return best, counting


@registry.register("wire")
class Wire(Extractor):
    name = "wire"
    family = "wire"
    text_features = ("wire_source", "wire_cue")

    def __init__(self, codebook: Codebook, nlp=None, **options):
        super().__init__(codebook, nlp)
        # a codebook without a wire section (one that extends no base layer) uses the base layer's
        self.rules = WireRules(codebook.sections.get("wire") or base_section("wire"))

    def extract(self, doc: Doc, article: Article, context: dict[str, Any]) -> list[Evidence]:
        text = text_of(doc)
        matches = self.rules.find(text)
        if not matches:
            return []
        bounds = {m: sentences_covering(doc, m.start, m.end) for m in matches}
        best, counting = decide(matches, self.rules, text)
        starts = [s.start_char for s in sentences(doc)[0]]
        rows = []
        for m in matches:
            s_start, s_end = bounds[m]
            rows.append(Evidence(
                article_id=article.id, family="wire", actor="", label=m.kind,
                value=1.0 if m == best else 0.0, start=m.start, end=m.end,
                sentence_start=s_start, sentence_end=s_end, sentence=text[s_start:s_end],
                cue=text[m.start:m.end], source=self.rules.labels[m.agency],
                form="decides" if m == best else ("counts" if m in counting else "below threshold"),
                sentence_index=max(0, bisect.bisect_right(starts, s_start) - 1)))
        return rows

    def features(self, rows: list[Evidence], doc: Doc, article: Article) -> dict[str, Any]:
        best = next((r for r in rows if r.value == 1.0), None)
        return {"wire_source": best.source if best else "", "wire_cue": best.label if best else "",
                "is_wire": int(best is not None)}

    def feature_names(self) -> list[str]:
        return ["wire_source", "wire_cue", "is_wire"]
