"""
How numbers in JSON are named (issue #13 item 4): named conditions, series, booleans, nesting,
and JMESPath queries from ``[[metrics.extract]]``.
"""

from __future__ import annotations

import json
from pathlib import Path

import jmespath
import pytest

from bridge.adapters.metrics.files import Extraction, MetricsSpec, QueryRule, extract_metrics
from bridge.errors import ConfigError


def extract(tmp_path: Path, document: object, *queries: QueryRule) -> Extraction:
    out = tmp_path / "a1"
    out.mkdir(exist_ok=True)
    path = out / "summary.json"
    path.write_text(json.dumps(document))
    return extract_metrics(
        out,
        project_root=tmp_path,
        run_id="R1",
        attempt_id="a1",
        config=MetricsSpec(files=("*.json",) if not queries else (), queries=queries),
    )


def named(found: Extraction) -> dict[str, float | None]:
    return {v.name: v.value for v in found.values}


def refind(tmp_path: Path, rule: str) -> object:
    """Redo an extraction by hand from its recorded rule (``json:EXPR``)."""
    assert rule.startswith("json:")
    document = json.loads((tmp_path / "a1" / "summary.json").read_text())
    return jmespath.search(rule.removeprefix("json:"), document)


class TestConditions:
    def test_per_condition_objects_are_named_not_a_series(self, tmp_path: Path) -> None:
        """[{mode: full, mrr}, {mode: compact, mrr}] gives mrr[full] and mrr[compact], no
        history, and the last item is not silently "the" value."""
        found = extract(tmp_path, [{"mode": "full", "mrr": 0.38}, {"mode": "compact", "mrr": 0.41}])
        assert named(found) == {"mrr[full]": 0.38, "mrr[compact]": 0.41}
        assert found.histories == ()
        assert "mrr" not in named(found)

    def test_the_rule_is_a_query_that_finds_the_value_again(self, tmp_path: Path) -> None:
        """Every condition's rule is a JMESPath expression giving the same number."""
        found = extract(
            tmp_path,
            {
                "results": [
                    {"system": "A", "eval": {"acc": 0.5}},
                    {"system": "B's", "eval": {"acc": 0.7}},
                ]
            },
        )
        assert named(found) == {"results.eval.acc[A]": 0.5, "results.eval.acc[B's]": 0.7}
        for value in found.values:
            assert refind(tmp_path, value.rule) == value.value

    @pytest.mark.parametrize("key", ["mode", "name", "system", "method", "variant", "split"])
    def test_each_label_key_names_conditions(self, tmp_path: Path, key: str) -> None:
        """The documented label keys all name conditions."""
        found = extract(tmp_path, [{key: "x", "acc": 1}, {key: "y", "acc": 2}])
        assert named(found) == {"acc[x]": 1.0, "acc[y]": 2.0}

    def test_seed_lists_are_labelled_by_seed(self, tmp_path: Path) -> None:
        """Per-seed entries (a fixed "steps" setting in each) read as [seed=N], not a series."""
        found = extract(
            tmp_path,
            {"results": [{"seed": s, "steps": 400, "final": 0.9 + s / 100} for s in range(3)]},
        )
        assert named(found)["results.final[seed=2]"] == pytest.approx(0.92)
        assert named(found)["results.steps[seed=0]"] == 400
        assert found.histories == ()

    def test_one_seeds_record_is_the_runs_own(self, tmp_path: Path) -> None:
        """A run per seed writing `{"results": [{"seed": S, ...}]}`: its numbers keep their names
        (one metric across the block's seeds, where `[seed=S]` made one metric per seed), and
        the rule finds the value again. A one-item list under another label stays a condition."""
        found = extract(tmp_path, {"results": [{"seed": 2, "accuracy": 0.81}]})
        assert named(found) == {"results.accuracy": 0.81}
        (value,) = found.values
        assert refind(tmp_path, value.rule) == 0.81
        found = extract(tmp_path, {"results": [{"mode": "compact", "mrr": 0.4}]})
        assert named(found) == {"results.mrr[compact]": 0.4}

    def test_a_long_unlabelled_table_is_a_problem_not_a_flood(self, tmp_path: Path) -> None:
        """A 200-row table without step or label: not read, and the problem says how to read it."""
        found = extract(tmp_path, {"papers": [{"year": 2000 + i % 20} for i in range(200)]})
        assert found.values == () and found.histories == ()
        (problem,) = found.problems
        assert "papers is a list of 200 objects" in problem.message
        assert "[[metrics.extract]]" in problem.message
        assert not problem.blocking  # a note on a readable file, not a broken output


class TestSeriesAndScalars:
    def test_records_with_a_rising_step_are_a_series(self, tmp_path: Path) -> None:
        """[{step, loss}, ...] is a history per field, steps from the step key."""
        found = extract(
            tmp_path,
            {
                "log": [
                    {"step": 10, "loss": 2.0, "eval": {"acc": 0.1}},
                    {"step": 20, "loss": 1.0, "eval": {"acc": 0.3}},
                ]
            },
        )
        by_name = {h.name: h for h in found.histories}
        assert by_name["log.loss"].steps == (10.0, 20.0)
        assert by_name["log.eval.acc"].values == (0.1, 0.3)
        assert named(found)["log.loss"] == 1.0

    def test_booleans_are_one_and_zero(self, tmp_path: Path) -> None:
        """true/false become 1/0 values a criterion such as "passes" can use."""
        found = extract(tmp_path, {"passed": True, "checks": {"leak": False}})
        assert named(found) == {"passed": 1.0, "checks.leak": 0.0}
        assert {v.raw for v in found.values} == {"true", "false"}

    def test_nested_objects_inside_conditions_are_dotted(self, tmp_path: Path) -> None:
        """Objects inside a condition item flatten with dots before the label."""
        found = extract(
            tmp_path, [{"split": "test", "scores": {"top1": 0.4, "top5": 0.8}, "ok": True}]
        )
        assert named(found) == {"scores.top1[test]": 0.4, "scores.top5[test]": 0.8, "ok[test]": 1.0}


class TestQueries:
    def test_a_query_picks_the_number_the_plan_means(self, tmp_path: Path) -> None:
        """The issue's example: results[?mode=='compact'].mrr | [0] is recorded as mrr."""
        rule = QueryRule(name="mrr", query="results[?mode=='compact'].mrr | [0]", files="*.json")
        found = extract(
            tmp_path,
            {"results": [{"mode": "full", "mrr": 0.38}, {"mode": "compact", "mrr": 0.41}]},
            rule,
        )
        (value,) = found.values
        assert (value.name, value.value) == ("mrr", 0.41)
        assert value.rule == "jmespath:results[?mode=='compact'].mrr | [0]"
        assert value.source == "a1/summary.json"

    def test_a_query_answering_an_object_names_its_fields(self, tmp_path: Path) -> None:
        """An object answer gives NAME.FIELD values; a list of numbers a history."""
        rule = QueryRule(name="best", query="runs | [0]", files="*.json")
        found = extract(tmp_path, {"runs": [{"acc": 0.9, "curve": [1, 2, 3]}]}, rule)
        assert named(found) == {"best.acc": 0.9, "best.curve": 3.0}
        assert [h.name for h in found.histories] == ["best.curve"]

    def test_a_query_that_finds_nothing_is_a_problem(self, tmp_path: Path) -> None:
        """No match is said, with the query, instead of a silently missing metric."""
        rule = QueryRule(name="mrr", query="results[?mode=='tiny'].mrr | [0]", files="*.json")
        found = extract(tmp_path, {"results": []}, rule)
        assert found.values == ()
        assert "found nothing" in found.problems[0].message
        assert "results[?mode=='tiny']" in found.problems[0].message

    def test_a_query_answering_text_is_a_problem(self, tmp_path: Path) -> None:
        """A string answer is not a number and is said to be one."""
        rule = QueryRule(name="m", query="mode", files="*.json")
        found = extract(tmp_path, {"mode": "compact"}, rule)
        assert "gave the text 'compact', not a number" in found.problems[0].message

    def test_a_query_without_a_file_is_a_problem(self, tmp_path: Path) -> None:
        """A query whose file the run did not write says so, as a note: the rule may be meant
        for other runs (a sanity run that writes another file is not broken by it)."""
        rule = QueryRule(name="m", query="a", files="missing.json")
        found = extract(tmp_path, {}, rule)
        assert "no file matches 'missing.json'" in found.problems[0].message
        assert "the rule may be meant for other runs" in found.problems[0].message
        assert not found.problems[0].blocking

    def test_a_scoped_query_without_a_file_says_the_run_is_its_own(self, tmp_path: Path) -> None:
        """A rule whose blocks/runs name this run does not suggest it is meant for others."""
        rule = QueryRule(name="m", query="a", files="missing.json", scoped=True)
        (problem,) = extract(tmp_path, {}, rule).problems
        assert problem.message.endswith(
            "no file matches 'missing.json' in this run's outputs "
            "(a note: the rule's blocks/runs include this run)"
        )
        assert not problem.blocking

    def test_a_bad_query_is_a_config_error(self) -> None:
        """A query that does not compile is refused when the rule is made."""
        with pytest.raises(ConfigError, match="not a valid JMESPath query"):
            QueryRule(name="m", query="results[?mode==", files="x.json")


class TestNumbersWrittenAsText:
    """``json.dump({"accuracy": f"{acc:.4f}"})`` is common: such values were dropped without a
    word, so a block's verdict said "no accuracy" with nothing to say why."""

    def test_each_is_a_note_naming_the_text_and_the_remedy(self, tmp_path: Path) -> None:
        document = {
            "accuracy": "0.9312",
            "f1": "91.2%",
            "eval": {"loss": "1,234.5", "acc": "95.3 ± 0.2"},
            "history": [{"epoch": 1, "acc": "0.5"}, {"epoch": 2, "acc": "0.6"}],
            "model": "resnet50",
            "date": "2026-12-03",
            "mode": "0700",
            "year": "2026",
            "n": 5,
        }
        found = extract(tmp_path, document)
        assert named(found) == {"n": 5.0}
        notes = [p.message for p in found.problems]
        assert all(not p.blocking for p in found.problems)
        assert notes == [
            "accuracy is the text '0.9312', not a number; not read (write numbers, or read it "
            "with a [[metrics.extract]] query 'to_number(accuracy)')",
            "f1 is the text '91.2%', not a number; not read (write numbers, or read it with a "
            "[[metrics.regex]] rule)",
            "eval.loss is the text '1,234.5', not a number; not read (write numbers, or read it "
            "with a [[metrics.regex]] rule)",
            "eval.acc is the text '95.3 ± 0.2', not a number; not read (write numbers, or read "
            "it with a [[metrics.regex]] rule)",
            "history.acc is the text '0.5', not a number; not read (write numbers, or read it "
            "with a [[metrics.regex]] rule)",
        ]

    def test_configuration_and_query_answers_say_nothing(self, tmp_path: Path) -> None:
        """A learning rate or a version written as text in a results file's configuration, or
        beside the number a query picked, is not a metric left unread: no note (a query's
        note would block a sanity run)."""
        document = {
            "config": {"lr": "3e-4"},
            "torch_version": "2.1",
            "job_id": "12345.0",
            "eval": {"accuracy": 0.91},
        }
        assert extract(tmp_path, document).problems == ()
        rule = QueryRule(name="eval", query="eval", files="*.json")
        document["eval"]["lr"] = "3e-4"  # type: ignore[index]
        found = extract(tmp_path, document, rule)
        assert named(found) == {"eval.accuracy": 0.91}
        assert found.problems == ()

    def test_a_name_ending_in_id_letters_is_still_a_metric(self, tmp_path: Path) -> None:
        """`acc_valid` ends in the letters "id" but names no id: its text is said."""
        notes = [
            p.message for p in extract(tmp_path, {"acc_valid": "0.91", "run_id": "0.5"}).problems
        ]
        assert [n.split(" is the text")[0] for n in notes] == ["acc_valid"]

    def test_the_query_the_note_names_reads_it(self, tmp_path: Path) -> None:
        """The remedy works without running again: to_number() in a [[metrics.extract]]."""
        rule = QueryRule(name="accuracy", query="to_number(accuracy)", files="*.json")
        found = extract(tmp_path, {"accuracy": "0.9312"}, rule)
        assert named(found) == {"accuracy": 0.9312}
