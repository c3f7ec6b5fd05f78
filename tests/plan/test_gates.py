"""
A plan's decision gates and stop rules, read from plan texts written here (no corpus needed):
``## Decision Gates`` as a list or a fenced block, a Chinese heading, and code under a stop
heading, which is no rule.
"""

from __future__ import annotations

from bridge.plan.gates import exit_criteria, stop_rules
from bridge.plan.text import Document


def _rules(body: str, heading: str = "Decision Gates") -> tuple[str, ...]:
    """The stop rules, or exit criteria, of a plan whose only section is ``heading`` over
    ``body``."""
    doc = Document(f"# P\n\n## {heading}\n\n{body}", "p.md")
    return stop_rules(doc) + exit_criteria(doc)


def test_a_decision_gates_list_is_a_rule_per_item() -> None:
    """030's form: a list of "If …" items, each a rule."""
    assert _rules("- If chat only, add a schema.\n- If cost > 2x, stop.\n") == (
        "If chat only, add a schema.",
        "If cost > 2x, stop.",
    )


def test_a_fenced_decision_gates_block_is_a_rule_per_paragraph() -> None:
    """033's form: a fenced block, a paragraph per gate, its lines joined by "; "; the fence
    markers are no rule's words."""
    assert _rules(
        "```\nAfter Week 1: Exp 1 gate\n  JS ≤ 0.15 → proceed\n\nAfter Week 2: gate 2\n"
        "  net < 0 → stop\n```\n"
    ) == ("After Week 1: Exp 1 gate; JS ≤ 0.15 → proceed", "After Week 2: gate 2; net < 0 → stop")


def test_a_chinese_decision_gates_heading() -> None:
    """A numbered Chinese heading ("五、决策门") is the decision gates."""
    assert _rules("- 若 KC < 40%，停止。\n", "五、决策门") == ("若 KC < 40%，停止。",)


def test_code_under_a_stop_heading_is_no_rule() -> None:
    """A fenced snippet under Kill Criteria or Stop rules is a command, not a rule: it was quoted
    as one (`python check.py --max-loss 5`). A block tagged with a language under Decision Gates
    is code too; an untagged one there stays the gates."""
    code = "```bash\npython check.py --max-loss 5\n```\n"
    assert _rules(f"- Stop if loss > 5.\n\n{code}", "Kill Criteria") == ("Stop if loss > 5.",)
    untagged = "```\npython check.py --max-loss 5\n```\n"
    assert _rules(f"- Stop if loss > 5.\n\n{untagged}", "Stop rules") == ("Stop if loss > 5.",)
    assert _rules(f"- If loss > 5, stop.\n\n{code.replace('bash', 'python')}") == (
        "If loss > 5, stop.",
    )


def test_exit_criteria_keep_the_sentence_that_says_what_they_end() -> None:
    """Under Exit Criteria (036's) the sentence before the list says what the items are the
    exit of, so it is a rule of its own; under a stop heading it only introduces the list."""
    body = "论文初稿就绪的条件：\n\n- A 仍是最佳。\n- 敏感性检查已记录。\n"
    rules = ("A 仍是最佳。", "敏感性检查已记录。")
    assert _rules(body, "退出条件") == ("论文初稿就绪的条件：", *rules)
    assert _rules(body, "停止规则") == rules
    # Each under its own name: exit criteria say when the work is done, not when to give up.
    both = Document(f"# P\n\n## 停止规则\n\n- 损失 > 5。\n\n## 退出条件\n\n{body}", "p.md")
    assert stop_rules(both) == ("损失 > 5。",)
    assert exit_criteria(both) == ("论文初稿就绪的条件：", *rules)
