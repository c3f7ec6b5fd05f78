"""
Tests for cloning base_repo from real local repositories over file://.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bridge.adapters.implement.base_repo import clone_base_repo, redact_url
from bridge.adapters.implement.existing import ExistingCode
from bridge.errors import ImplementError
from bridge.machine.ports import ImplementRequest


@pytest.fixture
def upstream(tmp_path: Path, run_git) -> Path:
    """A source repository with two commits (so a shallow clone is distinguishable)."""
    repo = tmp_path / "upstream"
    repo.mkdir()
    run_git(repo, "init", "-q", "-b", "main")
    (repo / "train.py").write_text("print(1)\n")
    run_git(repo, "add", "-A")
    run_git(repo, "commit", "-q", "-m", "one")
    (repo / "train.py").write_text(
        "import argparse, json\np = argparse.ArgumentParser()\np.add_argument('--seed')\n"
        "json.dump({}, open('m.json', 'w'))\n"
    )
    run_git(repo, "commit", "-qam", "two")
    return repo


class TestCloneBaseRepo:
    def test_shallow_file_url_clone_records_commit(self, upstream, tmp_path, run_git):
        """A file:// URL is cloned shallowly into base_repo/ and its HEAD commit recorded."""
        project = tmp_path / "project"
        project.mkdir()
        cloned = clone_base_repo(upstream.as_uri(), project)
        assert cloned.path == project / "base_repo"
        assert cloned.commit == run_git(upstream, "rev-parse", "HEAD")
        assert run_git(cloned.path, "rev-parse", "--is-shallow-repository") == "true"
        assert run_git(cloned.path, "rev-list", "--count", "HEAD") == "1"

    def test_second_call_keeps_the_clone(self, upstream, tmp_path):
        """Cloning again into an existing clone of the same URL returns the same commit."""
        project = tmp_path / "project"
        project.mkdir()
        first = clone_base_repo(upstream.as_uri(), project)
        (first.path / "local-edit.txt").write_text("kept\n")
        second = clone_base_repo(upstream.as_uri(), project)
        assert second.commit == first.commit
        assert (first.path / "local-edit.txt").exists()

    def test_clone_failure_carries_gits_message(self, tmp_path):
        """A repository that does not exist is an ImplementError quoting git."""
        project = tmp_path / "project"
        project.mkdir()
        missing = (tmp_path / "no-such-repo").as_uri()
        with pytest.raises(
            ImplementError, match=r"cloning base_repo .* failed: .*fatal:"
        ) as caught:
            clone_base_repo(missing, project)
        assert "no-such-repo" in str(caught.value)
        assert not (project / "base_repo").exists()

    def test_foreign_directory_is_refused(self, upstream, tmp_path):
        """A base_repo/ directory that is not a clone of the URL is refused, not overwritten."""
        project = tmp_path / "project"
        (project / "base_repo").mkdir(parents=True)
        with pytest.raises(ImplementError, match="is not a clone of"):
            clone_base_repo(upstream.as_uri(), project)

    def test_credentials_are_redacted(self):
        """User and token parts of URLs are replaced in messages."""
        assert (
            redact_url("fatal: https://user:tok3n@git.example.com/r.git not found")
            == "fatal: https://***@git.example.com/r.git not found"
        )


class TestExistingCodeWithBaseRepo:
    def test_scripts_resolve_in_the_clone(self, upstream, tmp_path):
        """With base_repo set, the clone's commit is recorded and its scripts are found."""
        project = tmp_path / "project"
        project.mkdir()
        result = ExistingCode(base_repo=upstream.as_uri()).implement(
            ImplementRequest(
                project=project,
                plan_excerpt="",
                method="",
                commands={"R001": ("python", "train.py")},
            )
        )
        assert len(result.base_commit) == 40
        assert result.findings == ()
