"""
``refine-logs/results.png``: the key metric per system per block, mean over seeds with a
standard-deviation error bar. Needs the optional ``plots`` extra (matplotlib).

Pure like every projection: the figure is drawn from the folded state with matplotlib's
object-oriented API (no global backend or style is touched) and saved without a timestamp or
version in its metadata, so the same state gives the same bytes. Without matplotlib, or with
nothing to plot, or before the runs are collected, the renderer returns no bytes and the file
is not written.
"""

from __future__ import annotations

import functools
import io
import math

from bridge.machine.fold import PipelineState
from bridge.machine.stages import Stage
from bridge.projections.outcome import evaluate

__all__ = ["PATH", "available", "render", "series", "shown"]

PATH = "refine-logs/results.png"


def available() -> bool:
    """
    True when matplotlib can be imported (the ``plots`` extra is installed).
    """
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def series(state: PipelineState) -> list[tuple[str, str, list[tuple[str, float, float]]]]:
    """
    Per block: (block id, metric, [(system, mean, std)]) for the key metric, plan order.
    """
    key = next(
        (r.metrics.key_metric for r in state.runs.values() if r.metrics and r.metrics.key_metric),
        "",
    )
    if not key:
        return []
    out = []
    for result in evaluate(state).blocks:
        bars = [
            (agg.system, agg.mean, agg.std or 0.0)
            for agg in result.aggregates
            if agg.metric == key and agg.mean is not None and math.isfinite(agg.mean)
        ]
        if bars:
            out.append((result.block.id, key, bars))
    return out


def shown(state: PipelineState) -> bool:
    """
    True when the plot is drawn: matplotlib is there, the runs are collected (a plot of half
    the results would be redrawn at every refresh and read as final), and there are numbers.
    """
    return (
        state.plan is not None
        and state.stage is Stage.COLLECTED
        and bool(series(state))
        and available()  # last: importing matplotlib takes a quarter of a second
    )


def render(state: PipelineState, language: str = "en") -> bytes:
    """
    Draw the figure; ``b""`` when it is not :func:`shown`.
    """
    if not shown(state):
        return b""
    drawn = series(state)
    if not drawn:
        return b""
    return _draw(tuple((block, metric, tuple(bars)) for block, metric, bars in drawn))


@functools.lru_cache(maxsize=4)
def _draw(drawn: tuple[tuple[str, str, tuple[tuple[str, float, float], ...]], ...]) -> bytes:
    # The figure is a pure function of the plotted series: a `bridge run` that reaches COLLECTED
    # renders the projections twice (at the stage, and where it hands the project back), and a
    # drawing costs about 0.4 s of CPU.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = len(drawn)
    height = sum(0.45 * len(bars) + 0.9 for _, _, bars in drawn)
    figure = Figure(figsize=(8.0, max(height, 2.0)), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.subplots(rows, 1, squeeze=False)
    for (block, metric, bars), (ax,) in zip(drawn, axes, strict=True):
        names = [name for name, _, _ in bars]
        ax.barh(
            range(len(bars)),
            [mean for _, mean, _ in bars],
            xerr=[std for _, _, std in bars],
            color="#4c72b0",
            ecolor="#222222",
            capsize=3,
        )
        ax.set_yticks(range(len(bars)), labels=names, fontsize=8)
        ax.invert_yaxis()
        ax.set_title(f"{block}: {metric} (mean ± std over seeds)", fontsize=9, loc="left")
        ax.tick_params(axis="x", labelsize=8)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()
