#!/usr/bin/env bash
# Side-by-side benchmarks, from nothing: builds the corpora, installs the reference tools into a
# virtualenv, runs sftkit and the tool users would otherwise run on the same input in one run, and
# prints a Markdown table (whole process; per-core rates divide by user+sys CPU seconds, which is
# the fair measure on a shared machine; peak RSS from /usr/bin/time).
#
# Usage: benches/compare.sh [SIZE_MB=10]        (env: SFTKIT_SHARED, WORK, VENV)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MB=${1:-10}
SHARED=${SFTKIT_SHARED:-../shared}
WORK=${WORK:-target/compare}
VENV=${VENV:-$WORK/venv}
W="$SHARED/fixtures/web"
mkdir -p "$WORK"

echo "== reference tools (virtualenv $VENV)" >&2
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
if ! "$VENV/bin/python" -c "import datatrove, spacy, regex, jinja2, pyarrow, orjson, tokenizers" 2>/dev/null; then
  # xxhash 4 refuses the str shingles datatrove 0.10.1 hashes
  "$VENV/bin/pip" install --quiet "datatrove==0.10.1" spacy regex jinja2 pyarrow orjson tokenizers "xxhash<4"
fi
PY="$VENV/bin/python"

echo "== build" >&2
cargo build --release --locked --quiet
BIN="${CARGO_TARGET_DIR:-target}/release/sftkit"

echo "== inputs" >&2
CORPUS="$WORK/corpus-${SIZE_MB}mb.jsonl"
[ -f "$CORPUS" ] || python3 "$SHARED/bench/make_corpus.py" --out "$CORPUS" --size-mb "$SIZE_MB" --seed 5 \
  "$W/dclm-majority.jsonl" "$W/cc_en_head-0091.jsonl.gz" "$W/cc_en_head-0174.jsonl.gz" >&2
CHAT="$WORK/chat.jsonl"
python3 - "$SHARED/fixtures/chat/cases.json" "$CHAT" <<'PYEOF'
import json, sys
cases = [c for c in json.load(open(sys.argv[1])) if "tools" not in c and not c.get("add_generation_prompt")]
with open(sys.argv[2], "w") as f:
    for i in range(20000):
        c = cases[i % len(cases)]
        f.write(json.dumps({"id": f"c{i}", "messages": c["messages"]}, ensure_ascii=False) + "\n")
PYEOF
LINT="$WORK/lint.jsonl"
for _ in $(seq 20); do cat "$SHARED/fixtures/lint/dev.jsonl"; done > "$LINT"
TEMPLATE="$SHARED/fixtures/chat/templates/qwen2_5.jinja"
printf '[c4_quality]\nfilter_no_terminal_punct = false\n' > "$WORK/filters.toml"

rows() { wc -l < "$1" | tr -d ' '; }
mb() { python3 -c "import os,sys; print(os.path.getsize(sys.argv[1])/1e6)" "$1"; }
ROWS=()
# measure TASK TOOL INPUT CMD...: time a whole process, keep one table row
measure() {
  local task=$1 tool=$2 input=$3; shift 3
  echo "== $task: $tool" >&2
  /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" "$@" > "$WORK/$task-$tool.log" 2>&1 || {
    echo "FAILED: $*" >&2; tail -20 "$WORK/$task-$tool.log" >&2; exit 1; }
  read -r wall user sys rss < <(tail -1 "$WORK/time.txt")
  ROWS+=("$(python3 - "$task" "$tool" "$(rows "$input")" "$(mb "$input")" "$wall" "$user" "$sys" "$rss" <<'PYEOF'
import sys
task, tool, n, mb, wall, user, sys_, rss = sys.argv[1:]
n, mb, wall, cpu, rss = int(n), float(mb), float(wall), float(user) + float(sys_), int(rss)
cpu = max(cpu, 1e-3)
print(f"| {task} | {tool} | {n:,} | {mb:.1f} | {wall:.2f} | {cpu:.2f} | {n / cpu:,.0f} | {mb / cpu:.2f} | {rss / 1024:.0f} |")
PYEOF
)")
}

measure filters sftkit "$CORPUS" "$BIN" filter "$CORPUS" --filters gopher_repetition,gopher_quality,c4_quality,fineweb_quality \
  --config "$WORK/filters.toml" --threads 1 -q -o "$WORK/filters-sftkit.jsonl"
rm -rf "$WORK/dt-filters"
measure filters datatrove "$CORPUS" "$PY" benches/datatrove_filters.py "$CORPUS" "$WORK/dt-filters"
measure dedup sftkit "$CORPUS" "$BIN" dedup "$CORPUS" --threads 1 -q -o "$WORK/dedup-sftkit.jsonl"
rm -rf "$WORK/dt-dedup"
measure dedup datatrove "$CORPUS" "$PY" benches/datatrove_minhash.py "$CORPUS" "$WORK/dt-dedup"
measure render sftkit "$CHAT" "$BIN" render "$CHAT" --template-file "$TEMPLATE" --date 2026-01-15 --threads 1 -q \
  -o "$WORK/render-sftkit.jsonl"
mkdir -p "$WORK/one-template" && cp "$TEMPLATE" "$WORK/one-template/"
measure render jinja2 "$CHAT" "$PY" benches/render_py.py "$WORK/one-template" "$CHAT" "$WORK/render-jinja2.jsonl" \
  "$SHARED/fixtures/chat/render_reference.py"
measure lint "sftkit (2 threads)" "$LINT" "$BIN" lint "$LINT" --format jsonl --threads 2 -o "$WORK/lint.jsonl.out" --exit-zero
rm -rf "$WORK/export-sftkit" "$WORK/export-pyarrow"
measure export sftkit "$CORPUS" "$BIN" export "$CORPUS" --threads 1 -q -o "$WORK/export-sftkit"
measure export pyarrow "$CORPUS" "$PY" benches/pyarrow_write.py "$CORPUS" "$WORK/export-pyarrow"
# stats over the exported shards (the rows and MB columns are the JSONL input's): sftkit stats with
# polars vs the pyarrow + numpy script people write. Threads: 1 each (POLARS_MAX_THREADS via --threads).
measure stats "sftkit" "$CORPUS" "$BIN" stats "$WORK/export-sftkit" --text-column text --threads 1 --format json
cp "$WORK/stats-sftkit.log" "$WORK/stats-sftkit.json"
measure stats "pyarrow+numpy" "$CORPUS" "$PY" benches/stats_py.py text "$WORK/export-sftkit"
cp "$WORK/stats-pyarrow+numpy.log" "$WORK/stats-py.json"

# The rendered texts must agree, or the speed comparison means nothing.
python3 - "$WORK/render-sftkit.jsonl" "$WORK/render-jinja2.jsonl" <<'PYEOF' >&2
import json, sys
a = [json.loads(l)["text"] for l in open(sys.argv[1])]
b = [json.loads(l)["text"] for l in open(sys.argv[2])]
same = sum(x == y for x, y in zip(a, b))
print(f"render: {same}/{len(b)} texts identical")
PYEOF

# stats must report the same numbers as the Python script.
python3 - "$WORK/stats-sftkit.json" "$WORK/stats-py.json" <<'PYEOF' >&2
import json, sys
ours, ref = (json.load(open(p)) for p in sys.argv[1:])
assert ours["rows"] == ref["rows"], (ours["rows"], ref["rows"])
assert {c["name"]: c["nulls"] for c in ours["columns"]} == ref["nulls"]
for what in ("chars", "words"):
    a, b = ours["text"][what], ref["text"][what]
    for k, v in b.items():
        assert abs(a[k] - v) <= 1e-9 * max(1.0, abs(v)), (what, k, a[k], v)
print(f"stats: rows, nulls and text quantiles identical ({ours['rows']} rows)")
PYEOF

echo
echo "Machine: $(nproc) cores, $(python3 -c 'import os; print(round(os.sysconf("SC_PAGE_SIZE")*os.sysconf("SC_PHYS_PAGES")/2**30))') GiB; $(date -u +%Y-%m-%d); corpus ${SIZE_MB} MB"
echo
echo "| task | tool | rows | MB | wall s | CPU s | rows/s per core | MB/s per core | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|"
printf '%s\n' "${ROWS[@]}"
