"""
The public surface: bridge/__init__.py exports exactly what it promises.
"""

from __future__ import annotations

import bridge


class TestExports:
    def test_all_is_sorted_and_importable(self) -> None:
        """__all__ is sorted and every name in it exists."""
        assert list(bridge.__all__) == sorted(bridge.__all__)
        for name in bridge.__all__:
            assert hasattr(bridge, name), name

    def test_the_documented_entry_points_are_there(self) -> None:
        """Bridge, load_plan, Plan, Stage and the error tree are public."""
        for name in (
            "Bridge",
            "load_plan",
            "Plan",
            "Stage",
            "BridgeError",
            "PlanError",
            "ConfigError",
        ):
            assert name in bridge.__all__
        assert issubclass(bridge.PlanError, bridge.BridgeError)
