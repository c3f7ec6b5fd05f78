"""
A package's public names exported lazily (PEP 562): each is imported from the module that
defines it on first access, so importing the package loads none of them (``import bridge`` stays
cheap; see tests/test_imports.py). Imports nothing of bridge itself, so every layer may use it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from importlib import import_module

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, names: Mapping[str, str]
) -> tuple[Callable[[str], object], Callable[[], list[str]]]:
    """
    The ``__getattr__`` and ``__dir__`` of ``package`` for ``names`` (public name → the module
    that defines it). A name once imported is set on the package, so later look-ups skip
    ``__getattr__``; any other name raises ``AttributeError`` as a module's would.
    """

    def get(name: str) -> object:
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    def names_in() -> list[str]:
        own = sys.modules[package]
        return sorted({*vars(own), *getattr(own, "__all__", ())})

    return get, names_in
