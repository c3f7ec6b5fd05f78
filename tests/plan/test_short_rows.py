"""
Rows short of a column the researcher added to a tracker table are said once per table, not
once per row (trial h18E on 033: a `Checked` column on its "Key Results Log", filled on one
row, gave nine warnings, and `bridge run` hid one behind "… and 1 more warnings").
"""

from __future__ import annotations

from pathlib import Path

from bridge.plan import load_project
from bridge.projections.plan_words import warning_in_language
from tests.conftest import needs_shared
from tests.plan.corpus import as_project


@needs_shared
def test_a_column_added_to_033s_results_log_is_one_warning(tmp_path: Path) -> None:
    root = as_project("033", tmp_path)
    tracker = root / "refine-logs" / "EXPERIMENT_TRACKER.md"
    text = tracker.read_text(encoding="utf-8")
    header = (
        "| Exp | Object | S3 | S4 (ORFN) | net | Status |\n"
        "|-----|--------|----|-----------|-----|--------|"
    )
    assert header in text
    text = text.replace(header, header.replace("Status |", "Status | Checked |") + "---------|")
    row = "| Exp1 | Scissors | — | — | — | [ ] |"
    text = text.replace(row, row + " yes |")
    tracker.write_text(text, encoding="utf-8")
    said = [w for w in load_project(root).warnings if "cells under a" in w.message]
    assert [(w.line, w.message) for w in said] == [
        (
            102,
            "9 table rows (lines 102–105, 107–111) have 6 cells under a 7-column header; "
            "missing cells left empty",
        )
    ]
    assert warning_in_language(said[0].message, "zh") == (
        "9 个表格行（第 102–105、107–111 行）有 6 个单元格，而表头有 7 列；缺少的单元格留空"
    )
