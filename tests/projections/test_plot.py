"""
The results plot: drawn from the log, byte-identical on rebuild, linked from the results file,
and simply absent without matplotlib.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from bridge import Bridge, Stage
from bridge.cli import main
from bridge.projections import plot
from bridge.testing import FakeBackend
from tests.pipeline.test_ablations import QUICKSTART, _outcome

pytest.importorskip("matplotlib", reason="the plots extra is not installed")


@pytest.fixture
def collected(tmp_path: Path) -> Path:
    """The quickstart collected (scripted outcomes), with its projections on disk."""
    project = Path(
        shutil.copytree(QUICKSTART, tmp_path / "q", ignore=shutil.ignore_patterns(".bridge"))
    )
    bridge = Bridge(project, backend=FakeBackend(_outcome))
    try:
        assert bridge.run() is Stage.COLLECTED
    finally:
        bridge.close()
    return project


class TestPlot:
    def test_png_written_linked_and_rebuilt_identically(self, collected: Path) -> None:
        """results.png is a PNG, linked from the results file, and rebuild gives the same bytes."""
        png = collected / "refine-logs" / "results.png"
        first = png.read_bytes()
        assert first.startswith(b"\x89PNG\r\n\x1a\n")
        assert "](results.png)" in (collected / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
        assert "refine-logs/results_" in (collected / "MANIFEST.md").read_text()
        png.unlink()
        plot._draw.cache_clear()  # drawn again, not the same process's figure: bytes are stable
        assert main(["rebuild", "--project", str(collected)]) == 0
        assert png.read_bytes() == first
        assert main(["verify", "--project", str(collected)]) == 0

    def test_the_docs_say_what_is_drawn_and_linked(self, collected: Path) -> None:
        """results-format.md said the plot "is not produced in this version" and "Nothing links
        to it" (trial H): it describes the link and the manifest row bridge writes."""
        docs = (Path(__file__).resolve().parents[2] / "docs" / "results-format.md").read_text()
        results = (collected / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text()
        (link,) = [line for line in results.splitlines() if line.endswith("](results.png)")]
        assert f"`{link}`" in docs
        assert "refine-logs/results.png" in (collected / "MANIFEST.md").read_text()
        assert "`MANIFEST.md` lists it" in docs
        assert "not produced in this version" not in docs
        assert "(mean ± std over seeds)`" in docs  # the title each panel has

    def test_the_same_series_is_drawn_once_per_process(self, collected: Path) -> None:
        """A second rendering of the same results reuses the figure (0.4 s of drawing)."""
        bridge = Bridge(collected)
        try:
            state = bridge.status()
        finally:
            bridge.close()
        plot._draw.cache_clear()
        first = plot.render(state)
        second = plot.render(state)
        assert second == first == (collected / "refine-logs" / "results.png").read_bytes()
        assert (plot._draw.cache_info().misses, plot._draw.cache_info().hits) == (1, 1)

    def test_series_are_the_metric_each_criterion_judges_per_system(self, collected: Path) -> None:
        """Each block's bars are its systems' mean of the metric its criterion judges: B1's
        accuracy, B2's macro_f1 (every block plotted the key metric, accuracy: trial C)."""
        bridge = Bridge(collected)
        try:
            drawn = plot.series(bridge.status())
        finally:
            bridge.close()
        series = {block: {s: m for s, m, _ in bars} for block, _, bars in drawn}
        metrics = {block: metric for block, metric, _ in drawn}
        assert series["B1"]["Majority baseline"] == pytest.approx(0.3333)
        assert series["B1"]["Logistic regression"] == pytest.approx(0.95)
        assert metrics["B1"] == "accuracy"
        assert metrics["B2"] == "macro_f1"

    def test_without_matplotlib_nothing_is_drawn(
        self, collected: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """With matplotlib unimportable the renderer draws nothing and the results do not link."""
        monkeypatch.setitem(sys.modules, "matplotlib", None)
        bridge = Bridge(collected)
        try:
            state = bridge.status()
        finally:
            bridge.close()
        assert not plot.available()
        assert plot.render(state) == b""
        from bridge.projections import results

        assert "results.png" not in results.render(state)


def test_chinese_names_drawn_without_glyph_warnings() -> None:
    """A Chinese plan's systems are drawn with a CJK font when one is installed; without one,
    matplotlib's per-glyph warnings are not printed into bridge run's output."""
    import warnings

    drawn = (("B1", "accuracy", (("基线", 0.86, 0.01), ("本方法（我们的）", 0.91, 0.01))),)
    plot._draw.cache_clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = plot._draw(drawn)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []
    assert plot.cjk_font() in ("", *plot._CJK_FONTS)


def test_systems_named_by_a_sentence_drawn_without_layout_warnings() -> None:
    """023 names systems by sentences; their labels are cut to 40 characters, so the layout
    fits, and no matplotlib warning reaches bridge run's output."""
    import warnings

    long_name = (
        "capacity-matched VanillaFilter：获得同一个 `z_obs/z_pred/q/staleness` 与额外 encoder "
        "forward，但隐式融合；与 residual update 参数/FLOPs差 ≤5%"
    )
    drawn = (
        ("B2", "gain_auc", ((long_name, 0.61, 0.02), ("aligned residual update", 0.64, 0.01))),
    )
    plot._draw.cache_clear()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = plot._draw(drawn)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert [str(w.message) for w in caught] == []
    assert plot._label(long_name) == long_name[:20].rstrip() + "…" + long_name[-19:].lstrip()
    assert len(plot._label(long_name)) <= 40
    assert plot._label("aligned residual update") == "aligned residual update"
    # Names differing only at their end stay apart.
    common = "a long shared description of the variant with setting "
    assert plot._label(common + "K=4") != plot._label(common + "K=8")
