"""The one safe-id rule every backend, the fake and the planner share."""

from __future__ import annotations

import pytest

from bridge.plan.safe_ids import is_safe_id, replace_unsafe


class TestSafeIds:
    @pytest.mark.parametrize("good", ["R001", "R001-a1", "a", "B2.seed_3", "x" * 128, "0"])
    def test_safe_ids_pass(self, good: str) -> None:
        """Letters, digits, '.', '_' and '-' starting with a letter or digit, up to 128, pass."""
        assert is_safe_id(good)

    @pytest.mark.parametrize(
        "bad", ["", ".", "..", "-r", "_a", "a/b", "a b", "a;b", "R1\n", "a\0b", "x" * 129, "é"]
    )
    def test_unsafe_ids_fail(self, bad: str) -> None:
        """Empty, dot-names, a leading '.', '_' or '-', a slash, space, shell character, a
        trailing newline, NUL, over 128 characters or a non-ASCII letter fail."""
        assert not is_safe_id(bad)

    def test_replace_unsafe_joins_runs_of_bad_characters(self) -> None:
        """Each run of characters a safe id cannot hold becomes one '_'; the rest is kept."""
        assert replace_unsafe("B2 / seed=3 (ours)") == "B2_seed_3_ours_"
        assert replace_unsafe("R-1.a_b") == "R-1.a_b"
