"""
The shared corpus of real plans must be whole when it is there: without it the parser's
acceptance tests would quietly have little to run on.
"""

from __future__ import annotations

from tests.conftest import SHARED, needs_shared


@needs_shared
class TestSharedCorpus:
    def test_corpus_is_beside_the_checkout(self) -> None:
        """../shared/corpus/plans (or $BRIDGE_SHARED) holds the real plans the tests read."""
        plans = SHARED / "corpus" / "plans"
        assert len([p for p in plans.iterdir() if p.is_dir()]) >= 20
