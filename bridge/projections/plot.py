"""
``refine-logs/results.png``: the key metric per system per block, mean over seeds with a
standard-deviation error bar. Needs the optional ``plots`` extra (matplotlib).

Pure like every projection: the figure is drawn from the folded state with matplotlib's
object-oriented API (no global backend or style is touched) and saved without a timestamp or
version in its metadata, so the same state gives the same bytes. Without matplotlib, or with
nothing to plot, or before the runs are collected, the renderer returns no bytes and the file
is not written.

A system or block named in Chinese is drawn with a CJK font when one is installed (matplotlib's
default font has no CJK glyphs and would draw boxes); without one, the boxes are drawn quietly:
matplotlib's warning for each missing glyph is not printed into ``bridge run``'s output.
"""

from __future__ import annotations

import functools
import io
import math
import warnings

from bridge.machine.fold import PipelineState
from bridge.machine.stages import Stage
from bridge.projections.outcome import evaluate

__all__ = ["PATH", "available", "cjk_font", "render", "series", "shown"]

PATH = "refine-logs/results.png"

# Fonts with CJK glyphs, in the order they are preferred (Linux, macOS, Windows).
_CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "PingFang SC",
    "Heiti SC",
    "Microsoft YaHei",
    "SimHei",
    "Arial Unicode MS",
)


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
    Per block: (block id, metric, [(system, mean, std)]) for the metric its criterion judges
    (the first of the block's shown metrics with numbers: the criterion's come first), else the
    key metric, plan order. Every block plotted the key metric: the quickstart's B4, judged on
    train_loss, showed two equal accuracy bars (trial C).
    """
    key = next(
        (r.metrics.key_metric for r in state.runs.values() if r.metrics and r.metrics.key_metric),
        "",
    )
    out = []
    for result in evaluate(state).blocks:
        finite = [
            agg for agg in result.aggregates if agg.mean is not None and math.isfinite(agg.mean)
        ]
        measured = {agg.metric for agg in finite}
        metric = next((m for m in result.shown if m in measured), key)
        bars = [
            (agg.system, agg.mean, agg.std or 0.0)
            for agg in finite
            if agg.metric == metric and agg.mean is not None
        ]
        if bars:
            out.append((result.block.id, metric, bars))
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


@functools.cache
def cjk_font() -> str:
    """
    The name of an installed font with CJK glyphs that matplotlib can use, or ``""``.
    """
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in _CJK_FONTS if name in installed), "")


def _needs_cjk(drawn: tuple[tuple[str, str, tuple[tuple[str, float, float], ...]], ...]) -> bool:
    texts = [
        text for block, metric, bars in drawn for text in (block, metric, *(b[0] for b in bars))
    ]
    return any(ord(ch) > 0x2E7F for text in texts for ch in text)


@functools.lru_cache(maxsize=4)
def _draw(drawn: tuple[tuple[str, str, tuple[tuple[str, float, float], ...]], ...]) -> bytes:
    # The figure is a pure function of the plotted series: a `bridge run` that reaches COLLECTED
    # renders the projections twice (at the stage, and where it hands the project back), and a
    # drawing costs about 0.4 s of CPU.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    # matplotlib's default font first (the same bytes as ever for Latin text), a CJK font
    # behind it for the glyphs it lacks.
    fallback = cjk_font() if _needs_cjk(drawn) else ""
    family = {"fontfamily": ["DejaVu Sans", fallback]} if fallback else {}
    rows = len(drawn)
    height = sum(0.45 * len(bars) + 0.9 for _, _, bars in drawn)
    figure = Figure(figsize=(8.0, max(height, 2.0)), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.subplots(rows, 1, squeeze=False)
    for (block, metric, bars), (ax,) in zip(drawn, axes, strict=True):
        names = [_label(name) for name, _, _ in bars]
        ax.barh(
            range(len(bars)),
            [mean for _, mean, _ in bars],
            xerr=[std for _, _, std in bars],
            color="#4c72b0",
            ecolor="#222222",
            capsize=3,
        )
        ax.set_yticks(range(len(bars)), labels=names, fontsize=8, **family)
        ax.invert_yaxis()
        title = f"{block}: {metric} (mean ± std over seeds)"
        ax.set_title(title, fontsize=9, loc="left", **family)
        ax.tick_params(axis="x", labelsize=8)
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # Without a CJK font a Chinese name is drawn as boxes; the warning for each glyph would
        # otherwise be printed into `bridge run`'s output, once per character.
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font")
        # A label still too wide leaves the layout as it is; the figure is drawn all the same,
        # and the warning would be printed into `bridge run`'s output.
        warnings.filterwarnings("ignore", message=r"Tight layout not applied")
        figure.tight_layout()
        figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


# The widest system name drawn whole. A plan may name a system by a sentence (023's
# "PredRNN-online：reveal 时输入 masked true RGBN + mask，更新 recurrent state 后继续"), which
# leaves no room for the bars; the results page's tables give every name in full.
_LABEL_CHARS = 40


def _label(name: str) -> str:
    """
    ``name`` as drawn beside its bar: at most ``_LABEL_CHARS`` characters, a longer one cut in
    the middle with an ellipsis, so that names differing only at their end (variants written
    as a common description and a setting) stay apart.
    """
    if len(name) <= _LABEL_CHARS:
        return name
    tail = (_LABEL_CHARS - 1) // 2
    return name[: _LABEL_CHARS - 1 - tail].rstrip() + "…" + name[-tail:].lstrip()
