"""
Tests that docs/events.md documents every registered event type and is current.
"""

from __future__ import annotations

import attrs
import pytest

from bridge.events.types import EVENT_TYPES
from tests.conftest import REPO_ROOT

DOC = REPO_ROOT / "docs" / "events.md"


def _section(text: str, tag: str) -> str:
    start = text.index(f"\n### {tag}\n")
    end = text.find("\n### ", start + 1)
    return text[start : end if end != -1 else len(text)]


class TestEventsDoc:
    @pytest.mark.parametrize("tag", sorted(EVENT_TYPES))
    def test_every_type_has_a_section_listing_its_fields(self, tag: str) -> None:
        """Each registered tag has its own section naming its class, version and every field."""
        text = DOC.read_text(encoding="utf-8")
        assert f"\n### {tag}\n" in text, f"{tag} is not documented in docs/events.md"
        version, cls = EVENT_TYPES[tag]
        section = _section(text, tag)
        assert f"`{cls.__name__}`, schema version {version}." in section
        for field in attrs.fields(cls):
            assert f"| `{field.name}` |" in section, f"{tag}.{field.name} is not documented"

    def test_page_is_what_the_generator_writes(self) -> None:
        """The committed page equals scripts/gen_events_doc.py's output (regenerate if not)."""
        import importlib.util

        spec = importlib.util.spec_from_file_location(
            "gen_events_doc", REPO_ROOT / "scripts" / "gen_events_doc.py"
        )
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        assert DOC.read_text(encoding="utf-8") == module.render(), (
            "docs/events.md is stale: run python scripts/gen_events_doc.py"
        )
