"""Speed and memory of `framing figures` on 1,000 and 10,000 articles from 100 outlets.

    python benchmarks/figures.py [--scores scores/climate-2019] [--sizes 1000,10000] [--out FILE]

(`make bench-figures` runs it; it needs the climate case scored: `make scores`.) The tables are the
real scores of the climate case, replicated: every copy of an article gets a new id and one of 100
outlets (with its bias rating kept), and its evidence rows are copied with it, so the figures draw
real values at the size wanted. Each run is a fresh process (`framing figures --by bias,outlet`), timed
with its peak resident memory (``scale.measure``); the peer is ``framing figures`` on the case's own
428 articles, measured in the same run. Targets (issue 12): at 10,000 articles, under 2 minutes and
under 2 GB.
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
    """A scores folder of ``size`` articles copied from ``scores``, over :data:`OUTLETS` outlets."""
    import pandas as pd

    folder = out / f"scores-{size}"
    if (folder / "features.parquet").is_file():
        return folder
    features = pd.read_parquet(scores / "features.parquet")
    evidence = pd.read_parquet(scores / "evidence.parquet")
    picks = [i % len(features) for i in range(size)]
    copies = features.iloc[picks].reset_index(drop=True)
    copies["source_id"] = copies["id"]
    copies["id"] = [f"copy-{i:05d}" for i in range(size)]
    copies["outlet"] = [f"outlet {i % OUTLETS:03d}" for i in range(size)]
    by_article = dict(tuple(evidence.groupby("article_id", sort=False)))
    rows = []
    for new, old in zip(copies["id"], copies["source_id"]):
        if old in by_article:
            rows.append(by_article[old].assign(article_id=new))
    folder.mkdir(parents=True, exist_ok=True)
    copies.drop(columns="source_id").to_parquet(folder / "features.parquet", index=False)
    pd.concat(rows, ignore_index=True).to_parquet(folder / "evidence.parquet", index=False)
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scores", default=str(ROOT / "scores" / "climate-2019"))
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--out", default=str(HERE / "figures.json"))
    parser.add_argument("--work", default=str(ROOT / ".cache" / "bench-figures"))
    args = parser.parse_args(argv)
    scores, work = Path(args.scores), Path(args.work)
    if not (scores / "features.parquet").is_file():
        raise SystemExit(f"{scores}: no scored tables; run 'make scores' first")
    results: dict = {"machine": machine(), "runs": {}}
    inputs = {"428 (the case)": scores}
    for size in sorted(int(s) for s in args.sizes.split(",")):
        inputs[str(size)] = replicate(scores, size, work)
    for name, folder in inputs.items():
        out = work / "figures" / name.split()[0]
        shutil.rmtree(out, ignore_errors=True)
        print(f"[{name}] framing figures ...", flush=True)
        run = measure([FRAMING, "figures", str(folder), "--codebook", "climate-2019", "--out", str(out),
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
