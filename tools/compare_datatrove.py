#!/usr/bin/env python3
"""Compares sftkit's web filter decisions (examples/web_filters_decide.rs) with datatrove's
(shared/fixtures/web/datatrove_reference.py), or word/sentence lists with datatrove_words.py.

Usage: compare_datatrove.py OURS.jsonl DATATROVE.jsonl
Prints, per filter, the agreement of keep/drop decisions and of reasons, the C4 kept-text
agreement, and the first differences."""
import json
import sys

ours = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
ref = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert len(ours) == len(ref), (len(ours), len(ref))
keys = [k for k in ref[0] if k not in ("id", "c4_quality_text")]
for k in keys:
    if k in ("words", "sentences"):
        same = sum(o[k] == r[k] for o, r in zip(ours, ref))
        print(f"{k:<20} identical {same}/{len(ref)}")
        for i, (o, r) in enumerate(zip(ours, ref)):
            if o[k] != r[k]:
                j = next((j for j, (a, b) in enumerate(zip(o[k], r[k])) if a != b), min(len(o[k]), len(r[k])))
                print(f"   doc {i}: at {j}: ours {o[k][j:j+4]} ref {r[k][j:j+4]}")
        continue
    dec = sum((o[k] == "keep") == (r[k] == "keep") for o, r in zip(ours, ref))
    rea = sum(o[k] == r[k] for o, r in zip(ours, ref))
    print(f"{k:<20} decisions {dec}/{len(ref)} ({100*dec/len(ref):.2f}%)  reasons {rea}/{len(ref)} ({100*rea/len(ref):.2f}%)")
    for i, (o, r) in enumerate(zip(ours, ref)):
        if o[k] != r[k]:
            print(f"   doc {i}: ours {o[k]} datatrove {r[k]}")
if "c4_quality_text" in ref[0]:
    both = [(o, r) for o, r in zip(ours, ref) if o["c4_quality"] == "keep" and r["c4_quality"] == "keep"]
    same = sum(o["c4_quality_text"] == r["c4_quality_text"] for o, r in both)
    print(f"c4 kept text identical {same}/{len(both)}")
