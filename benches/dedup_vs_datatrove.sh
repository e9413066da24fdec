#!/usr/bin/env bash
# Side by side, on the same input, whole process, one thread: sftkit's dedup (release) and datatrove
# 0.10.1's four MinHash stages. Builds the corpus with shared/bench/make_corpus.py when absent.
#
# Usage: benches/dedup_vs_datatrove.sh [SIZE_MB=80] [PYTHON=python3 with datatrove==0.10.1 + spacy]
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-80}
PY=${2:-python3}
SHARED=${SFTKIT_SHARED:-../shared}
WORK=${WORK:-target/dedup-bench}
mkdir -p "$WORK"
CORPUS="$WORK/corpus-${SIZE_MB}mb.jsonl"
W="$SHARED/fixtures/web"
if [ ! -f "$CORPUS" ]; then
  python3 "$SHARED/bench/make_corpus.py" --out "$CORPUS" --size-mb "$SIZE_MB" --seed 5 \
    "$W/dclm-majority.jsonl" "$W/cc_en_head-0091.jsonl.gz" "$W/cc_en_head-0174.jsonl.gz"
fi
BIN=$(cargo bench --bench dedup_bench --no-run 2>&1 | sed -n 's/.*Executable .*(\(.*\))/\1/p')
# CPU time (user + sys) is the fair measure on a shared machine; wall time is printed too.
FMT="%C: wall %e s, user %U s, sys %S s, max RSS %M kB"
echo "== sftkit"
/usr/bin/time -f "$FMT" -o "$WORK/sftkit.time" "$BIN" corpus "$CORPUS" "$WORK/sftkit-out.jsonl"
cat "$WORK/sftkit.time"
echo "== datatrove"
rm -rf "$WORK/datatrove"
/usr/bin/time -f "$FMT" -o "$WORK/datatrove.time" "$PY" benches/datatrove_minhash.py "$CORPUS" "$WORK/datatrove" 2>"$WORK/datatrove.log"
cat "$WORK/datatrove.time"
