"""Reference speed: pyarrow writing the same JSONL rows to zstd Parquet.

Usage: python benches/pyarrow_write.py INPUT.jsonl OUT_DIR

Times (1) json.loads of every line and (2) pa.Table.from_pylist + pq.write_table(zstd level 3,
row groups of 1_000 rows, like sftkit's defaults), and prints MB/s of JSON input bytes.
Compare with `cargo run --release --example parquet_write_speed -- INPUT.jsonl OUT_DIR`.
"""

import json
import os
import sys
import time

import pyarrow as pa
import pyarrow.parquet as pq


def main() -> None:
    src, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    size = os.path.getsize(src)
    t0 = time.perf_counter()
    with open(src, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    t1 = time.perf_counter()
    table = pa.Table.from_pylist(rows)
    out = os.path.join(out_dir, "pyarrow.parquet")
    pq.write_table(table, out, compression="zstd", compression_level=3, row_group_size=1_000)
    t2 = time.perf_counter()
    mb = size / 1e6
    print(f"rows={len(rows)} json_mb={mb:.1f} out_mb={os.path.getsize(out) / 1e6:.1f}")
    print(f"parse_s={t1 - t0:.2f} write_s={t2 - t1:.2f} write_MBps={mb / (t2 - t1):.1f} "
          f"total_MBps={mb / (t2 - t0):.1f}")


if __name__ == "__main__":
    main()
