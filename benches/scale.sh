#!/usr/bin/env bash
# Issue #7's scale run, from nothing: builds the web corpus (make_corpus.py --size-mb SIZE
# --seed 11 over the dclm and CCNet samples in shared/fixtures/web) unless it is there, runs
# benches/scale.toml on it (four heuristic filters + MinHash dedup -> Parquet shards, threads = 2)
# under /usr/bin/time, and prints wall, CPU, end-to-end MB/s and peak RSS.
#
# Usage: benches/scale.sh [SIZE_MB=1000] [SLICE_MB]   (env: SFTKIT_SHARED, WORK)
#   SLICE_MB: run on the first SLICE_MB of the corpus instead (whole lines), e.g. 40.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-1000}
SLICE_MB=${2:-}
SHARED=${SFTKIT_SHARED:-../shared}
WORK=${WORK:-target/scale}
W="$SHARED/fixtures/web"
mkdir -p "$WORK"

cargo build --release --locked --quiet
BIN="${CARGO_TARGET_DIR:-target}/release/sftkit"

CORPUS="$WORK/corpus-${SIZE_MB}mb.jsonl"
[ -f "$CORPUS" ] || python3 "$SHARED/bench/make_corpus.py" --out "$CORPUS" --size-mb "$SIZE_MB" --seed 11 \
  "$W/dclm-majority.jsonl" "$W/cc_en_head-0091.jsonl.gz" "$W/cc_en_head-0174.jsonl.gz" >&2
INPUT="$CORPUS"
if [ -n "$SLICE_MB" ]; then
  INPUT="$WORK/corpus-${SLICE_MB}mb.jsonl"
  [ -f "$INPUT" ] || python3 - "$CORPUS" "$INPUT" "$SLICE_MB" <<'PYEOF'
import sys
src, dst, mb = sys.argv[1], sys.argv[2], float(sys.argv[3])
limit, n = mb * 1e6, 0
with open(src, "rb") as f, open(dst, "wb") as g:
    for line in f:
        if n + len(line) > limit:
            break
        g.write(line)
        n += len(line)
PYEOF
fi
NAME=$(basename "$INPUT" .jsonl)
OUT="$WORK/out-$NAME"
rm -rf "$OUT"
CONFIG="$WORK/scale-$NAME.toml"
sed -e "s|@INPUT@|$INPUT|" -e "s|@OUTPUT@|$OUT|" benches/scale.toml > "$CONFIG"

/usr/bin/time -f "%e %U %S %M" -o "$WORK/time-$NAME.txt" "$BIN" run "$CONFIG" -q 2> "$WORK/run-$NAME.log" || {
  echo "FAILED" >&2; tail -20 "$WORK/run-$NAME.log" >&2; exit 1; }
read -r wall user sys rss < <(tail -1 "$WORK/time-$NAME.txt")
python3 - "$INPUT" "$OUT/manifest.json" "$wall" "$user" "$sys" "$rss" <<'PYEOF'
import json, os, sys
path, manifest, wall, user, sys_, rss = sys.argv[1:]
mb = os.path.getsize(path) / 1e6
wall, cpu, rss = float(wall), float(user) + float(sys_), int(rss)
rows = json.load(open(manifest))["rows"]
print(f"input {path}: {mb:.1f} MB, {rows['input']:,} rows -> {rows['kept']:,} kept")
print(f"wall {wall:.2f} s | CPU {cpu:.2f} s ({cpu / wall:.2f} cores) | {mb / wall:.1f} MB/s end to end"
      f" | peak RSS {rss / 1024:.0f} MB")
PYEOF
