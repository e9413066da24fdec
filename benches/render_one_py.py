#!/usr/bin/env python3
"""Python side of the render comparison in benches/compare.sh: one chat template compiled once in
transformers' environment (fixtures/chat/render_reference.py), rows of `messages` JSONL in, rows
with `text` out, whole process, one thread.

Usage: render_one_py.py TEMPLATE.jinja INPUT.jsonl OUTPUT.jsonl RENDER_REFERENCE.py
"""
import importlib.util
import json
import sys

template_path, input_path, output_path, ref_path = sys.argv[1:5]
spec = importlib.util.spec_from_file_location("render_reference", ref_path)
ref = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ref)
from datetime import datetime

env = ref.make_env(datetime(2026, 1, 15))
template = env.from_string(open(template_path, encoding="utf-8").read())
special = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"}
with open(input_path, encoding="utf-8") as f, open(output_path, "w", encoding="utf-8") as out:
    for line in f:
        row = json.loads(line)
        text, spans, _ = ref.strip_markers(template.render(messages=row["messages"], add_generation_prompt=False, **special))
        row["text"] = text
        row["generation_spans"] = spans
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
