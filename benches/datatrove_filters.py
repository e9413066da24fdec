#!/usr/bin/env python3
"""datatrove 0.10.1's four heuristic filters over one JSONL file, one task, whole process (the
reference side of benches/compare.sh). Needs `pip install datatrove==0.10.1 spacy`.

Usage: datatrove_filters.py IN.jsonl WORKDIR
"""
import sys

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.filters import (C4QualityFilter, FineWebQualityFilter, GopherQualityFilter,
                                        GopherRepetitionFilter)
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

src, work = sys.argv[1], sys.argv[2]
folder, name = src.rsplit("/", 1)
LocalPipelineExecutor(
    pipeline=[
        JsonlReader(folder, glob_pattern=name, text_key="text", id_key="id"),
        GopherRepetitionFilter(),
        GopherQualityFilter(),
        C4QualityFilter(filter_no_terminal_punct=False),
        FineWebQualityFilter(),
        JsonlWriter(f"{work}/output", compression=None),
    ],
    tasks=1,
    workers=1,
    logging_dir=f"{work}/logs",
).run()
