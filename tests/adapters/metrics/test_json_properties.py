"""
Properties of JSON reading over arbitrary documents: it never raises for anything a run can
write, and every recorded value's rule is a JMESPath expression that finds that value again.
"""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path
from typing import Any

import jmespath
from hypothesis import given, settings
from hypothesis import strategies as st

from bridge.adapters.metrics.files import MetricsSpec, extract_metrics
from bridge.adapters.metrics.records import number

KEYS = st.text(min_size=0, max_size=6)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(["compact", "full", "nan", "inf", "", "a'b", 'q"x'])
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(KEYS, inner, max_size=5)
        | st.lists(
            st.fixed_dictionaries(
                {"mode": st.sampled_from(["a", "b", "c's", "d"]), "v": inner},
                optional={"step": st.integers(0, 5)},
            ),
            max_size=4,
        )
        | st.lists(inner, max_size=4).map(
            lambda items: [{"step": i, "v": x, "w": {"x": x}} for i, x in enumerate(items)]
        )
    ),
    max_leaves=25,
)


@settings(max_examples=150)
@given(DOCUMENTS)
def test_any_document_is_read_without_raising_and_rules_find_values(document: Any) -> None:
    """Whatever the JSON, extraction returns; each json: rule re-finds its value."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "a1").mkdir()
        text = json.dumps(document)  # NaN/Infinity tokens included, as Python writes them
        (root / "a1" / "m.json").write_text(text)
        found = extract_metrics(
            root / "a1",
            project_root=root,
            run_id="R",
            attempt_id="a1",
            config=MetricsSpec(files=("*.json",)),
        )
    parsed = json.loads(text)
    for value in found.values:
        assert value.rule.startswith("json:")
        again = number(jmespath.search(value.rule.removeprefix("json:"), parsed))
        assert again is not None, value
        if value.value is None:
            assert not math.isfinite(again)
        else:
            assert again == value.value, value
