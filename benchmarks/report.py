"""Speed, memory and size of `framing report` at 1,000 and 10,000 articles.

    python benchmarks/report.py [--scores scores/climate-2019] [--sizes 1000,10000] [--out FILE]

(`make bench-report` runs it; it needs the climate case scored: `make scores`.) The scores are the real
scores of the climate case replicated as in benchmarks/figures.py (every copy a new id, one of 100
outlets, its evidence rows copied with it), and a JSON Lines corpus holds each copy's text. Each run is
a fresh process (``scale.measure``: wall time, peak resident memory); the site's total size, its
largest page and the index page are recorded. The peer measured in the same run: writing the same
evidence table as CSV with pandas (the plainest dump a coder could read instead).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale import ROOT, machine, measure  # noqa: E402

from figures import replicate  # noqa: E402

FRAMING = str(Path(sys.executable).parent / "framing")


def corpus_for(scores: Path, folder: Path) -> Path:
    """A JSON Lines corpus with the text of every replicated article."""
    import pandas as pd

    from framing.corpus import load_corpus

    source = load_corpus(ROOT / "corpus" / "climate-2019")
    features = pd.read_parquet(scores / "features.parquet")
    picks = [source.ids[i % len(source.ids)] for i in range(len(features))]
    out = folder / "corpus.jsonl"
    pd.DataFrame({"id": features["id"], "text": [source[i].text for i in picks],
                  "outlet": features["outlet"]}).to_json(out, orient="records", lines=True, force_ascii=False)
    return out


def _size(folder: Path) -> dict:
    files = [p for p in folder.rglob("*") if p.is_file()]
    pages = [p for p in files if p.suffix == ".html"]
    return {"files": len(files), "total_mb": round(sum(p.stat().st_size for p in files) / 2**20, 1),
            "largest_page_kb": round(max(p.stat().st_size for p in pages) / 1024, 1),
            "index_page_kb": round((folder / "index.html").stat().st_size / 1024, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scores", default=str(ROOT / "scores" / "climate-2019"))
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--out", default=str(HERE / "report.json"))
    args = parser.parse_args(argv)
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for size in [int(s) for s in args.sizes.split(",")]:
            scores = replicate(Path(args.scores), size, work)
            corpus = corpus_for(scores, work / f"scores-{size}")
            site = work / f"site-{size}"
            print(f"[{size}] report ...", flush=True)
            run = measure([FRAMING, "report", str(scores), "--corpus", str(corpus), "--out", str(site),
                           "--codebook", "climate-2019"])
            run.pop("output", None)
            peer = measure([sys.executable, "-c", "import pandas as pd, sys; pd.read_parquet(sys.argv[1])"
                            ".to_csv(sys.argv[2], index=False)", str(scores / "evidence.parquet"),
                            str(work / "evidence.csv")])
            peer.pop("output", None)
            runs.append({"articles": size, "report": {**run, **_size(site)}, "peer_evidence_csv": peer,
                         "ratio_to_peer": round(run["seconds"] / peer["seconds"], 1)})
            print(json.dumps(runs[-1]), flush=True)
            shutil.rmtree(site)
    Path(args.out).write_text(json.dumps({"machine": machine(), "runs": runs}, indent=2) + "\n",
                              encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
