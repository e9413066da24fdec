"""Reference for `sftkit stats`: the ad-hoc script people write with pyarrow and numpy.

Usage: python benches/stats_py.py TEXT_COLUMN PATH... > report.json

PATH is a Parquet file or a folder of Parquet shards (manifests are not read). Prints the numbers
`sftkit stats --format json` reports for a web corpus: rows, nulls per column, and the text
column's length in characters (`len`) and words (`len(str.split())`) as min, p5, p25, p50, p75,
p95, max and mean, with numpy's default (linear) percentiles. compare.sh times it beside
`sftkit stats` and checks that both give the same numbers.
"""

import json
import os
import sys

import numpy as np
import pyarrow.parquet as pq

QUANTILES = [("p5", 5), ("p25", 25), ("p50", 50), ("p75", 75), ("p95", 95)]


def files(paths):
    for p in paths:
        if os.path.isdir(p):
            for root, _, names in sorted(os.walk(p)):
                yield from (os.path.join(root, n) for n in sorted(names) if n.endswith(".parquet"))
        else:
            yield p


def distribution(values):
    a = np.asarray(values, dtype=np.int64)
    if a.size == 0:
        return {"count": 0}
    d = {"count": int(a.size), "min": int(a.min()), "max": int(a.max()), "mean": float(a.mean())}
    for name, q in QUANTILES:
        d[name] = float(np.percentile(a, q))
    return d


def main() -> None:
    text_column, paths = sys.argv[1], sys.argv[2:]
    rows = 0
    nulls = {}
    chars, words = [], []
    for path in files(paths):
        table = pq.read_table(path)
        rows += table.num_rows
        for name in table.column_names:
            nulls[name] = nulls.get(name, 0) + table.column(name).null_count
        for text in table.column(text_column).to_pylist():
            if text is not None:
                chars.append(len(text))
                words.append(len(text.split()))
    print(
        json.dumps(
            {
                "rows": rows,
                "nulls": nulls,
                "text": {"column": text_column, "chars": distribution(chars), "words": distribution(words)},
            }
        )
    )


if __name__ == "__main__":
    main()
