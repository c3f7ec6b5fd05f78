"""
Tests for metric extraction (bridge.adapters.metrics) and metric-name matching.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from bridge.adapters.metrics.files import (
    Extraction,
    MetricsSpec,
    RegexRule,
    extract_metrics,
    match_metric,
)
from bridge.errors import ConfigError


def run_dir(tmp_path: Path) -> Path:
    out = tmp_path / "runs" / "R001" / "a1"
    out.mkdir(parents=True)
    return out


def extract(tmp_path: Path, out: Path, spec: MetricsSpec | None = None) -> Extraction:
    return extract_metrics(
        out, project_root=tmp_path, run_id="R001", attempt_id="a1", config=spec or MetricsSpec()
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class TestExtractJson:
    def test_nested_json_gives_dotted_names_with_provenance(self, tmp_path: Path) -> None:
        """Nested numbers become dotted names with file, sha256 and rule recorded."""
        out = run_dir(tmp_path)
        path = out / "metrics.json"
        path.write_text(json.dumps({"eval": {"accuracy": 0.91, "f1": 0.88}, "name": "x"}))
        result = extract(tmp_path, out)
        by_name = {v.name: v for v in result.values}
        assert set(by_name) == {"eval.accuracy", "eval.f1"}
        acc = by_name["eval.accuracy"]
        assert acc.value == 0.91 and acc.finite and acc.rule == "json:eval.accuracy"
        assert acc.source == "runs/R001/a1/metrics.json"
        assert acc.sha256 == digest(path)
        assert (acc.run_id, acc.attempt_id) == ("R001", "a1")

    def test_list_of_numbers_is_history_and_last_value(self, tmp_path: Path) -> None:
        """A list of numbers is a history; its last element is the value."""
        out = run_dir(tmp_path)
        (out / "m.json").write_text(json.dumps({"train": {"loss": [2.0, 1.5, 1.2]}}))
        result = extract(tmp_path, out)
        (history,) = result.histories
        assert history.values == (2.0, 1.5, 1.2) and history.steps == (0.0, 1.0, 2.0)
        (value,) = result.values
        assert value.value == 1.2 and value.rule == "json:train.loss[-1]"

    def test_records_use_step_key(self, tmp_path: Path) -> None:
        """A list of objects gives one history per key, indexed by its step key."""
        out = run_dir(tmp_path)
        records = [{"step": 10, "loss": 3.0}, {"step": 20, "loss": 2.0, "eval_acc": 0.5}]
        (out / "trainer_state.json").write_text(json.dumps({"log_history": records}))
        result = extract(tmp_path, out)
        histories = {h.name: h for h in result.histories}
        assert histories["log_history.loss"].steps == (10.0, 20.0)
        assert histories["log_history.eval_acc"].steps == (20.0,)
        assert histories["log_history.loss"].rule == "json:log_history[*].loss"

    def test_nan_is_kept_and_flagged(self, tmp_path: Path) -> None:
        """A JSON NaN is kept as a non-finite value (None + raw), not dropped."""
        out = run_dir(tmp_path)
        (out / "m.json").write_text('{"loss": NaN, "acc": "inf", "ok": 1}')
        by_name = {v.name: v for v in extract(tmp_path, out).values}
        assert by_name["loss"].value is None and by_name["loss"].raw == "NaN"
        assert not by_name["loss"].finite and by_name["loss"].as_float() != 0.0
        assert by_name["acc"].value is None and by_name["ok"].value == 1.0

    def test_broken_json_is_a_problem_not_silence(self, tmp_path: Path) -> None:
        """An unparseable JSON file is reported with its line."""
        out = run_dir(tmp_path)
        (out / "m.json").write_text('{"a": 1,\n "b": }')
        result = extract(tmp_path, out)
        (problem,) = result.problems
        assert problem.source == "runs/R001/a1/m.json" and ":2:" in problem.message


class TestExtractCsv:
    def test_csv_history_and_final_row(self, tmp_path: Path) -> None:
        """A CSV with an epoch column gives histories and final-row values."""
        out = run_dir(tmp_path)
        path = out / "log.csv"
        path.write_text("epoch,loss,val_acc,tag\n1,2.0,,a\n2,1.0,0.7,b\n3,0.5,,c\n")
        result = extract(tmp_path, out)
        values = {v.name: v for v in result.values}
        assert values["loss"].value == 0.5 and values["loss"].rule == "csv:last_row:loss"
        assert values["val_acc"].rule == "csv:last_value:val_acc"
        assert "tag" not in values
        # The step column is the x axis, not a metric (trial t8: 039's log.csv listed `step`
        # among the recorded metric names); a JSON Lines series leaves its step out alike.
        assert "epoch" not in values
        histories = {h.name: h for h in result.histories}
        assert histories["loss"].steps == (1.0, 2.0, 3.0)
        assert histories["val_acc"].steps == (2.0,)
        assert histories["loss"].sha256 == digest(path)

    @pytest.mark.parametrize("step", ["step", "Epoch", "iteration", "global_step"])
    def test_the_step_column_of_a_history_is_no_metric(self, tmp_path: Path, step: str) -> None:
        """039's log.csv as a fake run wrote it (trial t8): "已记录 3 个指标名 … `step`,
        `delta_AUROC`, `delta_AUPRC`", its step column counted among the metrics."""
        out = run_dir(tmp_path)
        (out / "log.csv").write_text(
            f"{step},delta_AUROC,delta_AUPRC\n0,0.018,0.027\n1,0.019,0.0285\n2,0.02,0.03\n"
        )
        result = extract(tmp_path, out)
        assert {v.name: v.value for v in result.values} == {
            "delta_AUROC": 0.02,
            "delta_AUPRC": 0.03,
        }
        assert {h.name: h.steps for h in result.histories} == {
            "delta_AUROC": (0.0, 1.0, 2.0),
            "delta_AUPRC": (0.0, 1.0, 2.0),
        }
        # One row is no history: its epoch is what the run recorded, as a JSON object's is.
        (out / "log.csv").write_text(f"{step},acc\n10,0.9\n")
        assert {v.name: v.value for v in extract(tmp_path, out).values} == {step: 10.0, "acc": 0.9}

    def test_csv_without_step_column_has_no_history(self, tmp_path: Path) -> None:
        """Without a step column only the final row is read."""
        out = run_dir(tmp_path)
        (out / "r.csv").write_text("acc,f1\n0.5,0.4\n0.9,0.8\n")
        result = extract(tmp_path, out)
        assert not result.histories and [v.value for v in result.values] == [0.9, 0.8]

    def test_a_row_per_system_is_read_row_by_row(self, tmp_path: Path) -> None:
        """Trial O3: "system,RefRecall" / "ours,0.95" / "baseline,0.80" was read as a log, its
        last row (the baseline's 0.80) standing for the run. Each row is named by its label, as
        a JSON list's items are; a label column is found by name or as the column of text."""
        out = run_dir(tmp_path)
        (out / "per_system.csv").write_text("system,RefRecall\nours,0.95\nbaseline,0.80\n")
        (out / "per_org.csv").write_text("org,OverRefusal,n\nO1,0.1,40\nO2,0.3,35\n")
        (out / "per_seed.csv").write_text("seed,acc\n0,0.5\n1,0.7\n")
        # A log's time column is no label: its last row stands for the run, as before.
        (out / "log.csv").write_text("time,loss\n2026-12-05 10:00,0.9\n2026-12-05 11:00,0.4\n")
        result = extract(tmp_path, out)
        values = {v.name: (v.value, v.rule) for v in result.values}
        assert values == {
            "RefRecall[ours]": (0.95, "csv:system=ours:RefRecall"),
            "RefRecall[baseline]": (0.80, "csv:system=baseline:RefRecall"),
            "OverRefusal[O1]": (0.1, "csv:org=O1:OverRefusal"),
            "OverRefusal[O2]": (0.3, "csv:org=O2:OverRefusal"),
            "n[O1]": (40.0, "csv:org=O1:n"),
            "n[O2]": (35.0, "csv:org=O2:n"),
            "acc[seed=0]": (0.5, "csv:seed=0:acc"),
            "acc[seed=1]": (0.7, "csv:seed=1:acc"),
            "loss": (0.4, "csv:last_row:loss"),
        }

    def test_one_name_in_several_files_is_named_by_file(self, tmp_path: Path) -> None:
        """Trial O2 on 029: `auroc` in risk/KLAX/lr.json and risk/KLAX/xgb.json (and four more)
        was one name: the first file's 0.687 stood for the run, XGBoost's 0.82 dropped with no
        word. Each is named by its file, with a note; equal numbers stay one name."""
        out = run_dir(tmp_path)
        for model, auroc in (("lr", 0.687), ("xgb", 0.82)):
            (out / "risk" / "KLAX").mkdir(parents=True, exist_ok=True)
            (out / "risk" / "KLAX" / f"{model}.json").write_text(
                json.dumps({"auroc": auroc, "n": 500})
            )
        result = extract(tmp_path, out, MetricsSpec(files=("risk/*/*.json",)))
        values = {v.name: v.value for v in result.values}
        assert values == {
            "auroc[risk/KLAX/lr.json]": 0.687,
            "auroc[risk/KLAX/xgb.json]": 0.82,
            "n": 500.0,
        }
        (note,) = [p for p in result.problems if "was read from" in p.message]
        assert not note.blocking
        assert note.message.startswith("'auroc' was read from 2 files with different numbers")

    def test_one_name_for_two_numbers_in_one_file_is_named_by_rule(self, tmp_path: Path) -> None:
        """A JSON holding the key "eval.final_quality" and {"eval": {"final_quality"}}: both
        are `eval.final_quality`, and whichever came last stood for the run in silence. Each
        is named by the rule that read it, with a note; equal numbers stay one name."""
        out = run_dir(tmp_path)
        (out / "metrics.json").write_text(
            '{"eval.final_quality": 0.5, "eval": {"final_quality": 0.7}, "a.b": 1, "a": {"b": 1}}'
        )
        result = extract(tmp_path, out)
        values = sorted((v.name, v.value) for v in result.values)
        assert values == [
            ("a.b", 1.0),
            ("a.b", 1.0),
            ('eval.final_quality[json:"eval.final_quality"]', 0.5),
            ("eval.final_quality[json:eval.final_quality]", 0.7),
        ]
        (note,) = result.problems
        assert not note.blocking
        assert note.message.startswith(
            "'eval.final_quality' names 2 different numbers in this file "
            '(json:"eval.final_quality" = 0.5, json:eval.final_quality = 0.7)'
        )

    def test_a_csv_with_a_header_alone_is_a_note(self, tmp_path: Path) -> None:
        """002's R004 wrote `quality.csv` with its header and no row: beside another file's
        numbers it was read as nothing in silence."""
        out = run_dir(tmp_path)
        (out / "quality.csv").write_text("epoch,final_task_quality,train_loss\n")
        (out / "metrics.json").write_text('{"runtime": 12}')
        result = extract(tmp_path, out)
        assert [v.name for v in result.values] == ["runtime"]
        assert [(p.message, p.blocking) for p in result.problems] == [
            (
                "runs/R001/a1/quality.csv has a header (epoch, final_task_quality, train_loss) "
                "but no rows: nothing read",
                False,
            )
        ]

    def test_a_column_of_numbers_written_as_text_is_a_note(self, tmp_path: Path) -> None:
        """ "91.2%" cells, or numbers with a stray "N/A", were a text column skipped in silence;
        a column of names stays quiet."""
        out = run_dir(tmp_path)
        (out / "r.csv").write_text("system,f1,acc,seed\nours,91.2%,0.9,0\nbase,88.0%,N/A,1\n")
        result = extract(tmp_path, out)
        # One row per system: each row's numbers are its own.
        assert {v.name for v in result.values} == {"seed[ours]", "seed[base]"}
        assert [(p.message, p.blocking) for p in result.problems] == [
            (
                "f1 is the text '91.2%', not a number; not read (write numbers, or read it "
                "with a [[metrics.regex]] rule); column 'f1' of runs/R001/a1/r.csv",
                False,
            ),
            (
                "column 'acc' of runs/R001/a1/r.csv mixes numbers with text such as 'N/A'; "
                "not read (write one kind per column, or read it with a [[metrics.regex]] rule)",
                False,
            ),
        ]

    def test_a_label_column_with_one_numeric_label_is_quiet(self, tmp_path: Path) -> None:
        """A column of names that holds one label that reads as a number is a label column."""
        out = run_dir(tmp_path)
        (out / "r.csv").write_text("name,acc\nresnet,0.9\nvit,0.8\n1.5,0.7\n")
        result = extract(tmp_path, out)
        assert {v.name for v in result.values} == {"acc"}
        assert result.problems == ()

    def test_ragged_csv_is_a_problem(self, tmp_path: Path) -> None:
        """A row with the wrong number of cells is reported with its line."""
        out = run_dir(tmp_path)
        (out / "r.csv").write_text("acc,f1\n0.5\n")
        (problem,) = extract(tmp_path, out).problems
        assert "r.csv:2" in problem.message


class TestExtractRegex:
    def test_log_regex_last_match_and_history(self, tmp_path: Path) -> None:
        """A regex rule gives the last match as value and all matches as history."""
        out = run_dir(tmp_path)
        log = out / "train.log"
        log.write_text("step 1 loss=2.5\nstep 2 loss=1.25\nnoise\nstep 3 loss=nan\n")
        rule = RegexRule(name="loss", pattern=r"step (?P<step>\d+) loss=(?P<value>\S+)")
        result = extract(tmp_path, out, MetricsSpec(files=(), regex=(rule,)))
        (value,) = result.values
        assert value.value is None and value.raw == "nan"
        assert value.sha256 == digest(log) and value.source == "runs/R001/a1/train.log"
        assert value.rule.startswith("regex:")
        (history,) = result.histories
        assert history.steps == (1.0, 2.0, 3.0) and history.values == (2.5, 1.25, None)
        assert history.nonfinite == ((2, "nan"),)

    def test_bad_pattern_is_config_error(self) -> None:
        """A pattern that does not compile fails when configured, naming the setting."""
        with pytest.raises(ConfigError) as info:
            RegexRule(name="loss", pattern="loss=(")
        assert info.value.setting == "metrics.regex"

    def test_pattern_without_group_is_config_error(self) -> None:
        """A pattern without a capture group is refused."""
        with pytest.raises(ConfigError):
            RegexRule(name="loss", pattern=r"loss=\d+")


class TestExtractMetrics:
    def test_output_outside_project_is_refused(self, tmp_path: Path) -> None:
        """Sources must be relative to the project, so an outside directory is an error."""
        (tmp_path / "p").mkdir()
        (tmp_path / "o").mkdir()
        with pytest.raises(ConfigError):
            extract(tmp_path / "p", tmp_path / "o")

    def test_value_lookup_by_plan_name(self, tmp_path: Path) -> None:
        """Extraction.value finds a plan metric by its normalised name."""
        out = run_dir(tmp_path)
        (out / "m.json").write_text(json.dumps({"test": {"top1_acc": 0.7}}))
        found = extract(tmp_path, out).value("Top-1 Acc")
        assert found is not None and found.value == 0.7


class TestExtractJsonLines:
    """A training loop's `train_log.jsonl` was "not a .json or .csv file": never read."""

    def test_lines_with_a_step_are_a_series_and_a_summary_line_its_values(
        self, tmp_path: Path
    ) -> None:
        out = run_dir(tmp_path)
        (out / "train_log.jsonl").write_text(
            '{"step": 1, "loss": 2.3}\n{"step": 2, "loss": 1.9}\n{"final_acc": 0.91}\n'
        )
        result = extract(tmp_path, out, MetricsSpec(files=("*.jsonl",)))
        assert {v.name: v.value for v in result.values} == {"loss": 1.9, "final_acc": 0.91}
        (loss,) = result.histories
        assert (loss.steps, loss.values) == ((1.0, 2.0), (2.3, 1.9))
        assert result.problems == ()

    def test_lines_without_a_step_are_a_series_by_line(self, tmp_path: Path) -> None:
        out = run_dir(tmp_path)
        (out / "log.jsonl").write_text('{"reward": 0.1}\n{"reward": 0.4}\n{"reward": 0.6}\n')
        result = extract(tmp_path, out, MetricsSpec(files=("*.jsonl",)))
        assert [(v.name, v.value) for v in result.values] == [("reward", 0.6)]
        assert result.histories[0].steps == (1.0, 2.0, 3.0)

    def test_lines_labelled_by_a_text_field_are_read_as_a_csv_label_column_is(
        self, tmp_path: Path
    ) -> None:
        """Trial t10 on 033: `{"object": "Scissors", "net": -2}` … `{"object": "Aggregate",
        "net": 5}` was read as a series by line, `net = 5` (the last line) standing for the run
        with nothing said, while the same rows as a CSV or a JSON list give `net[Scissors]`."""
        out = run_dir(tmp_path)
        rows = [
            {"object": "Scissors", "net": -2},
            {"object": "CrackerBox", "net": 4},
            {"object": "Aggregate", "net": 5},
        ]
        (out / "history.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
        (out / "per_object.csv").write_text(
            "object,net\n" + "".join(f"{r['object']},{r['net']}\n" for r in rows)
        )
        (out / "per_object.json").write_text(json.dumps(rows))
        spec = MetricsSpec(files=("*.jsonl", "*.csv", "*.json"))
        result = extract(tmp_path, out, spec)
        by_file: dict[str, list[tuple[str, float | None]]] = {}
        for v in result.values:
            by_file.setdefault(Path(v.source).name, []).append((v.name, v.value))
        expected = [("net[Scissors]", -2.0), ("net[CrackerBox]", 4.0), ("net[Aggregate]", 5.0)]
        assert by_file == {
            "history.jsonl": expected,
            "per_object.csv": expected,
            "per_object.json": expected,
        }
        assert result.histories == () and result.problems == ()
        scissors = next(v for v in result.values if v.source.endswith(".jsonl"))
        assert scissors.rule == "json:[?object=='Scissors'] | [0].net"
        # A step that does not rise (every line of one epoch) is no series either.
        (out / "history.jsonl").write_text(
            "".join(json.dumps({"epoch": 50, **r}) + "\n" for r in rows)
        )
        again = extract(tmp_path, out, MetricsSpec(files=("*.jsonl",)))
        assert {v.name: v.value for v in again.values if v.name.startswith("net")} == dict(expected)

    def test_lines_a_text_field_does_not_tell_apart_are_a_series_with_a_note(
        self, tmp_path: Path
    ) -> None:
        """033's own per-trial log (EXPERIMENT_PLAN.md:185-189): the object repeats from line
        to line, so no line is one object's; the lines stay a series, and the note says the
        last line's numbers stand for the run, whichever object it was."""
        out = run_dir(tmp_path)
        (out / "real_robot_eval.jsonl").write_text(
            '{"seed": 1, "object": "CrackerBox", "stage": 3, "success": true}\n'
            '{"seed": 1, "object": "CrackerBox", "stage": 4, "success": true}\n'
            '{"seed": 1, "object": "Scissors", "stage": 3, "success": false}\n'
            '{"seed": 1, "object": "Scissors", "stage": 4, "success": true}\n'
        )
        result = extract(tmp_path, out, MetricsSpec(files=("*.jsonl",)))
        assert ("success", 1.0) in [(v.name, v.value) for v in result.values]
        (note,) = result.problems
        assert not note.blocking
        assert note.message == (
            "runs/R001/a1/real_robot_eval.jsonl: the lines differ in 'object' (CrackerBox, "
            "Scissors) but no field names each line once: read as one series by line, the "
            "last line's numbers (seed, stage, success) stand for the run; pick the lines "
            "you mean with a [[metrics.extract]] query"
        )

    def test_a_time_on_each_line_labels_no_line(self, tmp_path: Path) -> None:
        """A log's time stamps are distinct text, but a log's lines, as a CSV log's time
        column is no label: the last line stands for the run, and that is no news."""
        out = run_dir(tmp_path)
        (out / "log.jsonl").write_text(
            '{"time": "2026-12-05 10:00", "loss": 0.9}\n{"time": "2026-12-05 11:00", "loss": 0.4}\n'
        )
        result = extract(tmp_path, out, MetricsSpec(files=("*.jsonl",)))
        assert [(v.name, v.value) for v in result.values] == [("loss", 0.4)]
        assert result.problems == ()

    def test_a_last_line_cut_off_is_a_note_another_bad_line_a_problem(self, tmp_path: Path) -> None:
        """A run stopped while writing its last line: the lines before it are read, and the
        cut is said; a bad line before the end makes the file unreadable, at its line."""
        out = run_dir(tmp_path)
        (out / "train_log.jsonl").write_text('{"step":1,"loss":2.3}\n{"step":2,"loss":1.9}\n{"st')
        result = extract(tmp_path, out, MetricsSpec(files=("*.jsonl",)))
        assert [(v.name, v.value) for v in result.values] == [("loss", 1.9)]
        assert [(p.message, p.blocking) for p in result.problems] == [
            (
                "runs/R001/a1/train_log.jsonl:3: the last line is cut off (the run may have "
                "stopped while writing it); not read",
                False,
            )
        ]
        (out / "train_log.jsonl").write_text('{"step":1,"loss":2.3}\n{"st\n{"step":3,"loss":1}\n')
        broken = extract(tmp_path, out, MetricsSpec(files=("*.jsonl",)))
        assert broken.values == ()
        (problem,) = broken.problems
        assert problem.blocking
        assert problem.message.startswith("runs/R001/a1/train_log.jsonl:2: not valid JSON")


class TestMatchMetric:
    def test_case_and_punctuation_insensitive(self) -> None:
        """'Top-1 Acc' matches 'top1_acc'."""
        assert match_metric("Top-1 Acc", ["loss", "top1_acc"]) == "top1_acc"

    def test_last_dotted_component(self) -> None:
        """'accuracy' matches 'eval.accuracy'."""
        assert match_metric("accuracy", ["eval.accuracy", "eval.loss"]) == "eval.accuracy"

    def test_synonym(self) -> None:
        """Built-in synonyms: 'Perplexity' matches 'ppl', '准确率' matches 'acc'."""
        assert match_metric("Perplexity", ["ppl"]) == "ppl"
        assert match_metric("准确率", ["acc", "loss"]) == "acc"

    def test_alias_wins(self) -> None:
        """A configured alias is used before any other rule."""
        names = ["val.acc", "test.acc"]
        assert match_metric("accuracy", names, {"Accuracy": ["test.acc"]}) == "test.acc"

    def test_ambiguity_is_reported(self) -> None:
        """Two equally good matches raise a ConfigError asking for an alias."""
        with pytest.raises(ConfigError, match="aliases"):
            match_metric("acc", ["val.acc", "test.acc"])

    def test_same_words_with_a_unit_or_a_short_form(self) -> None:
        """Trial L's near misses left clauses open: "latency" and `latency_ms`, "validation
        loss" and `val_loss`, "macro F1" and `f1_macro`, "energy (J)" and `energy`; two such
        names are still reported, not guessed."""
        assert match_metric("latency", ["latency_ms", "accuracy"]) == "latency_ms"
        assert match_metric("validation loss", ["val_loss", "train_loss"]) == "val_loss"
        assert match_metric("macro F1", ["f1_macro", "f1_micro"]) == "f1_macro"
        assert match_metric("energy (J)", ["energy", "latency_ms"]) == "energy"
        assert match_metric("accuracy", ["eval.accuracy_top1"]) is None
        # A plural is the same metric (002's B5 "theta norms"); "loss" keeps its s.
        assert match_metric("theta norms", ["theta_norm", "grad_norm"]) == "theta_norm"
        assert match_metric("loss", ["los", "loss_total"]) is None
        with pytest.raises(ConfigError):
            match_metric("time", ["time_s", "time_ms"])

    def test_a_name_of_two_words_or_more_within_the_plans_words(self) -> None:
        """002's primary metric "matched final task quality" (and B1's "final task quality
        metric used by the project for matched comparison") is `final_task_quality`; a name
        the plan's words derive another quantity from ("train loss gap"), one-word names, and
        two names within the words are not guessed."""
        names = ["final_task_quality", "train_loss", "val_loss", "runtime"]
        assert match_metric("matched final task quality", names) == "final_task_quality"
        assert (
            match_metric(
                "final task quality metric used by the project for matched comparison", names
            )
            == "final_task_quality"
        )
        assert match_metric("final train loss", names) == "train_loss"
        assert match_metric("mean token accuracy", ["eval.token_accuracy"]) == "eval.token_accuracy"
        assert match_metric("train loss gap", names) is None
        assert match_metric("val loss gap vs train loss", names) is None
        assert match_metric("total runtime budget", names) is None
        assert match_metric("final quality", names) is None

    def test_a_per_item_scope_before_the_name_derives_nothing(self) -> None:
        """005's primary metrics, "per-clip exported J-drop on uint8 video" (B1) and "per-clip
        exported J-drop paired" (B2), are the `J_drop` its runs record: "per clip" says how it
        is measured. Read as a derived quantity, the results said the primary metric was "not
        recorded" and left B2's gain open; a "per" after the name still derives one."""
        from bridge.plan import load_plan
        from bridge.plan.metric_names import primary_metric_name
        from tests.plan.corpus import corpus

        plan = load_plan(corpus("005") / "EXPERIMENT_PLAN.md")
        names = ["J_drop", "median", "polish_applied"]
        primaries = {b.id: primary_metric_name(b.metrics) for b in plan.blocks}
        assert primaries["B1"] == "per-clip exported J-drop on uint8 video"
        for block in ("B1", "B2", "B4"):
            assert match_metric(primaries[block], names) == "J_drop", block
        assert match_metric("per-clip J-drop", names) == "J_drop"  # its tracker's Metrics
        assert match_metric("task quality per GPU hour", ["task_quality"]) is None
        assert match_metric("per-clip J-drop gap", names) is None
        # A "per" that divides (time, tokens, steps) is a rate, not the recorded total: judged
        # on `train_time`, "per-epoch train time ≤ 60 s" would be a firm verdict on a guess.
        assert match_metric("per-epoch train time", ["train_time"]) is None
        assert match_metric("per-token val loss", ["val_loss"]) is None

    def test_a_name_given_with_its_definition_is_the_name(self) -> None:
        """012's B1 measures "per-gene `delta_NLL = NLL_Full - NLL_CIS`": the formula was read
        as part of the name, and the results said "the plan's primary metric per-gene
        delta_NLL = NLL_Full - NLL_CIS not recorded" beside the `delta_nll` its run recorded
        (trial h40C). 005's B3 keeps its J-drop; 021's one-letter `d=ceil(…)` is left as it is."""
        from bridge.plan import load_plan
        from bridge.plan.metric_names import primary_metric_name
        from tests.plan.corpus import corpus

        b1 = load_plan(corpus("012") / "EXPERIMENT_PLAN.md").blocks[0]
        assert primary_metric_name(b1.metrics) == "per-gene delta_NLL"
        assert match_metric("per-gene delta_NLL", ["delta_nll", "observed_minus_shuffled"]) == (
            "delta_nll"
        )
        b3 = next(b for b in load_plan(corpus("005") / "EXPERIMENT_PLAN.md").blocks if b.id == "B3")
        names = ["J_drop", "collapse_attacked", "collapse_control"]
        assert match_metric(primary_metric_name(b3.metrics), names) == "J_drop"
        b1 = load_plan(corpus("021") / "EXPERIMENT_PLAN.md").blocks[0]
        assert primary_metric_name(b1.metrics) == "d=ceil(tau_AI/T_e)"

    def test_no_match(self) -> None:
        """An unknown metric gives None."""
        assert match_metric("bleu", ["acc"]) is None
