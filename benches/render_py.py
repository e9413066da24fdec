#!/usr/bin/env python3
"""Python side of the render benchmark: Jinja2 compiled once per template in transformers'
environment (imported from fixtures/chat/render_reference.py: ImmutableSandboxedEnvironment,
trim_blocks, lstrip_blocks, loopcontrols, {% generation %}, tojson, raise_exception,
strftime_now), whole process JSONL in -> JSONL out, one thread.

Usage: render_py.py TEMPLATES_DIR INPUT.jsonl OUTPUT.jsonl [RENDER_REFERENCE.py]
"""
import importlib.util
import json
import os
import sys
import time
from datetime import datetime

t0 = time.perf_counter()
templates_dir, input_path, output_path = sys.argv[1:4]
ref_path = sys.argv[4] if len(sys.argv) > 4 else os.path.join(
    os.path.dirname(__file__), "..", "..", "shared", "fixtures", "chat", "render_reference.py")
spec = importlib.util.spec_from_file_location("render_reference", ref_path)
rr = importlib.util.module_from_spec(spec)
spec.loader.exec_module(rr)

env = rr.make_env(datetime(2026, 1, 15))
special = {"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>", "pad_token": "<pad>"}
names = sorted(f for f in os.listdir(templates_dir) if f.endswith(".jinja"))
renders = errors = 0
with open(output_path, "w", encoding="utf-8") as out:
    for name in names:
        with open(os.path.join(templates_dir, name), encoding="utf-8") as f:
            template = env.from_string(f.read())
        with open(input_path, encoding="utf-8") as inp:
            for line in inp:
                row = json.loads(line)
                ctx = dict(special)
                ctx["messages"] = row["messages"]
                ctx["add_generation_prompt"] = row.get("add_generation_prompt", False)
                for key in ("tools", "documents"):
                    if key in row:
                        ctx[key] = row[key]
                ctx.update(row.get("chat_template_kwargs", {}))
                try:
                    text, spans, _ = rr.strip_markers(template.render(**ctx))
                    row["text"] = text
                    row["generation_spans"] = spans
                except Exception as e:
                    errors += 1
                    row["error"] = f"{type(e).__name__}: {e}"
                row["template"] = name
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
                renders += 1
secs = time.perf_counter() - t0
print(f"python jinja2: {renders} renders ({errors} errors) over {len(names)} templates in {secs:.3f} s "
      f"= {renders / secs:.0f} renders/s (1 thread)")
