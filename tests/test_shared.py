"""
The shared corpus of real plans must be there: without it the parser's acceptance tests would
quietly have nothing to run on.
"""

from __future__ import annotations

import os

import pytest

from tests.conftest import SHARED


class TestSharedCorpus:
    def test_corpus_is_beside_the_checkout(self) -> None:
        """../shared/corpus/plans (or $BRIDGE_SHARED) holds the real plans the tests read."""
        if os.environ.get("BRIDGE_ALLOW_NO_SHARED") == "1":
            pytest.skip("BRIDGE_ALLOW_NO_SHARED=1: running without the corpus on purpose")
        plans = SHARED / "corpus" / "plans"
        assert plans.is_dir(), f"no corpus at {plans}: set BRIDGE_SHARED or put shared/ beside"
        assert len([p for p in plans.iterdir() if p.is_dir()]) >= 20
