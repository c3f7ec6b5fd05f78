"""
``MANIFEST.md``: one row for every version bridge kept of a file, from the ``OutputWritten``
events that name a timestamped copy.
"""

from __future__ import annotations

from collections.abc import Sequence

from bridge.events.types import OutputWritten
from bridge.projections.markdown import table
from bridge.projections.text import t

__all__ = ["HEADER", "PATH", "render"]

#: Where the manifest is written, relative to the project root.
PATH = "MANIFEST.md"
HEADER = ("Timestamp", "Skill", "File", "Version", "Stage", "Description")

# The descriptions bridge records for its own files (bridge/projections/writer.py), in Chinese.
# The log keeps the English; a description not here (an embedder's projection) is shown as
# recorded.
_DESCRIPTIONS_ZH = {
    "run tracker: every run's status and notes": "运行追踪表：每个运行的状态与备注",
    "results: milestones, criteria, verdicts, summary and next step": (
        "结果：里程碑、成功标准、判定、总结与下一步"
    ),
    "machine-readable results: every value with its source file and sha256": (
        "机器可读的结果：每个数值及其来源文件与 sha256"
    ),
    "machine-readable metric values, one row each, with provenance": (
        "机器可读的指标值，每行一个，附来源"
    ),
    "code review: implementations, reviews and rescue diagnoses": "代码评审：实现、评审与救援诊断",
    "plot: the key metric per system per block, mean ± std over seeds": (
        "图：每个实验块每个系统的关键指标，各种子的均值 ± 标准差"
    ),
    "compact log: one entry per finished run with its command": (
        "精简日志：每个结束的运行一条，附其命令"
    ),
}


def render(outputs: Sequence[OutputWritten], language: str = "en") -> str:
    """
    Render the manifest from ``OutputWritten`` events in log order: one row per version, with
    the fixed file name and its timestamped copy. Writes of the fixed file that kept no copy
    are in the log but not here. In ``language`` ``"zh"`` the title and bridge's own
    descriptions are Chinese.

    The header is machine-read and never translated.
    """
    zh = language == "zh"
    body = [
        (
            out.timestamp,
            out.skill,
            out.path,
            out.copy,
            out.stage,
            _DESCRIPTIONS_ZH.get(out.description, out.description) if zh else out.description,
        )
        for out in outputs
        if out.copy
    ]
    return "\n".join([f"# {t('manifest_title', language)}", "", table(HEADER, body), ""])
