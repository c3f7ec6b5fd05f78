"""
PlainConsole writes what the rich console writes where the output is not a terminal, without
loading rich; output_console picks it only where rich would see no terminal.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from rich.control import STRIP_CONTROL_CODES

from bridge.cli import console as console_module
from bridge.cli.console import PlainConsole, Styled, make_console, output_console, styled
from tests.cli.conftest import REPO, bridge_cli

TEXTS = [
    "",
    "plain line",
    "Plan [bold]T[/bold] with [[runs]] and [reviewer] :smile:",
    "trailing spaces   ",
    "  leading",
    "two\nlines",
    "ends with a newline\n",
    "\n",
    "bell\x07 back\x08space vtab\x0b feed\x0c return\r done",
    "escape \x1b[31mred\x1b[0m and nul \x00 shown",
    "title \x1b]0;owned\x07, link \x1b]8;;https://x/\x07here\x1b]8;;\x07, \u202eevil, \x9b2J",
    "宽字符的计划标题 · ✓ — …" + "x" * 200,
    "e\u0301 combining, emoji 🚀, zero\u200bwidth",
    "tab\tstop",
    "宽\t字",
]


def _rich(*objects: object) -> str:
    out = io.StringIO()
    make_console(file=out).print(*objects)
    return out.getvalue()


def _plain(*objects: object) -> str:
    out = io.StringIO()
    PlainConsole(file=out).print(*objects)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _no_forced_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "NO_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


class TestSameAsRich:
    @pytest.mark.parametrize("text", TEXTS)
    def test_text(self, text: str) -> None:
        assert _plain(text) == _rich(text)

    @pytest.mark.parametrize("text", TEXTS)
    def test_styled(self, text: str) -> None:
        assert _plain(styled("label\r:", "bold red", text)) == _rich(
            styled("label\r:", "bold red", text)
        )

    def test_several_objects(self) -> None:
        assert _plain("a", Styled("b", "bold"), "c") == _rich("a", Styled("b", "bold"), "c")

    def test_a_rich_renderable_goes_through_rich(self) -> None:
        from rich.text import Text

        assert _plain(Text("x", style="bold"), "y") == _rich(Text("x", style="bold"), "y")

    @pytest.mark.parametrize("code", sorted(STRIP_CONTROL_CODES))
    def test_what_rich_would_drop_is_shown(self, code: int) -> None:
        """A bell, backspace or carriage return rich drops silently both consoles show."""
        shown = f"a\\u{code:04x}b\n".replace("\\u0008", "\\b").replace("\\u000c", "\\f")
        shown = shown.replace("\\u000d", "\\r")
        assert _plain(f"a{chr(code)}b") == _rich(f"a{chr(code)}b") == shown

    def test_styled_is_styled_on_a_terminal(self) -> None:
        from rich.console import Console

        out = io.StringIO()
        Console(file=out, force_terminal=True, color_system="standard").print(
            styled("blocked:", "red", " [why]")
        )
        assert out.getvalue() == "\x1b[31mblocked:\x1b[0m [why]\n"

    def test_a_terminal_is_sent_only_the_consoles_own_escapes(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """On a terminal (styles on), text handed to the console is shown, markup unread."""
        monkeypatch.setenv("FORCE_COLOR", "1")
        out = io.StringIO()
        console = make_console(file=out)
        assert console.is_terminal
        console.print(styled("blocked:", "red", " \x1b[2J\x1b]0;t\x07 [bold red]PASS[/] \u202e\r"))
        assert out.getvalue() == (
            "\x1b[31mblocked:\x1b[0m \\u001b[2J\\u001b]0;t\\u0007 [bold red]PASS[/] \\u202e\\r\n"
        )


class TestLines:
    def test_lines_from_two_threads_are_whole(self) -> None:
        out = io.StringIO()
        plain = PlainConsole(file=out)

        def many(tag: str) -> None:
            for n in range(500):
                plain.print(f"{tag} line {n} " + "x" * 50)

        threads = [threading.Thread(target=many, args=(tag,)) for tag in "ab"]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        lines = out.getvalue().splitlines()
        assert len(lines) == 1000
        assert all(line.endswith("x" * 50) and line[:2] in ("a ", "b ") for line in lines)


class TestOutputConsole:
    def test_a_pipe_gets_the_plain_console(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(sys, "stdout", io.StringIO())
        assert isinstance(output_console(), PlainConsole)

    @pytest.mark.parametrize(("name", "value"), [("FORCE_COLOR", "1"), ("TTY_COMPATIBLE", "1")])
    def test_forced_colour_gets_rich(
        self, monkeypatch: pytest.MonkeyPatch, name: str, value: str
    ) -> None:
        """Where rich would style a pipe, the rich console prints, styles and all."""
        monkeypatch.setattr(sys, "stdout", io.StringIO())
        monkeypatch.setenv(name, value)
        chosen = output_console()
        assert not isinstance(chosen, PlainConsole)
        assert chosen.is_terminal


def test_ascii_takes_one_cell_per_character() -> None:
    """The status table counts ASCII by length: no ASCII character is wide or full-width."""
    import unicodedata

    assert all(unicodedata.east_asian_width(chr(c)) not in "WF" for c in range(128))
    assert console_module.terminal_cells("M1 run-a") == 8
    assert console_module.terminal_cells("实验 a") == 6  # two wide characters, a space, a letter


class TestClosedPipe:
    def test_a_closed_pipe_exits_1_once_and_then_prints_nothing(self) -> None:
        """
        The reader closed the pipe: SystemExit(1) as rich's console raises (from the watcher
        thread it ends only that thread), the output pointed at /dev/null, and every later
        print is dropped without an error.
        """
        read_end, write_end = os.pipe()
        os.close(read_end)
        with os.fdopen(write_end, "w") as out:
            console = PlainConsole(file=out)
            with pytest.raises(SystemExit) as exited:
                console.print("stage DEPLOYED")
            assert exited.value.code == 1
            console.print("stage COLLECTED")  # no second exit, no BrokenPipeError
            assert os.path.samestat(os.fstat(out.fileno()), os.stat(os.devnull))

    def test_bridge_run_into_a_closed_pipe_ends_without_a_traceback(self, tmp_path: Path) -> None:
        """
        `bridge run | head -1` on the quickstart: no traceback, whichever thread meets the
        closed pipe first; exit 1 when the command stopped there, else it finished the plan.
        """
        project = tmp_path / "quickstart"
        shutil.copytree(REPO / "examples" / "quickstart", project)
        proc = subprocess.Popen(
            [sys.executable, "-m", "bridge", "run", "--plain", "--project", str(project)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.readline()
        proc.stdout.close()
        err = proc.stderr.read().decode()
        proc.stderr.close()
        code = proc.wait(timeout=120)
        assert "Traceback" not in err, err
        assert code in (0, 1), err
        if code == 0:  # the watcher met the closed pipe: the plan was carried to the end
            status = bridge_cli("status", "--project", str(project))
            assert "COLLECTED" in status.stdout, status.stdout
