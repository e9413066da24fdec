#!/usr/bin/env python3
"""datatrove 0.10.1's four-stage MinHash dedup on one JSONL file, on one thread (the reference side of
benches/dedup_vs_datatrove.sh). Needs `pip install datatrove==0.10.1 spacy tokenizers orjson "xxhash<4"` (xxhash 4 refuses the str
shingles datatrove 0.10.1 hashes).

Usage: datatrove_minhash.py IN.jsonl WORKDIR
Writes WORKDIR/output (kept documents) and WORKDIR/removed (removed documents), prints the time of
each stage and of the whole run, and the number of removed documents.
"""
import os
import sys
import time

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.dedup.minhash import (
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupFilter,
    MinhashDedupSignature,
)
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter


def main():
    inp, work = sys.argv[1], sys.argv[2]
    cfg = MinhashConfig()  # 5-grams, 14 buckets x 8 hashes, 64-bit xxhash: the defaults sftkit uses
    # The input alone in a folder of its own (a glob in the input's folder can match other files).
    folder = f"{work}/input"
    os.makedirs(folder, exist_ok=True)
    link = os.path.join(folder, "input.jsonl")
    if not os.path.exists(link):
        os.symlink(os.path.abspath(inp), link)

    def reader():
        return JsonlReader(folder, id_key="id", text_key="text")

    stages = [
        ("signatures", [reader(), MinhashDedupSignature(output_folder=f"{work}/sigs", config=cfg)], 1),
        (
            "buckets",
            [MinhashDedupBuckets(input_folder=f"{work}/sigs", output_folder=f"{work}/buckets", config=cfg)],
            cfg.num_buckets,
        ),
        (
            "cluster",
            [MinhashDedupCluster(input_folder=f"{work}/buckets", output_folder=f"{work}/remove_ids", config=cfg)],
            1,
        ),
        (
            "filter",
            [
                reader(),
                MinhashDedupFilter(
                    input_folder=f"{work}/remove_ids", exclusion_writer=JsonlWriter(f"{work}/removed", compression=None)
                ),
                JsonlWriter(f"{work}/output", compression=None),
            ],
            1,
        ),
    ]
    t_all = time.perf_counter()
    for name_, pipeline, tasks in stages:
        t = time.perf_counter()
        LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=1, logging_dir=f"{work}/logs/{name_}").run()
        print(f"datatrove {name_}: {time.perf_counter() - t:.2f} s", flush=True)
    total = time.perf_counter() - t_all
    removed = sum(1 for f in os.listdir(f"{work}/removed") for _ in open(os.path.join(f"{work}/removed", f)))
    size = os.path.getsize(inp)
    docs = sum(1 for _ in open(inp))
    print(f"datatrove: {docs} docs, {size / 1e6:.1f} MB, removed {removed}: {total:.2f} s, "
          f"{docs / total:.0f} docs/s, {size / 1e6 / total:.2f} MB/s (1 worker)")


if __name__ == "__main__":
    main()
