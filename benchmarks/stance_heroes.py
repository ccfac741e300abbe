"""Does an article's stance toward an actor separate the actors its coders call heroes from those they
call villains? A check of the stance methods on another topic than their training news: the climate
case's train and dev articles (Narrative Frames Corpus coding, mapped to codebook actors by the roles
model's documented rule), AUC of the article value ``stance`` for hero (1) against villain (0), pairs
coded as one of the two only, every stance method in the same run; beside it, the plain mean of every
sentence (``stance_mean``), the means in the author's voice (``stance_author``) and in the sources'
voices (``stance_sources``), read from the actors table.

    python benchmarks/stance_heroes.py [--json benchmarks/stance-heroes.json]

Neither stance model was trained or tuned on these articles; the roles model was (it reads stance as a
feature), which is why this is a check of stance, not of roles.
"""

from __future__ import annotations

import argparse
import json
import platform
from pathlib import Path

import pandas as pd
from sklearn.metrics import roc_auc_score

from framing import load_codebook, load_corpus, score
from framing.roles.train import gold_roles
from framing.stance import METHODS

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", help="write the table to this JSON file")
    args = parser.parse_args()
    corpus = ROOT / "corpus" / "climate-2019"
    book = load_codebook("climate-2019")
    gold, splits, _ = gold_roles(corpus, book)
    articles = [a for a in load_corpus(corpus) if a.id in splits]
    rows = []
    for method in METHODS:
        actors = score(articles, codebook=book, stance_method=method, progress=False,
                       extractors=["actors", "stance"]).actors.set_index(["article_id", "actor"])
        for measure in ("stance", "stance_mean", "stance_author", "stance_sources"):
            for split in ("train", "dev"):
                heroes, values = [], []
                for (article, actor), roles in sorted(gold.items()):
                    if splits[article] != split or ("hero" in roles) == ("villain" in roles):
                        continue
                    if (article, actor) not in actors.index or pd.isna(actors.loc[(article, actor), measure]):
                        continue  # the actor is never a stance target (in that voice) in the article
                    heroes.append("hero" in roles)
                    values.append(float(actors.loc[(article, actor), measure]))
                rows.append({"method": method, "measure": measure, "split": split,
                             "auc": round(roc_auc_score(heroes, values), 3), "n_pairs": len(values),
                             "n_heroes": sum(heroes)})
    table = pd.DataFrame(rows)
    print(table.to_string(index=False))
    if args.json:
        record = {"machine": f"{platform.machine()}, {platform.python_version()}", "rows": rows}
        Path(args.json).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
