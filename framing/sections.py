"""The codebook's sections that the extractors read, validated without loading them (issue 30: a
``framing codebook check`` in a second or two): every validator here needs only the codebook module and
the standard library; the extractor modules (spaCy, models) import their constants from here. A blame
pattern is compiled with spaCy's DependencyMatcher to check it, except the base layer's own patterns
(checked by the tests), so that a codebook that adds none imports no spaCy.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from .codebook import Codebook, Problems, section_validator
from .errors import CodebookError

# -- sourcing (framing.extract.attribution) ---------------------------------------------------------

@section_validator("sourcing")
def _validate_sourcing(codebook: Codebook, value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise CodebookError(f"{where}: expected a mapping")
    required = {"reporting_verbs", "speech_act_verbs", "report_nouns", "sources", "titles", "anonymous",
                "anaphors", "actor_types", "actor_origins", "source_types", "origins"}
    missing = required - set(value)
    if missing:
        raise CodebookError(f"{where}: missing key(s) {sorted(missing)}")
    unknown = set(value) - required
    if unknown:
        raise CodebookError(f"{where}: unknown key(s) {sorted(unknown)}")
    problems = Problems()
    types, origins = set(value["source_types"]), set(value["origins"])
    for name, spec in value["sources"].items():
        if not isinstance(spec, dict) or spec.get("type") not in types or spec.get("origin") not in origins:
            problems.messages.append(f"{where}.sources.{name}: needs type in {sorted(types)} and origin "
                                     f"in {sorted(origins)}")
    for kind in value["titles"]:
        if kind not in types:
            problems.messages.append(f"{where}.titles.{kind}: not one of source_types {sorted(types)}")
    for phrase, kinds in value["anaphors"].items():
        listed = [kinds] if isinstance(kinds, str) else kinds
        if not isinstance(listed, list) or any(k != "any" and k not in types for k in listed):
            problems.messages.append(f"{where}.anaphors.{phrase}: expected a source type, a list of them, "
                                     f"or 'any'; got {kinds!r}")
    for key, allowed in (("actor_types", types), ("actor_origins", origins)):
        for actor, target in value[key].items():
            if actor not in codebook.actors:
                problems.messages.append(f"{where}.{key}.{actor}: not an actor id of this codebook "
                                         f"(actors: {', '.join(codebook.actors)})")
            elif target not in allowed:
                problems.messages.append(f"{where}.{key}.{actor}: {target!r} is not one of "
                                         f"{sorted(allowed)}")
    problems.raise_any()
    return value


# -- wire (framing.extract.wire) --------------------------------------------------------------------

WIRE_KINDS = ("dateline", "credit", "byline", "relay", "citation")


def compile_pattern(pattern: str, where: str) -> re.Pattern:
    try:
        return re.compile(pattern, re.MULTILINE)
    except re.error as err:
        raise CodebookError(f"{where}: not a valid regular expression ({err}): {pattern!r}") from err


@section_validator("wire")
def _validate_wire(codebook: Codebook, value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise CodebookError(f"{where}: expected a mapping with agencies and patterns")
    problems = Problems()
    unknown = set(value) - {"agencies", "patterns", "lead_characters", "relay_min_sentences"}
    if unknown:
        problems.messages.append(f"{where}: unknown key {sorted(unknown)[0]!r}; expected agencies, patterns, "
                                 "lead_characters, relay_min_sentences")
    for key, default in (("lead_characters", 800), ("relay_min_sentences", 2)):
        number = value.get(key, default)
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            problems.messages.append(f"{where}.{key}: expected a whole number >= 1, got {number!r}")
    agencies = value.get("agencies")
    if not isinstance(agencies, dict) or not agencies:
        problems.messages.append(f"{where}.agencies: expected a mapping of agency id to label and names")
        agencies = {}
    for aid, spec in agencies.items():
        at = f"{where}.agencies.{aid}"
        if not isinstance(spec, dict) or set(spec) - {"label", "names", "signatures"} \
                or not spec.get("names"):
            problems.messages.append(f"{at}: expected {{label: ..., names: [...], signatures: [...]}}")
            continue
        for key in ("names", "signatures"):
            items = spec.get(key) or []
            if not isinstance(items, list) or not all(isinstance(n, str) and n.strip() for n in items):
                problems.messages.append(f"{at}.{key}: expected a list of non-empty strings")
                continue
            if key == "signatures":
                for i, pattern in enumerate(items):
                    with problems.each():
                        compile_pattern(pattern, f"{at}.signatures[{i}]")
    patterns = value.get("patterns")
    if not isinstance(patterns, dict) or set(patterns) - set(WIRE_KINDS):
        problems.messages.append(f"{where}.patterns: expected a mapping of kind ({', '.join(WIRE_KINDS)}) to "
                                 "a list of patterns")
        patterns = {}
    for kind, items in patterns.items():
        if not isinstance(items, list):
            problems.messages.append(f"{where}.patterns.{kind}: expected a list of patterns")
            continue
        for i, pattern in enumerate(items):
            at = f"{where}.patterns.{kind}[{i}]"
            if not isinstance(pattern, str) or "{agency}" not in pattern:
                problems.messages.append(f"{at}: expected a regular expression with {{agency}} in it")
                continue
            with problems.each():
                compile_pattern(pattern.replace("{agency}", "(?:AP)"), at)
    problems.raise_any()
    return value


# -- frames (framing.extract.frames) -----------------------------------------------------------------

FRAME_KEYS = {"label", "definition", "questions", "examples"}


@section_validator("frames")
def _validate_frames(codebook: Codebook, value: Any, where: str) -> dict:
    if not isinstance(value, dict) or not value:
        raise CodebookError(f"{where}: expected a mapping of frame name to label, definition and questions")
    problems = Problems()
    for name, spec in value.items():
        at = f"{where}.{name}"
        if not isinstance(spec, dict) or set(spec) - FRAME_KEYS:
            problems.messages.append(f"{at}: expected {{label, definition, questions, examples}}")
            continue
        if not isinstance(spec.get("definition"), str) or not spec["definition"].strip():
            problems.messages.append(f"{at}.definition: expected the frame's definition (a sentence or two)")
        for key in ("questions", "examples"):
            items = spec.get(key) or []
            if not isinstance(items, list) or not all(isinstance(i, str) and i.strip() for i in items):
                problems.messages.append(f"{at}.{key}: expected a list of non-empty strings")
        if not spec.get("questions"):
            problems.messages.append(f"{at}.questions: at least one questionnaire item is needed")
    problems.raise_any()
    return value


# -- roles (framing.extract.roles) ------------------------------------------------------------------

ROLE_LISTS = ("villain_verbs", "hero_verbs", "victim_verbs", "harm_verbs")


@section_validator("roles")
def _validate_roles(codebook: Codebook, value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise CodebookError(f"{where}: expected a mapping of word lists {list(ROLE_LISTS)}")
    problems = Problems()
    for key in sorted(set(value) - set(ROLE_LISTS)):
        problems.messages.append(f"{where}: unknown key {key!r}; expected one of {list(ROLE_LISTS)}")
    for key in ROLE_LISTS:
        words = value.get(key, [])
        if not isinstance(words, list) or not all(
            isinstance(w, str) and w.strip() and " " not in w.strip() for w in words
        ):
            problems.messages.append(f"{where}.{key}: expected a list of one-word lemmas")
    problems.raise_any()
    return {k: frozenset(w.lower() for w in value.get(k, [])) for k in ROLE_LISTS}


# -- stance (framing.extract.stance) ----------------------------------------------------------------

@section_validator("stance")
def _validate_stance(codebook: Codebook, value: Any, where: str) -> dict:
    if not isinstance(value, dict) or set(value) - {"window", "domain_window", "neutral_band", "lexicon"}:
        raise CodebookError(f"{where}: expected window, domain_window, neutral_band and lexicon")
    for key in ("window", "domain_window"):
        size = value.get(key, 8)
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            raise CodebookError(f"{where}.{key}: expected a whole number of words >= 1")
    band = value.get("neutral_band", 0.1)
    if not isinstance(band, (int, float)) or not 0 <= band < 1:
        raise CodebookError(f"{where}.neutral_band: expected a number in [0, 1)")
    lexicon = value.get("lexicon", {})
    if not isinstance(lexicon, dict):
        raise CodebookError(f"{where}.lexicon: expected a mapping of term to weight in [-1, 1]")
    for term, weight in lexicon.items():
        if not isinstance(weight, (int, float)) or isinstance(weight, bool) or not -1 <= weight <= 1:
            raise CodebookError(f"{where}.lexicon.{term}: expected a weight in [-1, 1], got {weight!r}")
    return value


# -- blame (framing.extract.blame) ------------------------------------------------------------------

BLAME_KINDS = ("accusation", "responsibility", "causal", "harmful_action", "denial")
BLAME_LISTS = ("accusation_verbs", "responsibility_nouns", "claim_verbs", "denial_verbs", "blame_nouns",
          "responsible_words", "decision_nouns", "causal_verbs", "causal_connectives", "harm_nouns",
          "violent_verbs", "light_verbs", "violent_objects", "violent_nouns", "hedges", "conditionals",
          "purpose_nouns", "solution_verbs", "duty_words", "institution_nouns")
BLAME_OPTIONAL = ("solution_verbs", "duty_words", "institution_nouns")  # older codebooks may lack them
_KIND_ID = re.compile(r"^[a-z][a-z0-9_]*$")
PHRASE_LISTS = ("causal_connectives",)  # matched as token sequences; every other list word by word
_SPLIT_WORD = re.compile(r"\w[-/]\w")  # "cover-up": the tokenizer makes it three tokens


@section_validator("blame")
def _validate_blame(codebook: Codebook, value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise CodebookError(f"{where}: expected a mapping")
    problems = Problems()
    expected = set(BLAME_LISTS) | {"weights", "patterns"}
    for key in sorted(expected - set(value) - set(BLAME_OPTIONAL) - {"patterns"}):
        problems.messages.append(f"{where}: missing key {key!r} (add it, or say 'extends: base-en' at the "
                                 "top of the codebook to take the base layer's)")
    for key in sorted(set(value) - expected):
        problems.messages.append(f"{where}: unknown key {key!r}; expected one of {sorted(expected)}")
    weights = value.get("weights", {})
    if isinstance(weights, dict):
        for kind, weight in weights.items():
            if not isinstance(weight, (int, float)) or isinstance(weight, bool) or weight < 0:
                problems.messages.append(f"{where}.weights.{kind}: expected a number >= 0, got {weight!r}")
    broken = False
    for key in BLAME_LISTS:
        words = value.get(key)
        if key in value and not isinstance(words, list):
            problems.messages.append(f"{where}.{key}: expected a list of words")
            broken = True
            continue
        for i, word in enumerate(words or []):
            if not isinstance(word, str) or not word.strip():
                problems.messages.append(f"{where}.{key}[{i}]: expected a word, got {word!r}")
                broken = True
            elif key not in PHRASE_LISTS and (len(word.split()) != 1 or _SPLIT_WORD.search(word)):
                problems.messages.append(
                    f"{where}.{key}[{i}]: {word!r} is not one word (the tokenizer splits it); this list is "
                    "matched one token (lemma) at a time, so it never matches: give its head word")
    patterns = []  # checked, with their $list references filled in: what BlameFinder compiles
    specs = [] if broken else value.get("patterns") or []  # a pattern's $lists are filled from the lists
    for i, spec in enumerate(specs):
        with problems.each():
            patterns.append(blame_pattern(spec, value, f"{where}.patterns[{i}]"))
    own = [k for k in dict.fromkeys(p["kind"] for p in patterns) if k not in BLAME_KINDS]
    kinds = list(BLAME_KINDS) + own
    if not broken and (not isinstance(weights, dict) or set(weights) != set(kinds)):  # broken: kinds unknown
        problems.messages.append(f"{where}.weights: needs a number for each of {kinds} (the built-in kinds "
                                 "and every kind a pattern names)")
    problems.raise_any()
    return {**value, "patterns": patterns}


def blame_pattern(spec: Any, lists: dict, where: str) -> dict:
    """A dependency pattern of the codebook, checked and with its ``$list`` references filled in."""
    if not isinstance(spec, dict) or set(spec) - {"kind", "cue", "blamed", "pattern", "note"} \
            or not {"kind", "cue", "blamed", "pattern"} <= set(spec):
        raise CodebookError(f"{where}: expected {{kind, cue, blamed, pattern, note}}")
    if not isinstance(spec["kind"], str) or not _KIND_ID.match(spec["kind"]) or spec["kind"] == "denial":
        raise CodebookError(f"{where}.kind: {spec['kind']!r}: expected one of {list(BLAME_KINDS[:-1])} or "
                            "a new kind's lower-case name (give it a weight in weights)")
    pattern = _fill(spec["pattern"], lists, where)
    if not isinstance(pattern, list) or not pattern:
        raise CodebookError(f"{where}.pattern: expected a list of DependencyMatcher nodes")
    ids = [node.get("RIGHT_ID") for node in pattern if isinstance(node, dict)]
    for key in ("cue", "blamed"):
        if spec[key] not in ids:
            raise CodebookError(f"{where}.{key}: {spec[key]!r} is not a RIGHT_ID of the pattern ({ids})")
    if spec in _base_patterns():  # read once per process
        return {**spec, "pattern": pattern}  # the base layer's own: checked by the tests
    from spacy.matcher import DependencyMatcher
    from spacy.vocab import Vocab

    try:
        DependencyMatcher(Vocab()).add("check", [pattern])
    except (ValueError, KeyError, TypeError) as err:
        raise CodebookError(f"{where}.pattern: not a valid spaCy DependencyMatcher pattern: {err}") from err
    return {**spec, "pattern": pattern}


def _fill(value: Any, lists: dict, where: str) -> Any:
    """``"$harm_nouns"`` inside a pattern stands for the codebook's (merged) list of that name."""
    if isinstance(value, str) and value.startswith("$"):
        name = value[1:]
        if name not in lists or not isinstance(lists[name], list):
            raise CodebookError(f"{where}: {value!r} names no word list of the blame section")
        return sorted({w.lower() for w in lists[name]})
    if isinstance(value, list):
        return [_fill(v, lists, where) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, lists, where) for k, v in value.items()}
    return value


@functools.lru_cache(maxsize=1)
def _base_patterns() -> list:
    """The blame patterns of the bundled base layers, as written (scoring compiles them in every test)."""
    from ._yaml import load as load_yaml
    from .codebook import _base_dir, base_layers

    out = []
    for name in base_layers():
        doc = load_yaml((_base_dir() / f"{name}.yaml").read_bytes())
        out += list(((doc or {}).get("blame") or {}).get("patterns") or [])
    return out
