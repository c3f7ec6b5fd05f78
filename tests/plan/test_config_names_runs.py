"""
A fix in bridge.toml reaches the run it names, or is refused (trial t15 on 001): a
``[systems."NAME"]`` table naming a run's system as ``bridge plan`` shows it, and a ``[[runs]]``
id that differs from a tracker run's only in case.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.errors import ConfigError
from bridge.plan import load_project
from tests.conftest import needs_shared
from tests.plan.corpus import as_project

BASE = """[run]
command = "python3 job.py {run_id}"
outputs = ["metrics.json"]
[metrics]
files = ["metrics.json"]
primary = "accuracy"
"""

# 001's R005: the tracker's System cell is "DepthFiLM r=102"; `bridge plan` shows the run under
# B2's compared system, "E4: DepthFiLM r=102 + rank-space FiLM: R005".
SHOWN = "E4: DepthFiLM r=102 + rank-space FiLM"


def _project(tmp_path: Path, extra: str) -> Path:
    root = as_project("001", tmp_path)
    (root / "bridge.toml").write_text(BASE + extra, encoding="utf-8")
    return root


@needs_shared
class TestSystemAsShown:
    def test_the_block_system_bridge_shows_configures_the_run(self, tmp_path: Path) -> None:
        """The table named as `bridge plan` shows R005's system gives R005 its command (it was
        accepted and applied to no run: R005 failed again with the old argv)."""
        fix = 'command = "python3 job.py {run_id} --film-rank=102"\n'
        root = _project(tmp_path, f'[systems."{SHOWN}"]\n{fix}')
        runs = {r.id: r for r in load_project(root).runs}
        assert runs["R005"].block_system == SHOWN
        assert runs["R005"].system == "DepthFiLM r=102"
        assert runs["R005"].command == ("python3", "job.py", "{run_id}", "--film-rank=102")
        # Only that run: R004, lent to B2 as "E3: DepthGate (from Block 1)", keeps [run]'s.
        assert runs["R004"].command == ("python3", "job.py", "{run_id}")

    def test_the_tracker_name_wins_and_the_other_table_is_refused(self, tmp_path: Path) -> None:
        """A table for the run's own (tracker) system is the run's, before its block's: the
        block's then configures no run, and is refused rather than ignored."""
        own = '[systems."DepthFiLM r=102"]\ncommand = "python3 own.py"\n'
        root = _project(tmp_path, own)
        runs = {r.id: r for r in load_project(root).runs}
        assert runs["R005"].command == ("python3", "own.py")
        (root / "bridge.toml").write_text(
            BASE + own + f'[systems."{SHOWN}"]\ncommand = "python3 block.py"\n', encoding="utf-8"
        )
        with pytest.raises(ConfigError) as caught:
            load_project(root)
        # The table R005 takes is named, and the verb agrees with one run (trial t16).
        assert (
            "names the block's system of R005, which takes the table of its own system's name "
            'instead ([systems."DepthFiLM r=102"]), so it configures no run: set what it sets '
            "in that table"
        ) in str(caught.value)

    def test_a_compared_system_no_run_stands_for_is_refused(self, tmp_path: Path) -> None:
        """B2 lists "E3: DepthGate (from Block 1)", a system no run of B2 stands for (R004 is
        B1's): a table of that name configured nothing, and was accepted."""
        root = _project(tmp_path, '[systems."E3: DepthGate (from Block 1)"]\ngpus = 1\n')
        with pytest.raises(ConfigError) as caught:
            load_project(root)
        message = str(caught.value)
        assert "names a compared system of B2 that no run stands for" in message
        assert "did you mean 'DepthGate r=102'" in message
        assert caught.value.setting == "systems.E3: DepthGate (from Block 1)"


@needs_shared
class TestTwoTablesForOneSystem:
    """Trial t16: a second table for a system that already has one, spelled with other case or
    punctuation, was refused as naming no system, "did you mean" the very system it names
    (012), or as naming "the block's system" of the run whose own system it names (018)."""

    def test_012_a_second_spelling_is_refused_naming_the_table_that_wins(
        self, tmp_path: Path
    ) -> None:
        root = as_project("012", tmp_path)
        winner = '[systems."bounded DTU-weighted macro head"]\naliases = ["variant 3"]\n'
        (root / "bridge.toml").write_text(
            BASE + winner + '[systems."bounded DTU weighted macro head"]\ngpus = 0\n',
            encoding="utf-8",
        )
        lines = (root / "bridge.toml").read_text(encoding="utf-8").splitlines()
        first = lines.index('[systems."bounded DTU-weighted macro head"]') + 1
        with pytest.raises(ConfigError) as caught:
            load_project(root)
        message = str(caught.value)
        assert (
            '[systems."bounded DTU weighted macro head"] and [systems."bounded DTU-weighted '
            f"macro head\"] (bridge.toml:{first}) both name the system 'bounded DTU-weighted "
            "macro head' (R005), and a run takes one table only, [systems.\"bounded DTU-weighted "
            'macro head"]: merge what [systems."bounded DTU weighted macro head"] sets into that '
            "table"
        ) in message, message
        assert "names no system" not in message
        assert caught.value.setting == "systems.bounded DTU weighted macro head"
        assert caught.value.line == first + 2

    def test_018_the_tracker_spelling_beside_another_is_refused_as_a_twin(
        self, tmp_path: Path
    ) -> None:
        import shutil

        from tests.conftest import SHARED

        root = tmp_path / "p018"
        shutil.copytree(SHARED / "projects" / "018_areal-harness-cn", root)
        (root / "bridge.toml").write_text(
            BASE
            + '[systems."Harness only"]\ncommand = "python3 job.py {run_id} --harness-lr 0.1"\n'
            + '[systems."Harness-only"]\ngpus = 0\n',
            encoding="utf-8",
        )
        with pytest.raises(ConfigError) as caught:
            load_project(root)
        message = str(caught.value)
        assert (
            "both name the system 'Harness-only' (JPH-B2-HO-S0), and a run takes one table "
            'only, [systems."Harness-only"]: merge what [systems."Harness only"] sets into '
            "that table"
        ) in message, message
        assert "block's system" not in message

    def test_012_an_alias_table_names_the_table_its_run_takes(self, tmp_path: Path) -> None:
        """`[systems."variant 3"]` beside the table whose alias "variant 3" is: R005 takes
        that table, named."""
        root = as_project("012", tmp_path)
        (root / "bridge.toml").write_text(
            BASE
            + '[systems."bounded DTU-weighted macro head"]\naliases = ["variant 3"]\n'
            + '[systems."variant 3"]\ngpus = 0\n',
            encoding="utf-8",
        )
        with pytest.raises(ConfigError) as caught:
            load_project(root)
        assert (
            '[systems."variant 3"] names the block\'s system of R005, which takes the table of '
            'its own system\'s name instead ([systems."bounded DTU-weighted macro head"])'
        ) in str(caught.value)


@needs_shared
class TestRunIdCase:
    def test_an_id_differing_only_in_case_is_refused(self, tmp_path: Path) -> None:
        """`[[runs]] id = "r005"` added a run r005 with no milestone or block, and R005 stayed
        failed: refused, naming the setting and the run meant."""
        root = _project(
            tmp_path, '[[runs]]\nid = "r005"\ncommand = "python3 job.py {run_id} --film-rank=102"\n'
        )
        with pytest.raises(ConfigError) as caught:
            load_project(root)
        message = str(caught.value)
        assert "did you mean 'R005'?" in message
        assert caught.value.setting == "runs[0].id"

    def test_a_new_id_is_still_a_run_of_its_own(self, tmp_path: Path) -> None:
        """Adding a run stays a feature: an id no run has, in any case, is a new run."""
        root = _project(tmp_path, '[[runs]]\nid = "X1"\nmilestone = "M6"\n')
        runs = {r.id: r for r in load_project(root).runs}
        assert runs["X1"].source == "config"
        assert "R005" in runs

    def test_a_proposed_runs_id_in_another_case_is_refused(self, tmp_path: Path) -> None:
        """034 with no tracker: bridge proposes R005 from the plan; `id = "r005"` replaced the
        whole proposal by one run r005 of no milestone. Refused the same way."""
        root = tmp_path / "p"
        (root / "refine-logs").mkdir(parents=True)
        plan = as_project("034", tmp_path / "src") / "refine-logs" / "EXPERIMENT_PLAN.md"
        (root / "refine-logs" / "EXPERIMENT_PLAN.md").write_bytes(plan.read_bytes())
        (root / "bridge.toml").write_text(
            BASE + '[[runs]]\nid = "r005"\ncommand = "python3 fixed.py"\n', encoding="utf-8"
        )
        with pytest.raises(ConfigError, match=r"did you mean 'R005'\?") as caught:
            load_project(root)
        assert caught.value.setting == "runs[0].id"
