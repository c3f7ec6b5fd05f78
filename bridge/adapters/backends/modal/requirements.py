"""
The Python packages a Modal function's image must hold: the declared requirements, read and
checked against what the image reports.

``[backends.modal] packages`` and the pip requirements file ``[backends.modal] requirements``
list PEP 508 requirements; the launcher's ``<function>_image_report`` function reports the
image's Python version and installed distributions; :func:`unmet` names each requirement the
image does not satisfy, with where it was declared.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import attrs
from packaging.markers import default_environment
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from bridge.errors import BackendConfigError

__all__ = ["DeclaredRequirement", "read_requirements_file", "requirement_problem", "unmet"]

_SETTING = "backends.modal.requirements"
# pip options that name no package to install (indexes, hashes, build flags): nothing to check.
_OPTIONS_WITHOUT_PACKAGES = (
    "-i", "--index-url", "--extra-index-url", "--no-index", "-f", "--find-links",
    "--pre", "--prefer-binary", "--only-binary", "--no-binary", "--trusted-host",
    "--use-feature", "-c", "--constraint", "--config-settings", "--global-option",
)  # fmt: skip


@attrs.frozen(kw_only=True)
class DeclaredRequirement:
    """
    One requirement the image must satisfy, and where it was declared
    (``backends.modal.packages[0]``, ``requirements.txt:3``).
    """

    text: str
    where: str


def requirement_problem(text: str) -> str | None:
    """
    Return why ``text`` is not a requirement bridge can check (PEP 508, by name), else None.
    """
    try:
        Requirement(text)  # a URL requirement (``name @ url``) still names its distribution
    except InvalidRequirement as exc:
        return f"{text!r} is not a requirement like 'torch>=2.1' ({exc})"
    return None


def read_requirements_file(
    path: Path, shown: str, _seen: frozenset[Path] = frozenset()
) -> tuple[DeclaredRequirement, ...]:
    """
    Read a pip requirements file: one requirement a line, ``#`` comments, ``\\`` continuations,
    ``-r other.txt`` includes (relative to the file); options that name no package (indexes,
    constraints, hashes) are not requirements.

    Args:
        path: the file.
        shown: how messages name it (the path as the user wrote it).

    Raises:
        BackendConfigError: the file cannot be read, or a line is no requirement bridge can check
            (an editable install, a bare path or URL), naming ``file:line``.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BackendConfigError(
            f"{_SETTING}: cannot read {shown}: {exc}", setting=_SETTING, file=shown
        ) from None
    found: list[DeclaredRequirement] = []
    lines = text.splitlines()
    number = 0
    while number < len(lines):
        start = number + 1
        line = lines[number]
        number += 1
        while line.endswith("\\") and number < len(lines):
            line = line[:-1] + " " + lines[number]
            number += 1
        line = _strip_comment(line).strip()
        if not line:
            continue

        def fail(message: str, line_number: int = start) -> BackendConfigError:
            return BackendConfigError(
                f"{_SETTING}: {message}", setting=_SETTING, file=shown, line=line_number
            )

        if line.startswith("-"):
            option, _, rest = line.partition(" ")
            option = option.split("=", 1)[0]
            if option in ("-r", "--requirement"):
                target = (path.parent / rest.strip()).resolve()
                if target in _seen or target == path.resolve():
                    raise fail(f"{rest.strip()} includes itself")
                found.extend(read_requirements_file(target, rest.strip(), _seen | {path.resolve()}))
                continue
            if option in ("-e", "--editable"):
                raise fail(
                    f"{line!r} is an editable install, which bridge cannot check against the "
                    "image; list the package by name (or remove the line)"
                )
            if option in _OPTIONS_WITHOUT_PACKAGES:
                continue
            raise fail(f"unknown pip option {option!r}")
        # A requirement may carry per-requirement options (--hash=...): they are not the name.
        requirement = line.split(" --", 1)[0].strip()
        problem = requirement_problem(requirement)
        if problem:
            raise fail(problem)
        found.append(DeclaredRequirement(text=requirement, where=f"{_SETTING} ({shown}:{start})"))
    return tuple(found)


def _strip_comment(line: str) -> str:
    # pip: a '#' starts a comment at the line's start or after whitespace (not inside a URL).
    if line.lstrip().startswith("#"):
        return ""
    for index, char in enumerate(line):
        if char == "#" and index > 0 and line[index - 1].isspace():
            return line[:index]
    return line


def unmet(
    requirements: Sequence[DeclaredRequirement], python: str, packages: Mapping[str, str]
) -> list[str]:
    """
    Return one line per requirement the image does not satisfy: not installed, or installed
    in a version outside the requirement's range. Requirements whose environment marker does
    not apply to the image's Python are not required.

    Args:
        requirements: what was declared.
        python: the image's Python version (``3.11.9``), empty when unknown.
        packages: the image's distributions, name → version.
    """
    installed = {canonicalize_name(name): version for name, version in packages.items()}
    environment: dict[str, str] = {k: str(v) for k, v in default_environment().items()}
    if python:
        environment["python_full_version"] = python
        environment["python_version"] = ".".join(python.split(".")[:2])
    problems: list[str] = []
    for declared in requirements:
        requirement = Requirement(declared.text)
        if requirement.marker is not None and not requirement.marker.evaluate(environment):
            continue
        version = installed.get(canonicalize_name(requirement.name))
        if version is None:
            problems.append(f"{declared.where}: {declared.text!r} is not installed in the image")
            continue
        if not requirement.specifier:
            continue
        try:
            ok = requirement.specifier.contains(Version(version), prereleases=True)
        except InvalidVersion:
            problems.append(
                f"{declared.where}: {declared.text!r}: the image has {requirement.name} "
                f"{version!r}, a version bridge cannot compare"
            )
            continue
        if not ok:
            problems.append(
                f"{declared.where}: {declared.text!r}: the image has {requirement.name} {version}"
            )
    return problems
