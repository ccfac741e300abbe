"""A US political case the package never saw, for issue 28's done-when: 300 PolNeAR train articles from
three outlets of known lean (Breitbart right, USA Today centre, HuffPost left) and a 131-actor codebook
drafted from spaCy's PERSON/ORG/NORP entities by article frequency, with a `party` attribute set by hand
for well-known politicians and party organisations; the codebook's other case sections (lexicons,
sourcing, blame, stance) are copied from the climate case.

    python benchmarks/us_case.py [--data ../shared/data/polnear] [--out /tmp/us]
    framing score /tmp/us/corpus --codebook /tmp/us/us.yaml --out /tmp/us/scores
    framing compare /tmp/us/scores --by outlet --contrast "stance[party=democrat] - stance[party=republican]"
    framing figures /tmp/us/scores --out /tmp/us/figures --actors-by party
    framing report /tmp/us/scores --corpus /tmp/us/corpus --out /tmp/us/site

PolNeAR has no licence: the corpus is written outside the repository (``--out``), never into it.
"""

from __future__ import annotations

import argparse
import collections
import csv
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUTLETS = {"breitbart": "right", "usa-today": "center", "huff-post": "left"}
PER_OUTLET = 100
N_ACTORS, N_PERSONS = 131, 105
REPUBLICANS = {
    "Donald Trump", "Mike Pence", "Rudy Giuliani", "Chris Christie", "Ted Cruz", "Marco Rubio", "John Kasich",
    "Ben Carson", "Jeb Bush", "Paul Ryan", "Mitch McConnell", "Reince Priebus", "Kellyanne Conway",
    "Paul Manafort", "Steve Bannon", "Jeff Sessions", "Mitt Romney", "Newt Gingrich", "Corey Lewandowski",
    "Sean Spicer", "Lindsey Graham", "John McCain", "Carly Fiorina", "Rand Paul", "Mike Huckabee",
    "George W. Bush", "Sarah Palin", "Ivanka Trump", "Donald Trump Jr.", "Eric Trump", "Michael Flynn",
    "Jason Miller", "Hope Hicks", "Jason Chaffetz", "Pat McCrory", "Rick Perry", "Scott Walker",
    "Bobby Jindal", "Rick Santorum", "Nikki Haley", "Trey Gowdy", "Marsha Blackburn", "Katrina Pierson"}
DEMOCRATS = {
    "Hillary Clinton", "Tim Kaine", "Bernie Sanders", "Barack Obama", "Joe Biden", "John Podesta",
    "Robby Mook", "Elizabeth Warren", "Nancy Pelosi", "Harry Reid", "Chuck Schumer",
    "Debbie Wasserman Schultz", "Bill Clinton", "Michelle Obama", "Huma Abedin", "Donna Brazile",
    "Martin O'Malley", "Jennifer Palmieri", "Brian Fallon", "Chelsea Clinton", "Cheryl Mills",
    "John Kerry", "Al Gore", "Terry McAuliffe", "Andrew Cuomo", "Bill de Blasio", "Jerry Brown",
    "Cory Booker", "Loretta Lynch", "Josh Earnest", "Xavier Becerra", "Keith Ellison", "Jim Webb"}
ORGANISATIONS = {"Republicans": "republican", "Republican": "republican", "GOP": "republican",
                 "RNC": "republican", "Democrats": "democrat", "Democrat": "democrat",
                 "Democratic": "democrat", "DNC": "democrat"}
NAME = re.compile(r"[A-Z][\w.\-]*( [A-Z][\w.\-]*){0,3}")


def write_corpus(data: Path, out: Path) -> list[str]:
    """``out/corpus``: the first :data:`PER_OUTLET` train articles of each outlet; their texts."""
    rows = list(csv.DictReader(open(data / "metadata.tsv", encoding="utf-8"), delimiter="\t"))
    picked = [r for outlet in OUTLETS for r in
              [r for r in rows if r["compartment"] == "train" and r["publisher"] == outlet][:PER_OUTLET]]
    corpus = out / "corpus"
    (corpus / "text").mkdir(parents=True, exist_ok=True)
    texts = []
    with open(corpus / "metadata.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "file", "outlet", "lean", "date"])
        for k, r in enumerate(picked):
            text = (data / "train" / "text" / f"{r['filename']}.txt").read_text(encoding="utf-8")
            (corpus / "text" / f"us-{k:03d}.txt").write_text(text, encoding="utf-8")
            writer.writerow([f"us-{k:03d}", f"text/us-{k:03d}.txt", r["publisher"], OUTLETS[r["publisher"]],
                             r["publication_date"]])
            texts.append(text)
    return texts


def draft_actors(texts: list[str]) -> dict:
    """The most frequent entities (by articles) as codebook actors, with their party."""
    from framing.parse import load_model

    persons, organisations = collections.Counter(), collections.Counter()
    for doc in load_model().pipe(texts, batch_size=32):
        names = {(e.label_, re.sub(r"['\u2019]s$", "", e.text.strip())) for e in doc.ents}
        persons.update(n for label, n in names
                       if label == "PERSON" and NAME.fullmatch(n) and len(n.split()) > 1)
        organisations.update(n for label, n in names if label in ("ORG", "NORP") and NAME.fullmatch(n)
                             and len(n) > 2)
    actors, used, shorts = {}, set(), set()
    for name, n in persons.most_common():
        if len(actors) >= N_PERSONS or n < 2:
            break
        ident = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
        if ident in actors or name in used:
            continue
        used.add(name)
        surname, person = name.split()[-1], {"name": name}
        if surname not in shorts and surname not in used and len(surname) > 2:
            person["short"] = [surname]  # one spelling per short form: the most frequent person's
            shorts.add(surname)
        party = "republican" if name in REPUBLICANS else "democrat" if name in DEMOCRATS else "other"
        actors[ident] = {"label": name, "kind": "person", "party": party, "persons": [person]}
    for name, _ in organisations.most_common():
        if len(actors) >= N_ACTORS:
            break
        ident = "org_" + re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")
        if ident in actors or name in used or name in shorts:
            continue
        used.add(name)
        actors[ident] = {"label": name, "kind": "organisation", "party": ORGANISATIONS.get(name, "other"),
                         "names": [name]}
    return actors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "polnear"))
    parser.add_argument("--out", default="/tmp/us")
    args = parser.parse_args()
    out = Path(args.out)
    actors = draft_actors(write_corpus(Path(args.data), out))
    climate = yaml.safe_load((ROOT / "framing" / "codebooks" / "climate-2019.yaml").read_text("utf-8"))
    book = {"name": "us-politics-2016", "version": "0.1.0", "language": "en", "extends": "base-en",
            "description": f"PolNeAR 2016 election news: {len(actors)} actors drafted from spaCy entities",
            "attributes": {"party": ["democrat", "republican", "other"]}, "actors": actors}
    for key in ("lexicons", "sourcing", "blame", "stance"):  # the climate case's sections; our actors
        book[key] = climate[key]
    book["sourcing"]["actor_types"] = {a: "politician" if v["kind"] == "person" else "other"
                                       for a, v in actors.items()}
    book["sourcing"]["actor_origins"] = {a: "us" for a in actors}
    (out / "us.yaml").write_text(yaml.safe_dump(book, sort_keys=False, allow_unicode=True), encoding="utf-8")
    parties = collections.Counter(a["party"] for a in actors.values())
    print(f"{len(actors)} actors ({dict(parties)}) -> {out / 'us.yaml'}; corpus -> {out / 'corpus'}")


if __name__ == "__main__":
    main()
