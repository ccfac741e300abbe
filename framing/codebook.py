"""The codebook: a case's actors, references and lexicons, read from a YAML file and validated.

The codebook is data, not code: ``framing/codebooks/afghanistan-2021.yaml`` is the first case's. A
researcher copies it, edits it and passes it with ``--codebook PATH``. Validation happens on load, and
an error names the file, the key (``actors.russia.names[2]``) and what is wrong.

Sections beyond ``actors``, ``references`` and ``lexicons`` belong to one extractor each (for instance
``blame``); an extractor registers a validator for its section with :func:`section_validator`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ._yaml import YamlLimitError
from ._yaml import load as load_yaml
from .errors import CodebookError
from .paths import OutsideRoot, inside

DEFAULT_CODEBOOK = "afghanistan-2021"
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_TOP_KEYS = {"name", "version", "description", "language", "actors", "references", "lexicons", "extends",
             "_extends", "attributes"}
_ACTOR_KEYS = {"label", "color", "description", "names", "demonyms", "persons", "descriptions", "short",
               "kind"}
# What kind of character an actor is (docs/codebook.md, "Actors"). A fixed vocabulary, because the
# roles model (framing.roles) learns a prior per kind: a case picks from it, it does not add to it.
ACTOR_KINDS = {
    "person": "an individual who does not stand for an institution",
    "government": "a government, administration, ministry, agency or legislature",
    "party": "a political party or faction and its politicians",
    "country": "a country, state or region as a whole",
    "organisation": "an international organisation, NGO, movement or alliance",
    "armed_group": "an armed force, militia, insurgent or terrorist group",
    "business": "companies, industries and their associations",
    "experts": "scientists, researchers, experts and their reports",
    "media": "news outlets and journalists",
    "public": "citizens, communities and groups of people",
    "nature": "the environment, animals, ecosystems and resources",
    "policy": "a law, agreement, plan, programme or policy",
    "technology": "a technology or innovation",
    "cause": "an impersonal cause of harm (emissions, a disease, a disaster)",
}
_SECTION_VALIDATORS: dict[str, Callable[[Codebook, Any, str], Any]] = {}


SUFFIXES = ("Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV")  # a name's last word that is not its surname


@dataclass(frozen=True)
class Person:
    """A person of an actor: the full name and the short forms that stand for it after a full-name
    variant or a title (docs/codebook.md, "Actors"). Without a declared ``short`` the surname is the
    short form (``derived``: the last word of the name before a suffix such as "Jr."; none for a
    one-word name or a surname that is an English stop word, "May"); ``short: []`` declares none."""

    name: str
    short: tuple[str, ...] = ()
    derived: bool = False  # the short form is the surname, not declared


def name_words(name: str) -> list[str]:
    """The words of a person's name without its trailing suffixes (:data:`SUFFIXES`)."""
    words = name.split()
    while len(words) > 1 and words[-1] in SUFFIXES:
        words.pop()
    return words


def surname(name: str) -> str | None:
    """The last word of ``name`` before any suffix; None for a one-word name."""
    words = name_words(name)
    return words[-1] if len(words) > 1 else None


def _person(name: str, short: tuple[str, ...] | None) -> Person:
    if short is not None:
        return Person(name, short)
    last = surname(name)
    if last is None or len(last) < 2 or _is_stop_word(last):
        return Person(name)
    return Person(name, (last,), derived=True)


def _is_stop_word(word: str) -> bool:
    return word.lower() in english_stop_words() and not word.isupper()


@lru_cache(maxsize=1)
def english_stop_words() -> frozenset[str]:
    """spaCy's English stop words, read from spaCy's own file without importing spaCy (a second and
    more: ``framing codebook check`` needs only this list of it)."""
    import importlib.util

    spec = importlib.util.find_spec("spacy")  # finds the package without importing it
    path = Path(spec.origin).parent / "lang" / "en" / "stop_words.py" if spec and spec.origin else None
    if path is None or not path.is_file():
        from spacy.lang.en.stop_words import STOP_WORDS

        return frozenset(STOP_WORDS)
    module = importlib.util.module_from_spec(importlib.util.spec_from_file_location("_en_stop_words", path))
    module.__loader__.exec_module(module)
    return frozenset(module.STOP_WORDS)


@dataclass(frozen=True)
class Actor:
    id: str
    label: str
    color: str | None = None
    description: str = ""
    names: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    persons: tuple[Person, ...] = ()
    descriptions: tuple[str, ...] = ()
    # short forms of the actor itself ("the Times", "the agency"): counted after one of its names
    short: tuple[str, ...] = ()
    kind: str | None = None  # one of ACTOR_KINDS, or None when the codebook does not say
    # the case's own attributes (declared under the codebook's top-level ``attributes``): (name, value)
    attributes: tuple[tuple[str, str], ...] = ()

    def attribute(self, name: str) -> str | None:
        """The actor's value of the case attribute ``name`` (None when it has none)."""
        return dict(self.attributes).get(name)


@dataclass(frozen=True)
class Reference:
    """Anaphoric descriptions resolved to the most recent candidate actor within ``window`` sentences."""

    phrases: tuple[str, ...]
    candidates: tuple[str, ...]
    window: int = 3


@dataclass
class Codebook:
    name: str
    version: str
    actors: dict[str, Actor]
    references: tuple[Reference, ...] = ()
    lexicons: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, Any] = field(default_factory=dict)
    description: str = ""
    language: str = "en"
    extends: str = ""
    path: str | None = None
    sha256: str | None = None
    # the case's actor attributes: name -> the values an actor may take (``attributes:`` at the top)
    attributes: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def actors_with(self, name: str, value: str) -> list[str]:
        """The ids of the actors whose attribute ``name`` is ``value`` (codebook order); an error names
        the attribute or value when the codebook does not declare it."""
        if name not in self.attributes:
            declared = ", ".join(self.attributes) or "none"
            raise CodebookError(f"{self.path or self.name}: no actor attribute {name!r} (declared: "
                                f"{declared}); declare it under 'attributes:' and give it to the actors")
        if value not in self.attributes[name]:
            raise CodebookError(f"{self.path or self.name}: attribute {name!r} has no value {value!r} "
                                f"(values: {', '.join(self.attributes[name])})")
        return [a.id for a in self.actors.values() if a.attribute(name) == value]

    @property
    def actor_ids(self) -> list[str]:
        return list(self.actors)

    def lexicon(self, key: str) -> Any:
        """A lexicon of ``lexicons:``; a missing one is an error naming the codebook and key."""
        if key not in self.lexicons:
            raise CodebookError(f"{self.path or self.name}: lexicons.{key}: missing; add it to the "
                                "codebook, or say 'extends: base-en' to take the base layer's")
        return self.lexicons[key]

    def section(self, name: str, needed_by: str) -> Any:
        """An extractor's section (``sourcing``, ``blame``); a missing one is an error naming both."""
        if name not in self.sections:
            raise CodebookError(f"{self.path or self.name}: no {name!r} section; the {needed_by} "
                                "extractor needs one: 'framing codebook new NAME' writes a generic one to "
                                "copy from (docs/codebook.md)")
        return self.sections[name]

    def restricted(self, actor_ids: list[str]) -> Codebook:
        """A copy that holds only ``actor_ids`` (in that order): what a figure draws when it draws a
        few actors of a large codebook. Its ``sha256`` is the full codebook's."""
        import dataclasses

        return dataclasses.replace(self, actors={a: self.actors[a] for a in actor_ids})

    def colors(self) -> dict[str, str]:
        """One colour per actor, as declared (a neutral grey where none is)."""
        return {a.id: a.color or "#888888" for a in self.actors.values()}

    def __repr__(self) -> str:
        return f"Codebook({self.name!r}, version={self.version!r}, actors={self.actor_ids})"


class Problems:
    """Collects validation problems so that one pass reports all of them (``framing codebook check``).

    ``with problems.each(): ...`` runs one independent check; a :class:`CodebookError` inside it is
    recorded and validation goes on. :meth:`raise_any` raises them all in one error at the end.
    """

    def __init__(self):
        self.messages: list[str] = []

    @contextlib.contextmanager
    def each(self) -> Iterator[None]:
        try:
            yield
        except CodebookError as err:
            self.messages.extend(err.problems)

    def raise_any(self) -> None:
        if self.messages:
            raise CodebookError.of(self.messages)


def section_validator(section: str):
    """Register ``func(codebook, value, where) -> parsed`` as the validator of a top-level section."""

    def register(func):
        _SECTION_VALIDATORS[section] = func
        return func

    return register


def default_codebook_path() -> Path:
    return Path(str(resources.files("framing") / "codebooks" / f"{DEFAULT_CODEBOOK}.yaml"))


def bundled_codebooks() -> list[str]:
    """The names of the codebooks that ship with the package (one per bundled case)."""
    return sorted(p.stem for p in Path(str(resources.files("framing") / "codebooks")).glob("*.yaml"))


def load_codebook(path: str | os.PathLike | Codebook | None = None) -> Codebook:
    """Load and validate a codebook: a path, the name of a bundled one (``climate-2019``), or ``None``
    for the bundled default (afghanistan-2021)."""
    if isinstance(path, Codebook):
        return path
    path = codebook_file(path)
    stat = path.stat()
    return _load_cached(str(path.resolve()), stat.st_mtime_ns, stat.st_size)


def codebook_file(path: str | os.PathLike | None = None) -> Path:
    """The codebook file that ``path`` names: a path, a bundled codebook's name, or ``None`` (the
    bundled default); an error that says what to give when there is no such file."""
    if isinstance(path, str) and path in bundled_codebooks() and not Path(path).exists():
        path = default_codebook_path().with_name(f"{path}.yaml")
    path = Path(path) if path is not None else default_codebook_path()
    if not path.exists():
        raise CodebookError(f"{path}: no such codebook file; give a codebook's YAML file or the name of "
                            f"a bundled one ({', '.join(bundled_codebooks())})")
    if not path.is_file():
        raise CodebookError(f"{path}: not a file; give the codebook's YAML file (for example "
                            "framing/codebooks/afghanistan-2021.yaml), or make one with "
                            "'framing codebook new'")
    return path


def describe_codebook(path: str | os.PathLike | None = None) -> dict[str, str]:
    """Name, version, path, base layer and SHA-256 of a codebook file (the SHA-256 that ``run.json``
    records: of the file and the layers it extends), read without validating it (fast: for ``framing
    info``; :func:`load_codebook` validates)."""
    path = codebook_file(path)
    doc, digest = read_layers(path)
    doc = doc if isinstance(doc, dict) else {}
    return {"name": str(doc.get("name", "?")), "version": str(doc.get("version", "?")),
            "path": str(path), "sha256": digest, "extends": str(doc.get("_extends", ""))}


@lru_cache(maxsize=16)
def _load_cached(path: str, _mtime: int, _size: int) -> Codebook:
    doc, digest = read_layers(Path(path))
    try:
        return parse_codebook(doc, where=path, sha256=digest)
    except CodebookError as err:
        if not isinstance(doc, dict) or "_extends" not in doc:
            raise
        own = load_yaml(Path(path).read_bytes())  # read above: the file the user wrote
        raise CodebookError.of([_in_own_list(m, doc, own) for m in err.problems]) from err


_LIST_ITEM = re.compile(r"(?<=: )([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)\[(\d+)\]")


def _in_own_list(message: str, merged: dict, own: Any) -> str:
    """A problem's ``key[i]`` in a merged list (the base layer's entries, then the case's) as the index
    into the list of the file the user wrote, or named as the base layer's entry."""

    def index(match: re.Match) -> str:
        keys, i = match.group(1).split("."), int(match.group(2))
        whole, mine = merged, own
        for key in keys:
            whole = whole.get(key) if isinstance(whole, dict) else None
            mine = mine.get(key) if isinstance(mine, dict) else None
        if not isinstance(whole, list) or i >= len(whole):
            return match.group(0)
        if isinstance(mine, list) and whole[i] in mine:  # the user wrote it (the base may list it too)
            return f"{match.group(1)}[{mine.index(whole[i])}]"
        return f"{match.group(1)}[{i}] (of the base layer {merged['_extends']})"

    return _LIST_ITEM.sub(index, message)


def base_layers() -> list[str]:
    """The names of the base layers that ship with the package (``extends: base-en``)."""
    return sorted(p.stem for p in _base_dir().glob("*.yaml"))


def _base_dir() -> Path:
    return Path(str(resources.files("framing") / "codebooks" / "base"))


def read_layers(path: Path, _seen: tuple[str, ...] = ()) -> tuple[dict, str]:
    """The codebook document at ``path`` merged onto the layers it ``extends``, and a SHA-256 of every
    file read (so that an edit of a base layer changes the codebook's identity too).

    ``extends`` names a bundled base layer (``base-en``) or a YAML file, relative to the codebook's
    folder. Merging (:func:`merge_layers`): mappings key by key, lists base entries first then the
    case's (duplicates dropped), scalars of the case replace the base's."""
    data = path.read_bytes()
    try:
        doc = load_yaml(data)
    except yaml.YAMLError as err:
        raise CodebookError(f"{path}: not valid YAML: {err}") from err
    except YamlLimitError as err:
        raise CodebookError(f"{path}: refused: {err}") from err
    digest = hashlib.sha256(data).hexdigest()
    if not isinstance(doc, dict) or "extends" not in doc:
        return doc, digest
    parent = doc["extends"]
    if not isinstance(parent, str) or not parent.strip():
        raise CodebookError(f"{path}: extends: expected the name of a base layer "
                            f"({', '.join(base_layers())}) "
                            "or a path to a codebook YAML file")
    if parent in base_layers():
        base_path = _base_dir() / f"{parent}.yaml"
    else:
        try:
            base_path = inside(path.parent, parent, "codebook's folder")
        except OutsideRoot as err:
            raise CodebookError(f"{path}: extends: refused: {err}") from None
    if not base_path.is_file():
        raise CodebookError(f"{path}: extends: {parent!r} is neither a bundled base layer "
                            f"({', '.join(base_layers())}) nor a file next to the codebook")
    key = str(base_path.resolve())
    if key in _seen or key == str(path.resolve()):
        raise CodebookError(f"{path}: extends: {parent!r} extends this codebook again (a cycle)")
    base, base_digest = read_layers(base_path, (*_seen, str(path.resolve())))
    if not isinstance(base, dict):
        raise CodebookError(f"{base_path}: expected a mapping (the base layer of {path})")
    return _laid_over(base, doc, parent), hashlib.sha256(f"{base_digest} {digest}".encode()).hexdigest()


def _laid_over(base: dict, doc: dict, parent: str) -> dict:
    """``doc`` merged onto ``base``; ``_extends`` records the base (name and version), ``extends`` goes."""
    own = {k: v for k, v in doc.items() if k != "extends"}
    layered = {k: v for k, v in base.items() if k not in ("name", "version", "description", "_extends")}
    merged = merge_layers(layered, own)
    merged["_extends"] = f"{base.get('name', parent)} {base.get('version', '')}".strip()
    return merged


def _resolve_in_memory(doc: dict, where: str) -> dict:
    """A codebook built in Python that ``extends`` a layer: a bundled base layer's name, or a path."""
    parent = doc["extends"]
    path = _base_dir() / f"{parent}.yaml" if parent in base_layers() else Path(str(parent))
    if not isinstance(parent, str) or not path.is_file():
        raise CodebookError(f"{where}: extends: {parent!r} is neither a bundled base layer "
                            f"({', '.join(base_layers())}) nor a codebook file")
    base, _ = read_layers(path)
    return _laid_over(base, doc, parent)


@lru_cache(maxsize=8)
def base_section(section: str, layer: str = "base-en") -> Any:
    """One section of a bundled base layer, validated (for a codebook that extends no layer)."""
    import framing.sections  # noqa: F401  (registers the section validators)

    path = _base_dir() / f"{layer}.yaml"
    doc, _ = read_layers(path)
    holder = Codebook(name=layer, version=str(doc.get("version", "")), actors={}, path=str(path))
    return _SECTION_VALIDATORS[section](holder, doc[section], f"{path}: {section}")


def merge_layers(base: Any, case: Any) -> Any:
    """``case`` laid over ``base``: mappings merged key by key, lists concatenated (base first, each
    entry once), anything else taken from ``case``."""
    if isinstance(base, dict) and isinstance(case, dict):
        out = dict(base)
        for key, value in case.items():
            out[key] = merge_layers(base[key], value) if key in base else value
        return out
    if isinstance(base, list) and isinstance(case, list):
        out = list(base)
        for item in case:
            if item not in out:
                out.append(item)
        return out
    return case


def parse_codebook(doc: Any, where: str = "<codebook>", sha256: str | None = None) -> Codebook:
    """Validate a codebook already read into Python objects. ``sha256`` is that of the file it was
    read from; without one, it is the SHA-256 of the contents as canonical JSON (so that a codebook
    built in Python still identifies its contents in run.json, resume checks and cache keys).

    Every problem is reported, not only the first: the error's ``problems`` lists them."""
    import framing.sections  # noqa: F401  (registers the built-in extractors' section validators)

    if not isinstance(doc, dict):
        raise CodebookError(f"{where}: expected a mapping with 'name', 'version' and 'actors'")
    if "extends" in doc:  # built in Python (a file's layers are merged by read_layers)
        doc = _resolve_in_memory(doc, where)
    problems = Problems()
    known = _TOP_KEYS | set(_SECTION_VALIDATORS)
    for key in doc:
        if key not in known:
            problems.messages.append(f"{where}: unknown top-level key {key!r}; expected one of "
                                     f"{sorted(known)}")
    for key in ("name", "version", "actors"):
        if key not in doc:
            problems.messages.append(f"{where}: missing required key {key!r}")
    attributes: dict[str, tuple[str, ...]] = {}
    with problems.each():
        attributes = _attributes(doc.get("attributes"), f"{where}: attributes")
    actors: dict[str, Actor] = {}
    actors_doc = doc.get("actors")
    if "actors" in doc and (not isinstance(actors_doc, dict) or not actors_doc):
        problems.messages.append(f"{where}: actors: expected a non-empty mapping of actor id to actor")
    elif isinstance(actors_doc, dict):
        for aid, spec in actors_doc.items():
            # an invalid actor stands in as its bare id, so that the sections that name it do not
            # report it again (the codebook is refused at the end anyway)
            actors[aid] = Actor(id=str(aid), label=str(aid))
            with problems.each():
                actors[aid] = _actor(aid, spec, f"{where}: actors.{aid}", attributes)
        actors = _without_clashing_surnames(actors)
        with problems.each():
            _check_unique_aliases(actors, where)
    references = []
    with problems.each():
        for i, spec in enumerate(_list(doc.get("references", []), f"{where}: references")):
            with problems.each():
                references.append(_reference(spec, f"{where}: references[{i}]", actors_doc or {}))
    lexicons = doc.get("lexicons") or {}
    if not isinstance(lexicons, dict):
        problems.messages.append(f"{where}: lexicons: expected a mapping of lexicon name to terms")
        lexicons = {}
    for key, value in lexicons.items():
        with problems.each():
            _lexicon(value, f"{where}: lexicons.{key}")
    name = version = ""
    with problems.each():
        name = _str(doc.get("name"), f"{where}: name") if "name" in doc else ""
    with problems.each():
        version = _str(doc.get("version"), f"{where}: version", numbers=True) if "version" in doc else ""
    codebook = Codebook(
        name=name,
        version=version,
        description=str(doc.get("description", "") or ""),
        language=str(doc.get("language", "en")),
        extends=str(doc.get("_extends", "") or ""),
        actors=actors,
        references=tuple(references),
        lexicons=dict(lexicons),
        path=where,
        attributes=attributes,
        sha256=sha256 or hashlib.sha256(json.dumps(doc, sort_keys=True, default=str).encode()).hexdigest(),
    )
    for section, validate in _SECTION_VALIDATORS.items():
        if section in doc:
            with problems.each():
                codebook.sections[section] = validate(codebook, doc[section], f"{where}: {section}")
    problems.raise_any()
    return codebook


def _str(value: Any, where: str, numbers: bool = False) -> str:
    """A non-empty string; with ``numbers``, a number is read as its text (``version: 1.0``)."""
    if numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise CodebookError(f"{where}: expected a non-empty string, got {value!r}")
    return value.strip()


def _list(value: Any, where: str, non_empty: bool = False) -> list:
    """A list (None: an empty one); with ``non_empty``, a list given but empty is an error."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise CodebookError(f"{where}: expected a list, got {type(value).__name__}")
    if non_empty and not value:
        raise CodebookError(f"{where}: an empty list; add an entry or remove the key")
    return value


def _strings(value: Any, where: str, non_empty: bool = False) -> tuple[str, ...]:
    """A list of non-empty strings; with ``non_empty``, a list given but empty is an error too."""
    values = _list(value, where, non_empty)
    problems = Problems()
    out = []
    for i, v in enumerate(values):
        with problems.each():
            out.append(_str(v, f"{where}[{i}]"))
    problems.raise_any()
    return tuple(out)


def _attributes(value: Any, where: str) -> dict[str, tuple[str, ...]]:
    """The case's actor attributes: a mapping of attribute name to its list of values."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise CodebookError(f"{where}: expected a mapping of attribute name to its values, e.g. "
                            "{party: [democrat, republican]}")
    problems = Problems()
    out: dict[str, tuple[str, ...]] = {}
    for name, values in value.items():
        with problems.each():
            if not isinstance(name, str) or not _ID.match(name):
                raise CodebookError(f"{where}: {name!r}: attribute names are lower-case identifiers like "
                                    "'party'")
            if name in _ACTOR_KEYS:
                raise CodebookError(f"{where}.{name}: {name!r} is an actor key already; choose another name")
            strings = _strings(values, f"{where}.{name}", non_empty=True)
            if not strings:
                raise CodebookError(f"{where}.{name}: expected a non-empty list of values")
            doubled = sorted({v for v in strings if strings.count(v) > 1})
            if doubled:
                raise CodebookError(f"{where}.{name}: values listed twice: {', '.join(doubled)}")
            out[name] = strings
    problems.raise_any()
    return out


def _actor(aid: Any, spec: Any, where: str, attributes: dict[str, tuple[str, ...]] | None = None) -> Actor:
    attributes = attributes or {}
    if not isinstance(aid, str) or not _ID.match(aid):
        raise CodebookError(f"{where}: actor ids must be lower-case identifiers like 'afghan_government'")
    if not isinstance(spec, dict):
        raise CodebookError(f"{where}: expected a mapping with 'label' and 'names'")
    for key in spec:
        if key not in _ACTOR_KEYS and key not in attributes:
            declared = f"; the case's attributes: {sorted(attributes)}" if attributes else ""
            raise CodebookError(f"{where}: unknown key {key!r}; expected one of {sorted(_ACTOR_KEYS)}"
                                f"{declared} (declare an attribute under the top-level 'attributes:' to "
                                "give actors one)")
    problems = Problems()
    own: list[tuple[str, str]] = []
    for name, values in attributes.items():
        if name in spec:
            value = spec[name]
            if not isinstance(value, str) or value not in values:
                problems.messages.append(f"{where}.{name}: {value!r} is not a value of the attribute "
                                         f"{name!r}; use one of {', '.join(values)}")
            else:
                own.append((name, value))
    color = spec.get("color")
    if color is not None and not (isinstance(color, str) and _COLOR.match(color)):
        problems.messages.append(f"{where}.color: expected a colour like '#1f77b4', got {color!r}")
    persons = []
    with problems.each():
        for i, p in enumerate(_list(spec.get("persons"), f"{where}.persons", non_empty=True)):
            pw = f"{where}.persons[{i}]"
            with problems.each():
                if isinstance(p, str):
                    p = {"name": p}
                if not isinstance(p, dict) or set(p) - {"name", "short"} or "name" not in p:
                    raise CodebookError(f"{pw}: expected {{name: Full Name, short: [Surname]}}")
                short = _strings(p["short"], f"{pw}.short") if "short" in p else None  # []: none
                persons.append(_person(_str(p["name"], f"{pw}.name"), short))
    fields: dict[str, tuple[str, ...]] = {}
    for key in ("names", "demonyms", "descriptions", "short"):
        with problems.each():
            fields[key] = _strings(spec.get(key), f"{where}.{key}", non_empty=True)
    label = aid
    with problems.each():
        label = _str(spec.get("label", aid), f"{where}.label")
    kind = spec.get("kind")
    if kind is not None and kind not in ACTOR_KINDS:
        problems.messages.append(f"{where}.kind: {kind!r} is not a kind of actor; use one of "
                                 f"{', '.join(ACTOR_KINDS)} (or leave it out)")
    problems.raise_any()
    actor = Actor(
        id=aid,
        label=label,
        color=color,
        description=str(spec.get("description", "") or ""),
        names=fields["names"],
        demonyms=fields["demonyms"],
        persons=tuple(persons),
        descriptions=fields["descriptions"],
        short=fields["short"],
        kind=kind,
        attributes=tuple(own),
    )
    if not (actor.names or actor.demonyms or actor.persons or actor.descriptions):
        raise CodebookError(f"{where}: an actor needs at least one of names, demonyms, persons, "
                            "descriptions")
    return actor


def actor_aliases(actor: Actor) -> list[tuple[str, str]]:
    """Every (kind, phrase) the actor is matched by; short forms are kind ``short_form``."""
    out = [("name", n) for n in actor.names] + [("demonym", d) for d in actor.demonyms]
    out += [("description", d) for d in actor.descriptions]
    out += [("short_form", s) for s in actor.short]
    for person in actor.persons:
        out.append(("person", person.name))
        out += [("short_form", s) for s in person.short]
    return out


def alias_warnings(codebook: Codebook) -> list[str]:
    """Aliases that are valid but will match far more than the actor, each named with its actor and
    why: one character ("A" matches "A spokesman"), or a stop word ("May" the short form matches
    "May" the verb at a sentence's start; an all-capitals acronym such as "WHO" is not one). Matching
    is case-sensitive (docs/codebook.md), so "US" never matches "us"."""
    where = codebook.path or codebook.name
    out = []
    for actor in codebook.actors.values():
        for kind, phrase in actor_aliases(actor):
            bare = phrase.strip()
            if len(bare) == 1:
                out.append(f"{where}: actors.{actor.id}: the {kind} {phrase!r} is one character; it matches "
                           "every such token (a pronoun, an article, an initial): use a longer alias")
            elif _is_stop_word(bare):
                out.append(f"{where}: actors.{actor.id}: the {kind} {phrase!r} is also a common English "
                           f"word ({bare.lower()!r}); it matches that word wherever it is capitalised (at "
                           "the start of a sentence, in a headline): use a longer alias")
    return out


def _without_clashing_surnames(actors: dict[str, Actor]) -> dict[str, Actor]:
    """The actors with each derived surname dropped where it is also a name, demonym, description or
    full name of the codebook ("Fox" of a Fox family member against the name "Fox" of a network): the
    alias the user wrote wins. A surname shared with other persons' short forms stays: the nearest full
    name before it decides (docs/codebook.md, "Actors")."""
    taken = {phrase for actor in actors.values() for kind, phrase in actor_aliases(actor)
             if kind != "short_form"}
    out = {}
    for aid, actor in actors.items():
        persons = tuple(Person(p.name) if p.derived and p.short[0] in taken else p for p in actor.persons)
        out[aid] = actor if persons == actor.persons else replace(actor, persons=persons)
    return out


def _check_unique_aliases(actors: dict[str, Actor], where: str) -> None:
    """Every alias belongs to one actor, except short forms, which persons may share (the nearest full
    name decides); every clash is listed."""
    owner: dict[str, tuple[str, str]] = {}
    problems = Problems()
    for actor in actors.values():
        for kind, phrase in actor_aliases(actor):
            if phrase in owner and owner[phrase][0] != actor.id:
                if kind == "short_form" and owner[phrase][1] == "short_form":
                    continue
                problems.messages.append(f"{where}: alias {phrase!r} belongs to both actors "
                                         f"{owner[phrase][0]!r} and {actor.id!r}; keep it in one")
                continue
            owner.setdefault(phrase, (actor.id, kind))
    problems.raise_any()


def _reference(spec: Any, where: str, actors: dict) -> Reference:
    if not isinstance(spec, dict) or set(spec) - {"phrases", "candidates", "window"}:
        raise CodebookError(f"{where}: expected {{phrases: [...], candidates: [actor ids], window: N}}")
    candidates = _strings(spec.get("candidates"), f"{where}.candidates")
    for c in candidates:
        if c not in actors:
            raise CodebookError(f"{where}.candidates: {c!r} is not an actor id of this codebook")
    window = spec.get("window", 3)
    if not isinstance(window, int) or isinstance(window, bool) or window < 0:
        raise CodebookError(f"{where}.window: expected a whole number of sentences >= 0")
    phrases = _strings(spec.get("phrases"), f"{where}.phrases")
    if not phrases or not candidates:
        raise CodebookError(f"{where}: needs at least one phrase and one candidate")
    return Reference(phrases, candidates, window)


def _lexicon(value: Any, where: str) -> None:
    """A lexicon is a list of terms or a mapping of term to a number (a weight)."""
    if isinstance(value, list):
        _strings(value, where)
    elif isinstance(value, dict):
        problems = Problems()
        for term, weight in value.items():
            with problems.each():
                _str(term, where)
                if not isinstance(weight, (int, float)) or isinstance(weight, bool):
                    raise CodebookError(f"{where}.{term}: expected a number, got {weight!r}")
        problems.raise_any()
    else:
        raise CodebookError(f"{where}: expected a list of terms or a mapping of term to weight")
