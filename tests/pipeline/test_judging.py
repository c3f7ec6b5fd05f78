"""
A configured reviewer judges the criteria the rules cannot check, at collection, through the
loopback OpenAI-compatible server; rule verdicts are never sent and never replaced.
"""

from __future__ import annotations

import json
from pathlib import Path

from bridge import Bridge, Stage
from tests.adapters.review.conftest import ScriptedOpenAI
from tests.pipeline.conftest import Run, write_project

RUNS = [Run(id="S1", milestone="M0", system="sanity"), Run(id="R1", milestone="M1")]
VAGUE = "the main system shows a meaningful accuracy, and the outputs look sane."


def _project(root: Path, server: ScriptedOpenAI | None, criterion: str) -> None:
    reviewer = (
        f'[reviewer]\nkind = "openai"\nbase_url = "{server.base_url}"\nmodel = "judge-1"\n'
        'reasoning_effort = ""\n'
        if server is not None
        else ""
    )
    write_project(root, RUNS, extra=reviewer)
    plan = root / "refine-logs" / "EXPERIMENT_PLAN.md"
    text = plan.read_text(encoding="utf-8")
    head, sep, tail = text.partition("### Block 1")
    plan.write_text(head + sep + tail.replace("accuracy > 0.5.", criterion, 1), encoding="utf-8")


def _run(root: Path) -> tuple[Stage, dict[str, str]]:
    bridge = Bridge(root)
    try:
        stage = bridge.run()
    finally:
        bridge.close()
    data = json.loads((root / "refine-logs" / "results.json").read_text(encoding="utf-8"))
    block = next(b for b in data["blocks"] if b["block"] == "B1")
    return stage, block


class TestReviewerJudgesCriteria:
    def test_declined_criterion_is_judged_by_the_reviewer(
        self, project: Path, openai_server: ScriptedOpenAI
    ) -> None:
        """The reviewer's verdict, reasoning and model are recorded and shown as its judgment."""
        openai_server.script = [("reply", "VERDICT: MET\nREASONING: accuracy 0.9 on R1.")]
        _project(project, openai_server, VAGUE)
        stage, block = _run(project)
        assert stage is Stage.COLLECTED
        assert len(openai_server.requests) == 1  # B0's "accuracy > 0.5" is a rule's to judge
        sent = openai_server.requests[0]["body"]["messages"][1]["content"]
        assert VAGUE in sent and "main | accuracy: 0.9 (n=1; runs R1)" in sent
        assert (block["verdict"], block["judged_by"]) == ("met", "reviewer")
        assert "judged by the reviewer (openai, model judge-1)" in block["reason"]
        results = (project / "refine-logs" / "EXPERIMENT_RESULTS.md").read_text(encoding="utf-8")
        assert "judged by reviewer" in results

    def test_judged_once_for_the_same_numbers(
        self, project: Path, openai_server: ScriptedOpenAI
    ) -> None:
        """Advancing again at COLLECTED does not ask the reviewer again."""
        openai_server.script = [("reply", "VERDICT: NOT_MET\nREASONING: no.")]
        _project(project, openai_server, VAGUE)
        _run(project)
        stage, block = _run(project)
        assert stage is Stage.COLLECTED and len(openai_server.requests) == 1
        assert block["verdict"] == "not_met"

    def test_a_reviewer_added_after_collection_judges_on_the_next_run(
        self, project: Path, openai_server: ScriptedOpenAI
    ) -> None:
        """A project collected without a reviewer; the researcher adds [reviewer]; the next
        `bridge run` asks it about the declined criterion, without running anything again."""
        openai_server.script = [("reply", "VERDICT: MET\nREASONING: accuracy 0.9 on R1.")]
        _project(project, None, VAGUE)
        _stage, block = _run(project)
        assert block["verdict"] == "inconclusive"
        with (project / "bridge.toml").open("a", encoding="utf-8") as toml:
            toml.write(
                f'\n[reviewer]\nkind = "openai"\nbase_url = "{openai_server.base_url}"\n'
                'model = "judge-1"\nreasoning_effort = ""\n'
            )
        stage, block = _run(project)
        assert stage is Stage.COLLECTED and len(openai_server.requests) == 1
        assert (block["verdict"], block["judged_by"]) == ("met", "reviewer")

    def test_a_rule_verdict_is_not_sent(self, project: Path, openai_server: ScriptedOpenAI) -> None:
        """A criterion the rules decide is never sent; the rule's verdict stands."""
        _project(project, openai_server, "accuracy > 0.95.")
        _stage, block = _run(project)
        assert openai_server.requests == []
        assert (block["verdict"], block["judged_by"]) == ("not_met", "rule")

    def test_without_a_reviewer_it_stays_inconclusive_with_the_reason(self, project: Path) -> None:
        """No reviewer configured: inconclusive, saying why and that no reviewer judged it."""
        _project(project, None, VAGUE)
        _stage, block = _run(project)
        assert block["verdict"] == "inconclusive"
        assert "not machine-checkable" in block["reason"]
        assert "no reviewer has judged it" in block["reason"]

    def test_an_unreachable_reviewer_is_recorded_as_inconclusive(
        self, project: Path, openai_server: ScriptedOpenAI
    ) -> None:
        """A reviewer that answers badly leaves an inconclusive judgment saying why."""
        openai_server.script = [("reply", "Sure, looks fine!")]
        _project(project, openai_server, VAGUE)
        _stage, block = _run(project)
        assert block["verdict"] == "inconclusive"
        assert "the reviewer gave no judgment: malformed judgment" in block["reason"]


def test_a_metric_name_an_alias_connects_is_read_in_the_criterion(tmp_path: Path) -> None:
    """018: "每域最优动作概率均超过 0.8" names a metric the plan's Metrics list spells otherwise;
    bridge suggested an alias, and with it the clause still had "no metric". The alias's names
    are metric names of the criterion too, so the recorded accuracy (0.9) judges it."""
    project = tmp_path / "p"
    _project(project, None, "每域最优动作概率均超过 0.8")
    toml = project / "bridge.toml"
    toml.write_text(toml.read_text() + '\n[metrics]\naliases = { accuracy = "每域最优动作概率" }\n')
    bridge = Bridge(project)
    try:
        assert bridge.run() is Stage.COLLECTED
    finally:
        bridge.close()
    data = json.loads((project / "refine-logs" / "results.json").read_text())
    block = next(b for b in data["blocks"] if b["runs"] == ["R1"])
    assert block["verdict"] == "met", block["reason"]


def test_a_metric_only_a_sanity_run_recorded_says_so(tmp_path: Path) -> None:
    """009: B1's criterion was about the coverage the sanity run R001 recorded; the verdict
    said only "metric … not found". It now names the sanity run and why its numbers are not
    the block's."""
    project = _coverage_on_the_sanity_run_only(tmp_path)
    stage, block = _run(project)
    assert stage is Stage.COLLECTED
    assert block["verdict"] == "inconclusive"
    assert block["reason"].endswith(
        "; a sanity run recorded it: R001 (coverage), and a sanity run's numbers check the "
        "pipeline, not a block"
    )


def test_a_sanity_note_follows_a_metric_list_with_parentheses(tmp_path: Path) -> None:
    """A metric named with parentheses (`acc(top1)`) in the block's extracted list: the note on
    the sanity run that recorded the criterion's metric landed inside the list, after
    `acc(top1)`, as the list was read up to its first ")"."""
    project = _coverage_on_the_sanity_run_only(tmp_path)
    script = project / "train.py"
    script.write_text(
        script.read_text().replace('{"accuracy": acc}', '{"accuracy": acc, "acc(top1)": acc}')
    )
    stage, block = _run(project)
    assert stage is Stage.COLLECTED
    assert block["verdict"] == "inconclusive"
    assert (
        "(extracted: acc(top1), accuracy); a sanity run recorded it: R001 (coverage)"
        in (block["reason"])
    ), block["reason"]


def _coverage_on_the_sanity_run_only(tmp_path: Path) -> Path:
    """The tiny project judged on "coverage ≥ 0.95", a metric only its sanity run R001 records
    (a `[[runs]]` command writing coverage 1.0)."""
    from tests.e2e.tiny import write_project as tiny

    project = tiny(tmp_path / "p")
    plan = project / "refine-logs" / "EXPERIMENT_PLAN.md"
    plan.write_text(
        plan.read_text().replace("Method accuracy > 10% over Baseline", "coverage ≥ 0.95")
    )
    toml = project / "bridge.toml"
    (project / "cover.py").write_text(
        "import json, sys\njson.dump({'coverage': 1.0}, open(sys.argv[1] + '/metrics.json', 'w'))\n"
    )
    toml.write_text(
        toml.read_text()
        + '\n[[runs]]\nid = "R001"\ncommand = ["python3", "cover.py", "{output_dir}"]\n'
    )
    return project
