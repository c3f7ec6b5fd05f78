"""
The reason bridge gives a run ruled out because its tracker row was split into seeds since it
ran (012's R005 "seed 1103" → "seeds 1103, 1104, 1105"), in Chinese on a Chinese plan, where
the line around it (``- R005 — 不在范围内：…``) already is.
"""

from __future__ import annotations

from bridge.projections.failure_words import (
    own_result_words,
    removed_reason,
    row_gone,
    split_in_language,
    split_reason,
    unproposed,
    unproposed_reason,
)


def test_a_split_reason_reads_in_chinese() -> None:
    reason = split_reason("R005", (1103, 1104, 1105), "1103", ran=True)
    assert reason == (
        "R005 (one run) was split into seeds 1103, 1104, 1105 in the plan; its earlier result "
        "is kept in the log, not counted; its seed 1103 runs again as R005-s1103"
    )
    assert split_in_language(reason, "zh") == (
        "R005（单个运行）已在计划中拆分为种子 1103, 1104, 1105；其先前结果保留在日志中，不计入；"
        "其种子 1103 作为 R005-s1103 重新运行"
    )
    assert split_in_language(reason, "en") == reason


def test_a_split_from_the_default_seed_says_no_seed_runs_again() -> None:
    reason = split_reason("R004", (1103, 1104, 1105), "0", ran=True)
    assert reason.endswith("kept in the log, not counted")
    assert split_in_language(reason, "zh").endswith("其先前结果保留在日志中，不计入")


def test_the_researchers_reason_is_kept_as_written() -> None:
    """A Status the researcher wrote (``SUPERSEDED — by R007``) is theirs: never rewritten."""
    assert split_in_language("SUPERSEDED — by R007 (one run)", "zh") == (
        "SUPERSEDED — by R007 (one run)"
    )


def test_a_run_split_before_it_ran_has_no_earlier_result() -> None:
    reason = split_reason("R004", (1, 2), None, ran=False)
    assert reason == "R004 (one run) was split into seeds 1, 2 in the plan before it ran"
    assert split_in_language(reason, "zh") == "R004（单个运行）在运行前已在计划中拆分为种子 1, 2"


def test_a_removed_rows_reason_reads_in_chinese() -> None:
    """039's R004b, deleted from the tracker after it ran (trial t8)."""
    reason = removed_reason("R004b", "tracker", ran=True)
    assert reason == (
        "R004b was removed from the tracker after it ran; its result is kept in the log, "
        "not counted"
    )
    assert row_gone(reason)
    assert split_in_language(reason, "zh") == (
        "R004b 在运行后已从追踪表中删除；其结果保留在日志中，不计入"
    )
    never = removed_reason("R007", "plan", ran=False)
    assert never == "R007 was removed from the plan before bridge ran it"
    assert split_in_language(never, "zh") == "R007 在 bridge 运行前已从计划中删除"
    # A [[runs]] entry renamed in bridge.toml (040's S4 → G4).
    entry = removed_reason("S4", "bridge.toml", ran=True)
    assert entry.startswith("S4 was removed from bridge.toml after it ran;") and row_gone(entry)
    assert split_in_language(entry, "zh") == (
        "S4 在运行后已从 bridge.toml 中删除；其结果保留在日志中，不计入"
    )


def test_only_bridges_reasons_read_as_a_row_gone() -> None:
    """The researcher's own words (a Status REMOVED, a Note) are no row deleted."""
    assert row_gone(split_reason("R004", (1, 2), None, ran=False))
    assert not row_gone("REMOVED — R004 was removed from the tracker by Li")
    assert not row_gone("SKIPPED")


def test_a_split_says_which_file_split_the_row() -> None:
    """001's R002, split by a Seed column of the tracker (trial t9): the reason said "split …
    in the plan". An old log's "in the plan" still reads as bridge's reason."""
    reason = split_reason("R002", (42, 43, 44), "42", ran=True, where="tracker")
    assert reason == (
        "R002 (one run) was split into seeds 42, 43, 44 in the tracker; its earlier result is "
        "kept in the log, not counted; its seed 42 runs again as R002-s42"
    )
    assert row_gone(reason)
    assert split_in_language(reason, "zh") == (
        "R002（单个运行）已在追踪表中拆分为种子 42, 43, 44；其先前结果保留在日志中，不计入；"
        "其种子 42 作为 R002-s42 重新运行"
    )
    never = split_reason("R002", (42, 43), None, ran=False, where="tracker")
    assert split_in_language(never, "zh") == "R002（单个运行）在运行前已在追踪表中拆分为种子 42, 43"


def test_a_run_the_plan_no_longer_proposes_reads_in_chinese() -> None:
    """033's R014, E5's seed 9, once E5 was cut to 9 seeds (trial t10)."""
    reason = unproposed_reason("R014", "E5", 9, ran=True)
    assert reason == (
        "the plan no longer proposes R014 (block E5, seed 9); its result is kept in the log, "
        "not counted"
    )
    assert row_gone(reason) and unproposed(reason)
    assert split_in_language(reason, "zh") == (
        "计划不再提出 R014（实验块 E5，种子 9）；其结果保留在日志中，不计入"
    )
    never = unproposed_reason("R002", "B1", None, ran=False)
    assert never == "the plan no longer proposes R002 (block B1), and bridge never ran it"
    assert split_in_language(never, "zh") == "计划不再提出 R002（实验块 B1），bridge 未曾运行它"
    assert not unproposed(removed_reason("R004b", "tracker", ran=True))


def test_a_runs_own_result_handed_back_reads_in_chinese() -> None:
    """A split undone gives the row's run its own attempt back (review r35)."""
    said = own_result_words("0")
    assert said == "its own result at seed 0, same settings, not run again"
    assert split_in_language(said, "zh") == "其自身在种子 0 上的结果，设置相同，不再重新运行"
    assert split_in_language(own_result_words(None), "zh") == "其自身的结果，设置相同，不再重新运行"
