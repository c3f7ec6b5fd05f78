"""
Tests for the self-review checks on small real scripts.
"""

from __future__ import annotations

from pathlib import Path

from bridge.adapters.implement.checks import check_commands, find_entry, read_script
from bridge.machine.ports import Severity

GOOD = """\
import argparse
import json

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=0.1)
parser.add_argument("--batch-size", type=int)
parser.add_argument("-w", "--wd", dest="weight_decay", type=float)
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()
with open("metrics.json", "w") as handle:
    json.dump({"acc": 1.0}, handle)
"""


def _checks(project: Path, commands, params=None):
    return check_commands(project, commands, params or {})


class TestReadScript:
    def test_options_and_dest_names(self, tmp_path):
        """add_argument flags and dest= names are read, normalised to snake case."""
        (tmp_path / "train.py").write_text(GOOD)
        facts = read_script(tmp_path / "train.py", tmp_path)
        assert {"lr", "batch_size", "w", "wd", "weight_decay", "seed"} <= facts.options
        assert facts.writes_tabular

    def test_options_in_an_imported_project_module(self, tmp_path):
        """Options defined in a local module the script imports are found."""
        (tmp_path / "conf").mkdir()
        (tmp_path / "conf" / "__init__.py").write_text("")
        (tmp_path / "conf" / "args.py").write_text("def build(p):\n    p.add_argument('--rho')\n")
        (tmp_path / "train.py").write_text("import argparse\nfrom conf.args import build\n")
        assert "rho" in read_script(tmp_path / "train.py", tmp_path).options

    def test_csv_output_by_call(self, tmp_path):
        """A DataFrame.to_csv call counts as a CSV output."""
        (tmp_path / "t.py").write_text("df.to_csv(path)\n")
        assert read_script(tmp_path / "t.py", tmp_path).writes_tabular


class TestFindEntry:
    def test_script_and_module_forms(self, tmp_path):
        """x.py anywhere in argv, and python -m pkg.mod, resolve to files in the project."""
        (tmp_path / "pkg").mkdir()
        (tmp_path / "pkg" / "run.py").write_text("")
        (tmp_path / "train.py").write_text("")
        roots = (tmp_path,)
        torchrun = find_entry("R1", ("torchrun", "--nproc_per_node=2", "train.py"), roots)
        assert torchrun is not None and torchrun.path == tmp_path / "train.py"
        module = find_entry("R2", ("python3", "-m", "pkg.run", "--lr", "1"), roots)
        assert module is not None and module.path == tmp_path / "pkg" / "run.py"
        assert find_entry("R3", ("bash", "run.sh"), roots) is None
        missing = find_entry("R4", ("python", "-m", "nope"), roots)
        assert missing is not None and missing.path is None


class TestCheckCommands:
    def test_clean_script_has_no_findings(self, tmp_path):
        """A script exposing every hyperparameter, a seed and JSON output gives no findings."""
        (tmp_path / "train.py").write_text(GOOD)
        findings = _checks(
            tmp_path,
            {"R001": ("python", "train.py", "--lr", "0.1")},
            {"B1": ("lr", "batch size", "weight_decay")},
        )
        assert findings == ()

    def test_missing_script_is_blocking_and_names_run_and_path(self, tmp_path):
        """A command naming a script that does not exist is a BLOCKING finding."""
        (finding,) = _checks(tmp_path, {"R007": ("python", "src/train.py")})
        assert finding.severity is Severity.BLOCKING
        assert finding.check == "script.missing"
        assert "R007" in finding.message and "src/train.py" in finding.message
        assert "did you mean" not in finding.message  # src/ holds no script to suggest

    def test_missing_script_names_the_closest_one_beside_it(self, tmp_path):
        """A typo in the script's name (`trian.py`) names the script in that folder."""
        (tmp_path / "scripts").mkdir()
        (tmp_path / "scripts" / "train.py").write_text(GOOD)
        (tmp_path / "scripts" / "common.py").write_text("X = 1\n")
        (finding,) = _checks(tmp_path, {"R001": ("python3", "scripts/trian.py")})
        assert finding.message == (
            "R001: the script scripts/trian.py does not exist in the project; did you mean "
            "'scripts/train.py'?"
        )

    def test_missing_seed(self, tmp_path):
        """No --seed option and no seed in the command is reported."""
        (tmp_path / "train.py").write_text(GOOD.replace('"--seed"', '"--steps"'))
        findings = _checks(tmp_path, {"R001": ("python", "train.py")})
        assert [f.check for f in findings] == ["seed.uncontrolled"]
        assert findings[0].severity is Severity.NON_BLOCKING

    def test_seed_in_command_counts(self, tmp_path):
        """A Hydra-style seed=1 in the command makes the seed controllable."""
        (tmp_path / "train.py").write_text(GOOD.replace('"--seed"', '"--steps"'))
        assert _checks(tmp_path, {"R001": ("python", "train.py", "training.seed=1")}) == ()

    def test_hyperparameter_missing_or_placeholder(self, tmp_path):
        """A setup hyperparameter absent from the script is reported unless the command names it."""
        (tmp_path / "train.py").write_text(GOOD)
        (finding,) = _checks(
            tmp_path, {"R001": ("python", "train.py")}, {"B2": ("lr", "rho", "dropout")}
        )
        assert finding.check == "params.missing"
        assert "B2" in finding.message and "rho, dropout" in finding.message
        assert (
            _checks(
                tmp_path,
                {"R001": ("python", "train.py", "--rho={rho}", "dropout=0.1")},
                {"B2": ("rho", "dropout")},
            )
            == ()
        )

    def test_undeclared_outputs(self, tmp_path):
        """A script that writes no JSON/CSV is reported, unless the command names such a file."""
        (tmp_path / "train.py").write_text(GOOD.split("with open")[0])
        assert [f.check for f in _checks(tmp_path, {"R1": ("python", "train.py")})] == [
            "outputs.undeclared"
        ]
        assert _checks(tmp_path, {"R1": ("python", "train.py", "--out", "res.csv")}) == ()

    def test_syntax_error_is_blocking_with_line(self, tmp_path):
        """A script that does not parse is BLOCKING with its line."""
        (tmp_path / "train.py").write_text("import argparse\ndef broken(:\n")
        (finding,) = _checks(tmp_path, {"R1": ("python", "train.py")})
        assert (finding.check, finding.severity, finding.line) == (
            "script.syntax",
            Severity.BLOCKING,
            2,
        )

    def test_non_python_command(self, tmp_path):
        """A command without Python code is noted, not blocked."""
        (finding,) = _checks(tmp_path, {"R1": ("bash", "run.sh")})
        assert (finding.check, finding.severity) == ("entry.unknown", Severity.NON_BLOCKING)

    def test_a_shell_script_command_is_shown_as_it_runs(self, tmp_path):
        """The command is shown shell-quoted: `sh -c 'a && b' OUT`, not `sh -c a && b OUT`."""
        (finding,) = _checks(tmp_path, {"R1": ("sh", "-c", "cd x && make", "OUT")})
        assert "the command `sh -c 'cd x && make' OUT` runs no Python script" in finding.message


SCORE_AGAINST_TEACHER = """\
import argparse
import json

parser = argparse.ArgumentParser()
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--labels", default="outputs/teacher_predictions.jsonl")
args = parser.parse_args()
preds = [json.loads(line) for line in open("outputs/student.jsonl")]
gold = [json.loads(line) for line in open(args.labels)]
json.dump({"acc": sum(p == g for p, g in zip(preds, gold)) / len(gold)}, open("m.json", "w"))
"""

SCORE_AGAINST_DATA = """\
import argparse
import json

parser = argparse.ArgumentParser()
parser.add_argument("--seed", type=int, default=0)
parser.add_argument("--labels", default="data/test_labels.jsonl")
args = parser.parse_args()
predictions = [json.loads(line) for line in open("outputs/predictions.jsonl")]
labels = [json.loads(line)["label"] for line in open(args.labels)]
json.dump({"acc": sum(p == g for p, g in zip(predictions, labels))}, open("m.json", "w"))
"""


class TestProseHyperparameters:
    def test_prose_settings_are_checked_under_their_usual_spellings(self, tmp_path):
        """'learning rate 0.1, 3 epochs, batch size 64': --lr covers the learning rate, and
        the epochs the script cannot set are named (the plan's prose, not only key=value)."""
        from bridge.pipeline.recording import setup_hyperparameters

        (tmp_path / "train.py").write_text(GOOD)
        names = tuple(
            h.name for h in setup_hyperparameters("learning rate 0.1, 3 epochs, batch size 64")
        )
        assert names == ("learning_rate", "epochs", "batch_size")
        findings = _checks(tmp_path, {"R001": ("python", "train.py")}, {"B1": names})
        missing = [f for f in findings if f.check == "params.missing"]
        assert len(missing) == 1 and missing[0].message.endswith(": epochs")


class TestGroundTruth:
    def test_labels_from_a_teacher_file_are_named_with_file_and_line(self, tmp_path):
        """An evaluation whose labels default to a teacher's predictions is reported once, at
        the line that declares the option."""
        (tmp_path / "eval.py").write_text(SCORE_AGAINST_TEACHER)
        findings = _checks(tmp_path, {"R001": ("python", "eval.py")})
        hits = [f for f in findings if f.check == "eval.model_labels"]
        assert [(f.file, f.line) for f in hits] == [("eval.py", 6)]
        assert hits[0].severity is Severity.NON_BLOCKING
        assert "teacher_predictions" in hits[0].message and "R001" in hits[0].message

    def test_labels_from_the_data_set_are_fine(self, tmp_path):
        """Predictions compared with the data set's labels give no ground-truth finding."""
        (tmp_path / "eval.py").write_text(SCORE_AGAINST_DATA)
        findings = _checks(tmp_path, {"R001": ("python", "eval.py")})
        assert [f for f in findings if f.check == "eval.model_labels"] == []

    def test_command_handing_labels_a_pseudo_label_file(self, tmp_path):
        """``--gold pseudo_labels.json`` in the command is reported against the script."""
        (tmp_path / "eval.py").write_text(SCORE_AGAINST_DATA)
        findings = _checks(
            tmp_path, {"R002": ("python", "eval.py", "--labels", "runs/pseudo_labels.json")}
        )
        hits = [f for f in findings if f.check == "eval.model_labels"]
        assert len(hits) == 1 and hits[0].file == "eval.py" and hits[0].line is None
        assert "--labels runs/pseudo_labels.json" in hits[0].message

    def test_assignment_from_a_teacher_model(self, tmp_path):
        """``y_true = teacher.predict(x)`` is reported at its line."""
        (tmp_path / "eval.py").write_text(
            "import json\nteacher = load()\ny_true = teacher.predict(x)\n"
            "json.dump({}, open('m.json', 'w'))\nseed = 0\n"
        )
        findings = _checks(tmp_path, {"R001": ("python", "eval.py", "--seed", "1")})
        hits = [f for f in findings if f.check == "eval.model_labels"]
        assert [(f.file, f.line) for f in hits] == [("eval.py", 3)]
