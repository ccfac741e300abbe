"""Speed, memory and accuracy of the near-duplicate pass (framing.copies) at 100,000 articles.

    python benchmarks/copies.py [--sizes 10000,100000] [--out FILE]

(`make bench-copies` runs it.) The corpus is synthetic, built from the sentences of the bundled climate
case (corpus/climate-2019/text): each article draws 15 to 40 sentences at random (seeded); one article in
ten is a copy of an earlier one with up to three words changed and a sentence added or dropped (the
edits of a relay: a new headline, a trimmed end). Each size runs in a fresh process (``scale.measure``:
wall time, peak resident memory of the process tree). Accuracy is measured on the known copies: recall
(planted copies found in their original's cluster) and false merges (distinct drawn articles put in one
cluster). The peer measured in the same run is exact deduplication (SHA-256 of the lower-cased words),
which is what a study gets without near-duplicate detection. Target (issue 17): 100,000 articles under
10 minutes and 4 GB on 2 cores.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from scale import ROOT, machine, measure  # noqa: E402

COPY_SHARE = 0.1


def corpus(size: int, seed: int = 0) -> tuple[list[tuple[str, str, str]], dict[str, str]]:
    """``size`` synthetic articles ``(id, date, text)`` and the planted copies ``{copy id: original id}``."""
    pool = []
    for path in sorted((ROOT / "corpus" / "climate-2019" / "text").glob("*.txt")):
        pool += [s for s in re.split(r"(?<=[.!?])\s+", path.read_text(encoding="utf-8")) if len(s) > 40]
    rng = random.Random(seed)
    items, planted = [], {}
    for i in range(size):
        article_id, date = f"a{i:06d}", f"2019-{1 + i * 12 // size:02d}-{1 + i % 28:02d}"
        if i > 10 and rng.random() < COPY_SHARE:
            j = rng.randrange(i)
            while items[j][0] in planted:  # a copy of an original, not of a copy
                j = rng.randrange(i)
            words = items[j][2].split()
            for _ in range(rng.randint(0, 3)):
                words[rng.randrange(len(words))] = rng.choice(["said", "the", "climate", "new"])
            text = " ".join(words)
            text = (rng.choice(pool) + " " + text) if rng.random() < 0.5 else text.rsplit(". ", 1)[0] + "."
            planted[article_id] = items[j][0]
            date = max(date, items[j][1])
        else:
            text = " ".join(rng.sample(pool, rng.randint(15, 40)))
        items.append((article_id, date, text))
    return items, planted


def run(size: int) -> dict:
    """One size, in this process: the pass, its accuracy, and the exact-hash peer."""
    from framing.copies import copy_evidence, find_copies

    items, planted = corpus(size)
    start = time.perf_counter()
    found_table = find_copies(items)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    rows = copy_evidence(found_table, items)  # the second pass: each copy's shared passage
    evidence_seconds = time.perf_counter() - start
    table = found_table.set_index("id")
    cluster = table["story_cluster"]
    found = sum(1 for c, o in planted.items() if cluster[c] == cluster[o])
    originals = table[~table.index.isin(set(planted))]
    merged = int(originals.groupby("story_cluster").size().sub(1).sum())
    start = time.perf_counter()
    seen: dict[str, str] = {}
    exact = {}
    for article_id, _, text in items:
        key = hashlib.sha256(" ".join(re.findall(r"\w+", text.lower())).encode()).hexdigest()
        exact[article_id] = seen.setdefault(key, article_id)
    peer_seconds = time.perf_counter() - start
    peer_found = sum(1 for c, o in planted.items() if exact[c] == exact[o])
    return {"articles": size, "planted_copies": len(planted), "seconds_in_pass": round(seconds, 1),
            "recall": round(found / len(planted), 4), "false_merges": merged,
            "clusters": int(cluster.nunique()),
            "copy_evidence": {"rows": len(rows), "seconds": round(evidence_seconds, 1)},
            "peer_exact_hash": {"seconds": round(peer_seconds, 1),
                                "recall": round(peer_found / len(planted), 4)}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--out", default=str(HERE / "copies.json"))
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a size, run in this process
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(run(args.one)))
        return 0
    results = []
    for size in [int(s) for s in args.sizes.split(",")]:
        print(f"[{size}] ...", flush=True)
        outcome = measure([sys.executable, __file__, "--one", str(size)])
        result = json.loads(outcome.pop("output").strip().splitlines()[-1])
        results.append({**result, **outcome})
        print(json.dumps(results[-1]), flush=True)
    Path(args.out).write_text(json.dumps({"machine": machine(), "runs": results}, indent=2) + "\n",
                              encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
