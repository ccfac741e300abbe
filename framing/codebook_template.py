"""``framing codebook new``: a valid starting codebook for a new case, every section explained.

The actors, references, the actor-specific parts of ``sourcing`` and the stance domain terms are a
case's own: the new file has two placeholder actors and empty case lists. Without ``--from`` it starts
from the base layer alone: the general English of ``base-en`` is inherited (``extends``), the sourcing
section is the generic one of ``framing/codebooks/templates/sourcing-en.yaml`` (cue words, generic
titles and source types, no outlet or origin of any case), and the blame and stance sections hold only
empty, commented case lists. ``--from CASE`` copies another codebook's word lists instead (its outlets,
origins, harms), with a comment that says which of them to review for the case.
"""

from __future__ import annotations

import re
import textwrap

import yaml

from ._yaml import load as load_yaml
from .codebook import ACTOR_KINDS, Codebook, base_layers, load_codebook

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")

HEADER = """\
# Codebook of the case {name!r}, started by `framing codebook new` from the codebook
# {source} {version}. Edit it, check it with `framing codebook check {file}`, then score with
# `framing score CORPUS --codebook {file}`. The rules each section implements are in docs/codebook.md.
#
# CASE      a section (or key) that belongs to this case: rewrite it.
# GENERAL   English vocabulary that holds across cases: review it, add to it.
"""

EXTENDS = """
# GENERAL. extends: the base layer this codebook adds to (framing/codebooks/base/<name>.yaml): news
# agencies and their credit lines (wire). Sections of this file are merged onto it: a list here adds to
# the base's list, a key here replaces the base's (docs/codebook.md, "Layers").
"""

ACTORS = """
# CASE. actors: one entry per actor of the case, keyed by a lower-case id (used in feature names:
# stance_<id>, blame_score_<id>). Each actor needs at least one of:
#   names         proper names and aliases, matched case-sensitively as whole tokens ("US" is not "us");
#                 a lower-case alias also matches with a capital first letter at a sentence start only.
#   demonyms      adjectives and nouns of nationality or membership ("Russian", "Russians").
#   persons       {name: Full Name} (or the bare name): also "Full J. Name", "Full Name III"; its surname
#                 counts after a full name earlier in the article or right after a title ("Mr. Name");
#                 short: [Other, Forms] replaces the surname, short: [] turns it off. Persons may
#                 share a surname: the nearest full name before it decides.
#   descriptions  phrases that always refer to this actor ("Kremlin spokesman").
#   short         the actor's short forms ("the agency"): counted after one of its names. An acronym in
#                 parentheses after a name ("... Agency (EPA)") counts for the rest of the article.
# label (for figures), color ('#rrggbb') and description are optional. An alias belongs to one actor
# (short forms excepted).
# kind (optional; the roles model learns a prior per kind), one of:
KINDS
""".replace("KINDS", textwrap.fill(", ".join(ACTOR_KINDS) + ".", 100, initial_indent="#   ",
                                   subsequent_indent="#   "))

REFERENCES = """
# CASE. references: anaphoric descriptions ("the insurgents") resolved to the most recently mentioned
# candidate actor within `window` sentences. Example:
#   - {phrases: [the insurgents, the militants], candidates: [actor_one], window: 3}
"""

LEXICONS = """
# GENERAL. lexicons: the base layer's person pronouns and titles, locative prepositions and place
# nouns (a mention that is the object of a locative preposition, or the modifier of a place noun, "the
# Tajik border", is a place, not an actor: recorded, not counted); a list here adds to the base's.
"""

SOURCING = """
# sourcing (framing.extract.attribution).
#   GENERAL  reporting_verbs, speech_act_verbs, report_nouns (cues of attribution, as lemmas);
#            titles (words that give a speaker's type, in order of precedence); anonymous, anaphors.
#   REVIEW   sources: outlets and agencies with their type and origin; origins: the allowed origins
#            (add your case's); source_types.
#   CASE     actor_types and actor_origins: the type and origin of a speaker who is one of the actors
#            above ({actor_id: type}); empty here: fill them in for your actors.
"""

BLAME = """
# blame (framing.extract.blame). The general English vocabulary (accusation, responsibility, denial,
# duty and solution words, connectives, hedges, light verbs) and the general dependency patterns come
# from the base layer (extends: base-en); a list here adds to the base's list.
#   REVIEW   decision_nouns, causal_verbs, harm_nouns, violent_verbs, violent_objects, violent_nouns,
#            patterns: the harms, actions and kinds of blame of the source case ({source}); replace
#            them with those of yours.
"""

STANCE = """
# stance (framing.stance). window and domain_window: words on each side of a target; neutral_band: a
# value closer to 0 than this is neutral.
#   CASE     lexicon: the case's own evaluative terms with a weight in [-1, 1] ("pretext": -0.5;
#            "..." is a gap of up to six words). Empty here: add your case's terms.
"""


PLACEHOLDER_ACTORS = {
    "actor_one": {"label": "Actor one", "kind": "government", "color": "#1f77b4",
                  "description": "Replace with the first actor of the case.", "names": ["Actor One"]},
    "actor_two": {"label": "Actor two", "kind": "public", "color": "#d62728",
                  "description": "Replace with the second actor of the case.",
                  "names": ["Actor Two"], "demonyms": ["Actor-Twoish"]},
}


def _dump(key: str, value) -> str:
    block = None if isinstance(value, (dict, list)) and value else False  # leaves as [a, b]
    return yaml.safe_dump({key: value}, sort_keys=False, allow_unicode=True, width=100,
                          default_flow_style=block)


BASE_BLAME = """
# blame (framing.extract.blame). The general English vocabulary and dependency patterns come from the
# base layer (extends: base-en); a list here adds to the base's list.
#   CASE     decision_nouns, causal_verbs, harm_nouns, violent_verbs, violent_nouns: the harms and
#            actions of your case ("withdrawal", "emissions", "shell"); empty here. patterns: a new kind
#            of blame as a spaCy DependencyMatcher pattern (docs/codebook.md, "Blame").
"""

CASE_BLAME_LISTS = ("decision_nouns", "causal_verbs", "harm_nouns", "violent_verbs", "violent_nouns")


def new_codebook(name: str, source: str | Codebook | None = None, file: str | None = None) -> str:
    """The YAML text of a new codebook named ``name``: from the base layer alone (``source`` None), or
    copying the word lists of ``source`` (a path, a bundled codebook's name, or a codebook)."""
    if not _NAME.match(name):
        raise ValueError(f"codebook name {name!r}: use letters, digits, '-', '_' and '.' (e.g. sahel-2023)")
    file = file or f"{name}.yaml"
    if source is None:  # the base layer alone: a generic sourcing section, empty case lists
        from importlib import resources

        template = resources.files("framing") / "codebooks" / "templates" / "sourcing-en.yaml"
        return _text(name, file, ("base layer", "base-en"), "en", "base-en", {},
                     load_yaml(template.read_bytes())["sourcing"],
                     BASE_BLAME + _dump("blame", {key: [] for key in CASE_BLAME_LISTS}),
                     {"window": 8, "domain_window": 20, "neutral_band": 0.1, "lexicon": {}})
    book = load_codebook(source)
    from pathlib import Path

    source_file = Path(book.path) if book.path else None  # the file's own order of keys, if any
    raw = load_yaml(source_file.read_bytes()) \
        if source_file is not None and source_file.is_file() else {}
    sourcing = None
    if "sourcing" in book.sections:
        sourcing = dict(raw.get("sourcing", book.sections["sourcing"]))
        sourcing["actor_types"], sourcing["actor_origins"] = {}, {}
    blame = BLAME.format(source=book.name) + _dump("blame", raw.get("blame", book.sections["blame"])) \
        if "blame" in book.sections else ""
    stance = dict(raw.get("stance", book.sections.get("stance", {})))
    stance["lexicon"] = {}
    base = raw.get("extends") if raw.get("extends") in base_layers() else "base-en"
    return _text(name, file, (book.name, book.version), book.language, base, raw.get("lexicons", {}),
                 sourcing, blame, stance)


def _text(name: str, file: str, origin: tuple[str, str], language: str, base: str, lexicons: dict,
          sourcing: dict | None, blame: str, stance: dict) -> str:
    """The new codebook's text, section by section with its comment: ``origin`` (what it was started
    from, and its version) goes into the header; ``blame`` is its commented block, or empty."""
    parts = [HEADER.format(name=name, source=origin[0], version=origin[1], file=file),
             _dump("name", name) + _dump("version", "0.1.0")
             + _dump("description", f"The case {name}: describe it in a sentence.")
             + _dump("language", language),
             EXTENDS + _dump("extends", base),
             ACTORS + _dump("actors", PLACEHOLDER_ACTORS),
             REFERENCES + _dump("references", []),
             LEXICONS + _dump("lexicons", lexicons)]
    if sourcing is not None:
        parts.append(SOURCING + _dump("sourcing", sourcing))
    parts += [blame, STANCE + _dump("stance", stance)]
    return "".join(parts)
