"""
Tests for ExistingCode and AgentCLI (a real executable fake agent editing a real git repository).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bridge.adapters.implement.agent import AgentCLI
from bridge.adapters.implement.existing import ExistingCode
from bridge.errors import ImplementError
from bridge.machine.ports import Finding, ImplementRequest, Severity

GOOD = (
    "import argparse, json\np = argparse.ArgumentParser()\np.add_argument('--lr')\n"
    "p.add_argument('--seed')\njson.dump({}, open('m.json', 'w'))\n"
)

# The fake coding agent: reads the prompt, rewrites train.py, adds a module, deletes README.md.
EDITING_AGENT = f"""
import pathlib, sys
prompt = pathlib.Path(sys.argv[1]).read_text()
assert "PLAN-MARK" in prompt and "METHOD-MARK" in prompt, prompt
assert "script.missing" in prompt or "train.py" in prompt
pathlib.Path("train.py").write_text({GOOD!r})
pathlib.Path("model.py").write_text("class Net: pass\\n")
pathlib.Path("README.md").unlink()
print("implemented train.py and model.py")
"""


def _request(project: Path, **kwargs) -> ImplementRequest:
    options = {
        "project": project,
        "plan_excerpt": "PLAN-MARK",
        "method": "METHOD-MARK",
        "commands": {"R001": ("python", "train.py", "--lr", "0.1")},
        "setup_params": {"B1": ("lr",)},
    }
    options.update(kwargs)
    return ImplementRequest(**options)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class TestExistingCode:
    def test_checks_existing_code_and_changes_nothing(self, tmp_path):
        """Existing good code gives no findings and no changed files; it cannot fix."""
        (tmp_path / "train.py").write_text(GOOD)
        implementer = ExistingCode()
        result = implementer.implement(_request(tmp_path))
        assert result.findings == () and result.changed_files == {}
        assert implementer.can_fix is False
        assert (
            result.summary == "existing code checked for 1 run: 0 blocking, 0 non-blocking findings"
        )

    def test_missing_script_is_refused(self, tmp_path):
        """A run whose script is missing gives a BLOCKING finding naming the run and path."""
        result = ExistingCode().implement(
            _request(tmp_path, commands={"R009": ("python", "exp/run.py")})
        )
        (finding,) = [f for f in result.findings if f.severity is Severity.BLOCKING]
        assert "R009" in finding.message and finding.file == "exp/run.py"

    def test_runs_sharing_a_finding_get_it_once_naming_every_run(self, tmp_path):
        """Twenty runs of one missing script gave twenty findings; now one per script, naming
        every run in plan order, and a different script keeps its own."""
        (tmp_path / "exp").mkdir()
        (tmp_path / "exp" / "runner.py").write_text(GOOD)
        commands = {  # in plan order, as bridge asks: R2 before R10
            "R2": ("python", "exp/run.py", "--seed", "2"),
            "R10": ("python", "exp/run.py", "--seed", "10"),
            "R11": ("python", "exp/run.py", "--seed", "11"),
            "R4": ("python", "exp/other.py"),
        }
        result = ExistingCode().implement(_request(tmp_path, commands=commands, setup_params={}))
        blocking = [f for f in result.findings if f.severity is Severity.BLOCKING]
        assert [(f.message, f.file) for f in blocking] == [
            (
                "R2, R10, R11: the script exp/run.py does not exist in the project; "
                "did you mean 'exp/runner.py'?",
                "exp/run.py",
            ),
            ("R4: the script exp/other.py does not exist in the project", "exp/other.py"),
        ]
        assert result.summary == (
            "existing code checked for 4 runs: 2 blocking, 0 non-blocking findings"
        )


class TestAgentCLI:
    def test_agent_edits_a_git_repo(self, git_project, write_agent):
        """Changed, added and deleted files are recorded with their sha256, then re-checked."""
        agent = write_agent("coder", EDITING_AGENT)
        (git_project / "notes.txt").write_text("untracked before, untouched\n")
        implementer = AgentCLI([str(agent), "{prompt_file}"], timeout_seconds=30)
        result = implementer.implement(_request(git_project))
        assert result.changed_files == {
            "README.md": "",
            "model.py": _sha(git_project / "model.py"),
            "train.py": _sha(git_project / "train.py"),
        }
        assert result.findings == ()
        assert "implemented" in result.summary
        assert implementer.can_fix is True

    def test_agent_that_commits(self, git_project, write_agent, run_git):
        """Files the agent commits itself are still recorded as changed."""
        agent = write_agent(
            "committer",
            "import pathlib, subprocess\npathlib.Path('train.py').write_text('x = 1\\n')\n"
            "subprocess.run(['git', '-c', 'user.name=a', '-c', 'user.email=a@b', 'commit',"
            " '-qam', 'agent'], check=True)\n",
        )
        result = AgentCLI([str(agent)]).implement(_request(git_project))
        assert list(result.changed_files) == ["train.py"]
        assert run_git(git_project, "log", "--format=%s", "-1") == "agent"

    def test_file_already_dirty_and_unchanged_is_not_recorded(self, git_project, write_agent):
        """A file dirty before the agent ran and left alone is not counted as its change."""
        (git_project / "README.md").write_text("# edited by the researcher\n")
        agent = write_agent("noop", "print('nothing to do')\n")
        assert AgentCLI([str(agent)]).implement(_request(git_project)).changed_files == {}

    def test_non_git_project_is_hashed(self, tmp_path, write_agent):
        """Outside git the project is hashed before and after the agent."""
        project = tmp_path / "plain"
        project.mkdir()
        (project / "keep.txt").write_text("same\n")
        agent = write_agent(
            "writer", f"import pathlib\npathlib.Path('train.py').write_text({GOOD!r})\n"
        )
        result = AgentCLI([str(agent)]).implement(_request(project))
        assert result.changed_files == {"train.py": _sha(project / "train.py")}

    def test_fix_prompt_lists_the_findings(self, git_project, write_agent):
        """On a fix pass the prompt carries the findings to fix."""
        agent = write_agent(
            "fixer",
            "import sys\nprompt = sys.stdin.read()\n"
            "assert '# Findings to fix' in prompt and 'the loss ignores the mask' in prompt\n",
        )
        finding = Finding(severity=Severity.BLOCKING, message="the loss ignores the mask")
        AgentCLI([str(agent)]).implement(_request(git_project, findings=(finding,)))

    def test_agent_failure_is_an_implement_error(self, git_project, write_agent):
        """A non-zero exit is an ImplementError carrying stderr."""
        agent = write_agent("broken", "import sys\nsys.stderr.write('no credits')\nsys.exit(2)\n")
        with pytest.raises(ImplementError, match="exited with code 2: no credits"):
            AgentCLI([str(agent)]).implement(_request(git_project))

    def test_empty_command_is_refused(self):
        """An empty command cannot build an AgentCLI."""
        with pytest.raises(ImplementError):
            AgentCLI([])
