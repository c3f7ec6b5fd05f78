"""
What a judgment says: the verdict kinds, who decided, the evaluation types and what each allows
to be claimed, one block's :class:`Verdict`, and the main milestone's result. Pure: no I/O.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping

import attrs

from bridge.errors import ConfigError
from bridge.value_methods import value_methods

__all__ = [
    "EvaluationType",
    "JudgedBy",
    "MainResult",
    "Verdict",
    "VerdictKind",
    "claim_scope",
    "main_result",
]


class EvaluationType(enum.Enum):
    """
    What the block's numbers are measured against (``bridge.toml``; ``real_gt`` by default).
    """

    REAL_GT = "real_gt"
    SYNTHETIC_PROXY = "synthetic_proxy"
    SELF_SUPERVISED_PROXY = "self_supervised_proxy"
    SIMULATION_ONLY = "simulation_only"
    HUMAN_EVAL = "human_eval"


class VerdictKind(enum.Enum):
    """
    A block's verdict.
    """

    MET = "met"
    NOT_MET = "not_met"
    INCONCLUSIVE = "inconclusive"


class JudgedBy(enum.Enum):
    """
    Who decided: the rules of this module, or a reviewer (a judgment, not a measurement).
    """

    RULE = "rule"
    REVIEWER = "reviewer"


class MainResult(enum.Enum):
    """
    The main milestone's result.
    """

    POSITIVE = "positive"
    NEGATIVE = "negative"
    INCONCLUSIVE = "inconclusive"


_CLAIM_SCOPE: Mapping[EvaluationType, tuple[str, str]] = {
    EvaluationType.REAL_GT: (
        "Measured against ground truth: the results can support claims about the method on the "
        "evaluated data and metrics.",
        "基于真实标注评测：结果可支持关于该方法在所评测数据与指标上的结论。",
    ),
    EvaluationType.SYNTHETIC_PROXY: (
        "Measured on synthetic data or a proxy task: claims are limited to that proxy; "
        "performance on real data is not shown.",
        "基于合成数据或代理任务：结论仅限于该代理设定，不能说明在真实数据上的表现。",
    ),
    EvaluationType.SELF_SUPERVISED_PROXY: (
        "Measured with a self-supervised or model-derived signal, not ground truth: claims are "
        "limited to agreement with that signal.",
        "基于自监督或模型生成的信号而非真实标注：结论仅限于与该信号的一致性。",
    ),
    EvaluationType.SIMULATION_ONLY: (
        "Measured in simulation only: claims hold for the simulator; transfer to the real "
        "system is not shown.",
        "仅基于仿真：结论只在仿真环境中成立，未证明可迁移到真实系统。",
    ),
    EvaluationType.HUMAN_EVAL: (
        "Measured by human evaluation: claims rest on the raters' judgments; the protocol, the "
        "number of raters and their agreement must be reported with them.",
        "基于人工评测：结论依赖评测者的判断，须同时报告评测流程、评测人数与一致性。",
    ),
}


def claim_scope(evaluation_type: EvaluationType, *, language: str = "en") -> str:
    """
    Say what results of this evaluation type allow to be claimed.

    Args:
        evaluation_type: the block's evaluation type.
        language: ``"en"`` or ``"zh"``.

    Returns:
        One sentence for the results file.

    Raises:
        ConfigError: an unknown language (setting ``language``).
    """
    en, zh = _CLAIM_SCOPE[evaluation_type]
    if language == "en":
        return en
    if language == "zh":
        return zh
    msg = f"language must be 'en' or 'zh', not {language!r}"
    raise ConfigError(msg, setting="language")


@value_methods
@attrs.frozen(kw_only=True, eq=False, repr=False)
class Verdict:
    """
    A block's verdict on its success criterion.

    Attributes:
        verdict: met, not met or inconclusive.
        reason: why, with the numbers compared (or what is missing).
        evaluation_type: what the numbers were measured against.
        judged_by: the rules, or a reviewer (a judgment).
        criterion: the criterion's text as the plan wrote it.
        measured: the quantity compared with the threshold (the smallest gain for an ablation),
            ``None`` when nothing was compared.
    """

    verdict: VerdictKind
    reason: str
    evaluation_type: EvaluationType = EvaluationType.REAL_GT
    judged_by: JudgedBy = JudgedBy.RULE
    criterion: str = ""
    measured: float | None = None


def main_result(verdicts: Iterable[Verdict]) -> MainResult:
    """
    Decide the main milestone's result from its blocks' verdicts.

    Args:
        verdicts: the verdicts of the main milestone's blocks.

    Returns:
        ``NEGATIVE`` when any block's criterion was not met; ``POSITIVE`` when there is at
        least one verdict and all were met; ``INCONCLUSIVE`` otherwise (no verdicts, or some
        inconclusive and none failed).
    """
    kinds = [v.verdict for v in verdicts]
    if VerdictKind.NOT_MET in kinds:
        return MainResult.NEGATIVE
    if kinds and all(k is VerdictKind.MET for k in kinds):
        return MainResult.POSITIVE
    return MainResult.INCONCLUSIVE
