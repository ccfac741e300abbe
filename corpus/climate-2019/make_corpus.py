"""Build this case's corpus from the Narrative Frames Corpus release (run once; the output is committed).

    python corpus/climate-2019/make_corpus.py $FRAMING_DATA/narrative-frames

Writes, beside this file: ``text/<id>.txt`` (each article's text exactly as released: title and body
run together, as upstream), ``metadata.csv`` (id, file, upstream_id, outlet normalised by
``outlets.csv``, outlet_upstream as spelled in the release, mbfc_bias, bias (a short label), date,
split) and ``annotations/`` (``frames.tsv`` and ``roles.tsv``, copied byte for byte), and checks that
``LICENSE`` is the release's. A test runs it again when the data are there and compares the bytes.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIAS = {"left_bias": "left", "left_center_bias": "left-center", "right_bias": "right",
        "questionable_source": "questionable"}
COLUMNS = ["id", "file", "upstream_id", "outlet", "outlet_upstream", "mbfc_bias", "bias", "date", "split"]


def outlet_key(spelling: str) -> str:
    """One key per outlet whatever its spelling: "The Huffington Post" and "thehuffingtonpost"."""
    return re.sub(r"[^a-z]", "", spelling.lower())


def build(source: Path, out: Path = HERE) -> dict[str, bytes]:
    """The corpus files (path relative to ``out`` -> bytes), built from the release at ``source``."""
    with open(out / "outlets.csv", encoding="utf-8", newline="") as handle:
        names = {row["key"]: row["outlet"] for row in csv.DictReader(handle)}
    files: dict[str, bytes] = {}
    rows = []
    for line in (source / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        article_id = f"nfc-{int(record['id']):04d}"
        key = outlet_key(record["outlet"])
        if key not in names:
            raise SystemExit(f"outlet {record['outlet']!r}: no entry {key!r} in outlets.csv; add one")
        files[f"text/{article_id}.txt"] = record["text"].encode("utf-8")
        rows.append({"id": article_id, "file": f"text/{article_id}.txt", "upstream_id": record["id"],
                     "outlet": names[key], "outlet_upstream": record["outlet"],
                     "mbfc_bias": record["mbfc_bias"], "bias": BIAS[record["mbfc_bias"]],
                     "date": record["date"], "split": record["split"]})
    rows.sort(key=lambda r: r["id"])
    table = io.StringIO()
    writer = csv.DictWriter(table, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    files["metadata.csv"] = table.getvalue().encode("utf-8")
    for name in ("frames.tsv", "roles.tsv"):
        files[f"annotations/{name}"] = (source / name).read_bytes()
    files["LICENSE"] = (source / "LICENSE").read_bytes()
    return files


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    for rel, data in build(Path(argv[0])).items():
        path = HERE / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"wrote {HERE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
