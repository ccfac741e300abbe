"""Speed and memory of `framing figures` on 1,000 and 10,000 articles from 100 outlets.

    python benchmarks/figures.py [--scores scores/climate-2019] [--sizes 1000,10000] [--out FILE]

(`make bench-figures` runs it; it needs the climate case scored: `make scores`.) The tables are the
real scores of the climate case, replicated: every copy of an article gets a new id and one of 100
outlets (with its bias rating kept), and its evidence rows are copied with it, so the figures draw
real values at the size wanted (``actors`` and ``blame_pairs`` copied with them). Each run is a fresh
process (`framing figures --by bias,outlet`), timed
with its peak resident memory (``scale.measure``); the peer is ``framing figures`` on the case's own
428 articles, measured in the same run. Targets (issue 12): at 10,000 articles, under 2 minutes and
under 2 GB.

``--actors N`` (issue 28: a codebook of a hundred actors) widens the replicated tables to N actors:
the climate codebook's 21 actors and clones of them (``epa_2``, ...) whose rows of the actors table are
the real actor's rows of other articles (so that each clone has its own values), written with a
codebook of N actors beside the tables; the figures then draw the 12 most coded actors and name the rest.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale import ROOT, machine, measure  # noqa: E402

FRAMING = str(Path(sys.executable).parent / "framing")
OUTLETS = 100


def replicate(scores: Path, size: int, out: Path) -> Path:
    """A scores folder of ``size`` articles copied from ``scores``, over :data:`OUTLETS` outlets: each
    copy's features, evidence, actors and blame pairs, with ``run.json``."""
    import pandas as pd

    folder = out / f"scores-{size}"
    if (folder / "run.json").is_file():
        return folder
    features = pd.read_parquet(scores / "features.parquet")
    picks = [i % len(features) for i in range(size)]
    copies = features.iloc[picks].reset_index(drop=True)
    new_ids = [f"copy-{i:05d}" for i in range(size)]
    sources = list(copies["id"])
    copies["id"] = new_ids
    copies["outlet"] = [f"outlet {i % OUTLETS:03d}" for i in range(size)]
    folder.mkdir(parents=True, exist_ok=True)
    copies.to_parquet(folder / "features.parquet", index=False)
    for name in ("evidence", "actors", "blame_pairs"):
        table = pd.read_parquet(scores / f"{name}.parquet")
        by_article = dict(tuple(table.groupby("article_id", sort=False)))
        rows = [by_article[old].assign(article_id=new) for new, old in zip(new_ids, sources)
                if old in by_article]
        pd.concat(rows, ignore_index=True).astype(table.dtypes.to_dict()).to_parquet(
            folder / f"{name}.parquet", index=False)
    run = json.loads((scores / "run.json").read_text(encoding="utf-8"))
    run["text_sha256"], run["n_articles"], run["n_scored"] = {}, size, size
    (folder / "run.json").write_text(json.dumps(run, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return folder


def widen(folder: Path, n_actors: int, out: Path) -> tuple[Path, Path]:
    """``folder``'s tables with the climate codebook's actors cloned up to ``n_actors``, and a codebook
    file that declares them (each clone's aliases are unique placeholders: nothing is matched again).
    A clone's rows in the actors table are its actor's rows of other articles (a fixed permutation of
    the articles per clone), so that each clone has its own values."""
    import numpy as np
    import pandas as pd
    import yaml

    from framing.codebook import load_codebook

    wide_folder = out / f"{folder.name}-{n_actors}-actors"
    book_path = out / f"climate-{n_actors}-actors.yaml"
    book = load_codebook("climate-2019")
    real = book.actor_ids
    clones = [(f"{real[k % len(real)]}_{k // len(real) + 2}", real[k % len(real)])
              for k in range(n_actors - len(real))]
    doc = yaml.safe_load((ROOT / "framing" / "codebooks" / "climate-2019.yaml").read_text(encoding="utf-8"))
    doc["name"] = f"climate-{n_actors}-actors"
    for clone, source in clones:
        spec = dict(doc["actors"][source])
        spec = {k: v for k, v in spec.items() if k not in ("names", "demonyms", "persons", "descriptions")}
        spec["label"] = f"{spec.get('label', source)} ({clone.rsplit('_', 1)[1]})"
        spec["names"] = [f"Placeholder {clone}"]
        doc["actors"][clone] = spec
    book_path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    if not (wide_folder / "run.json").is_file():
        wide_folder.mkdir(parents=True, exist_ok=True)
        for name in ("features", "evidence", "blame_pairs"):
            shutil.copy(folder / f"{name}.parquet", wide_folder / f"{name}.parquet")
        actors = pd.read_parquet(folder / "actors.parquet")
        ids = pd.read_parquet(folder / "features.parquet", columns=["id"])["id"].to_numpy()
        rng = np.random.default_rng(0)
        parts = [actors]
        for clone, source in clones:
            moved = dict(zip(ids, ids[rng.permutation(len(ids))]))  # another article's values
            rows = actors[actors.actor == source]
            parts.append(rows.assign(actor=clone, article_id=rows.article_id.map(moved)))
        actors = pd.concat(parts, ignore_index=True).astype(actors.dtypes.to_dict())
        order = {a: k for k, a in enumerate(ids)}
        actors = actors.iloc[np.lexsort((actors.actor.map({a: k for k, a in enumerate(doc["actors"])}),
                                         actors.article_id.map(order)))].reset_index(drop=True)
        actors.to_parquet(wide_folder / "actors.parquet", index=False)
        run = json.loads((folder / "run.json").read_text(encoding="utf-8"))
        wide_book = load_codebook(book_path)
        run["codebook"] = {"name": wide_book.name, "version": wide_book.version, "sha256": wide_book.sha256,
                           "path": str(book_path.resolve())}
        run["actors"] = wide_book.actor_ids
        (wide_folder / "run.json").write_text(json.dumps(run, indent=2, sort_keys=True) + "\n",
                                              encoding="utf-8")
    return wide_folder, book_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scores", default=str(ROOT / "scores" / "climate-2019"))
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--out", default=str(HERE / "figures.json"))
    parser.add_argument("--work", default=str(ROOT / ".cache" / "bench-figures"))
    parser.add_argument("--actors", type=int, help="widen the replicated tables to this many actors")
    args = parser.parse_args(argv)
    scores, work = Path(args.scores), Path(args.work)
    if not (scores / "actors.parquet").is_file():
        raise SystemExit(f"{scores}: no scored tables (or tables of an older framing); run 'make scores'")
    results: dict = {"machine": machine(), "runs": {}}
    inputs = {"428 (the case)": (scores, "climate-2019")}
    for size in sorted(int(s) for s in args.sizes.split(",")):
        inputs[str(size)] = (replicate(scores, size, work), "climate-2019")
        if args.actors:
            inputs[f"{size} x {args.actors} actors"] = widen(inputs[str(size)][0], args.actors, work)
    results["actors"] = args.actors
    for name, (folder, codebook) in inputs.items():
        out = work / "figures" / name.replace(" ", "")
        shutil.rmtree(out, ignore_errors=True)
        print(f"[{name}] framing figures ...", flush=True)
        run = measure([FRAMING, "figures", str(folder), "--codebook", str(codebook), "--out", str(out),
                       "--by", "bias,outlet"])
        run.pop("output", None)
        pngs = sorted(out.glob("*.png"))
        run["png_pixels_max"] = max(_pixels(p) for p in pngs)
        results["runs"][name] = run
        print(json.dumps(run), flush=True)
    Path(args.out).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


def _pixels(path: Path) -> int:
    """Width times height of a PNG, read from its header."""
    data = path.read_bytes()[16:24]
    return int.from_bytes(data[:4], "big") * int.from_bytes(data[4:], "big")


if __name__ == "__main__":
    sys.exit(main())
