"""
A superlative over the block's systems: "Ours has the lowest latency", "Ours achieves the best
accuracy among all methods", «Ours 在所有方法中准确率最高», «Ours 取得最高准确率». Read as what
it says, the subject compared with each other system of the block, one comparison each ("Ours
has lower latency than Base"), which way the word says: "lowest", "smallest", «最低», «最小»
lower; "highest", "largest", «最高», «最大» higher; "best", «最好», «最优», «最佳» better, as the
metric is. The subject is a system of the block and nothing more ("Ours has the second best
accuracy" is none), and the metric's words its name (:func:`names_metric`: "the smallest accuracy
drop" is not accuracy).

This module only reads the sentence (:func:`read_superlative`) and writes each comparison
(:func:`comparison_text`); the parser reads those as it reads any comparison, so the clauses are
the ones a researcher could have written.
"""

from __future__ import annotations

import re

import attrs

from bridge.lazy_patterns import lazy
from bridge.plan.metric_names import SYNONYMS, metric_key

__all__ = ["Superlative", "comparison_text", "names_metric", "read_superlative"]


@attrs.frozen
class Superlative:
    """
    A sentence that says its subject is the most of a metric among the block's systems.

    Attributes:
        subject: the words naming the subject, as written.
        metric: the words naming the metric, as written.
        way: ``"lower"``, ``"higher"`` or ``"better"``, from the superlative.
        word: the superlative as written ("lowest", «最高»), for the note.
        chinese: whether the sentence is Chinese (the comparisons are written in Chinese too).
    """

    subject: str
    metric: str
    way: str
    word: str
    chinese: bool


_WAYS = {
    "lowest": "lower", "smallest": "lower", "highest": "higher", "largest": "higher",
    "best": "better", "最低": "lower", "最小": "lower", "最高": "higher", "最大": "higher",
    "最好": "better", "最优": "better", "最佳": "better",
}  # fmt: skip
# Over all the systems, said or not: "among all methods", "of all systems", "across all the
# compared systems". Not "among the baselines", "of all variants": those are some of them, which
# ones the block does not say.
_OVER_ALL = (
    r"(?:\s*,?\s+(?:among|of|across|over)\s+(?:all\s+)?(?:the\s+)?(?:(?:compared|evaluated)\s+)?"
    r"(?:methods|systems|models|approaches))?"
)
# A word of the metric's name: not one going on with the sentence ("highest accuracy and lower
# latency" is two clauses, "lowest latency on GPU" a condition).
_WORD = r"(?!(?:and|or|but|while|whereas|with|than|vs|versus|at|on|in|for|under)\b)[A-Za-z][\w@/-]*"
_ENGLISH = lazy(
    r"^\s*(?P<subject>[^\s,;:]+(?:\s+[^\s,;:]+){0,3}?)\s+(?:(?:has|have|achieves?|attains?|"
    r"obtains?|gets?|reaches?|shows?|yields?|gives?|delivers?|records?|is|are)\s+)?(?:the\s+)?"
    r"(?P<word>lowest|highest|best|smallest|largest)\s+"
    rf"(?P<metric>{_WORD}(?:\s+{_WORD}){{0,3}}?)"
    rf"{_OVER_ALL}\s*\.?\s*$",
    # Case-insensitive words; the subject and the metric keep their spelling.
    re.IGNORECASE,
)
_ZH_OVER_ALL = r"(?:在(?:所有|全部|各)(?:方法|系统|模型)中\s*)"
# Not a negation in the subject's or the metric's words: «Ours 的准确率不是最高» took «准确率不是»
# as the metric and read «最高» alone (review h43R1, item 3).
_ZH_NOT = "不非没未无"
_CHINESE = lazy(
    rf"^\s*(?P<subject>[^\s，,；;：:{_ZH_NOT}]+?)\s*{_ZH_OVER_ALL}?(?:的)?\s*"
    rf"(?P<metric>[^\s，,；;：:。{_ZH_NOT}]+?)\s*{_ZH_OVER_ALL}?(?P<word>最低|最小|最高|最大|最好|最优|最佳)"
    r"\s*[。.]?\s*$"
)
# The superlative before the metric: «Ours 取得最高准确率» («Ours 在所有方法中延迟最低» is
# above). «最优» only after a verb («取得最优准确率»): right before a noun it names the optimum
# (018's «最优动作概率», the probability of the optimal action; «最优解»).
_CHINESE_BEFORE = lazy(
    rf"^\s*(?P<subject>[^\s，,；;：:{_ZH_NOT}]+?)\s*{_ZH_OVER_ALL}?"
    r"(?:(?:取得|达到|获得|具有|有)?了?\s*(?P<word>最低|最小|最高|最大|最好|最佳)"
    r"|(?:取得|达到|获得|具有)了?\s*(?P<optimum>最优))"
    r"的?\s*(?P<metric>[^\s，,；;：:。]+?)\s*[。.]?\s*$"
)
# A number or a comparison: a threshold the sentence holds besides ("lowest latency, ≤ 10 ms").
# Not a digit inside a name ("macro F1", "top-1 accuracy", "Recall@10").
_NUMBER = lazy(r"(?<![A-Za-z_@-])\d|[<>≤≥=%％]")


def read_superlative(text: str) -> Superlative | None:
    """
    The superlative ``text`` says of its subject, or ``None`` where it says none as a whole
    sentence (a number in it, another clause, a part of the systems: "the best of the
    baselines").
    """
    if _NUMBER.search(text):
        return None
    for pattern, chinese in ((_ENGLISH, False), (_CHINESE, True), (_CHINESE_BEFORE, True)):
        found = pattern.match(text)
        if found is not None:
            word = found.group("word") or found.group("optimum")
            return Superlative(
                subject=found.group("subject").strip(),
                metric=found.group("metric").strip(),
                way=_WAYS[word.lower()],
                word=word,
                chinese=chinese,
            )
    return None


def names_metric(written: str, metric: str) -> bool:
    """Whether the superlative's metric words ``written`` name ``metric`` (the metric its
    comparison was read on) and nothing more: the same name, or a spelling of it in
    :data:`SYNONYMS` («准确率» is accuracy). Not "accuracy drop", "latency overhead", "accuracy
    among federated methods": more words than the recorded name inside them."""
    key = metric_key(written)
    if key == metric_key(metric):
        return True
    return any(
        key in keys and metric_key(metric) in keys
        for keys in ({metric_key(s) for s in group} for group in SYNONYMS)
    )


def comparison_text(said: Superlative, other: str) -> str:
    """The comparison of ``said``'s subject with the system ``other``, as a sentence ("Ours has
    lower latency than Base", «Ours 的准确率高于 Base»)."""
    if said.chinese:
        verb = {"lower": "低于", "higher": "高于", "better": "优于"}[said.way]
        return f"{said.subject} 的{said.metric}{verb} {other}"
    return f"{said.subject} has {said.way} {said.metric} than {other}"
