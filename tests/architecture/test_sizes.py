"""Small modules and functions: none in `bot/` or `actions/` over 300 and 50 lines."""

from __future__ import annotations

from tests.architecture.modules import functions, modules

MAX_MODULE_LINES = 300
MAX_FUNCTION_LINES = 50

# Nothing is exempt; a module or function that grows past the limits is split.
LONG_MODULES: set[str] = set()
LONG_FUNCTIONS: set[str] = set()


def test_no_module_over_300_lines() -> None:
    too_long = {
        m.relative: lines
        for m in modules()
        if (lines := len(m.path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
        and m.relative not in LONG_MODULES
    }
    assert not too_long, f"modules over {MAX_MODULE_LINES} lines: {too_long}"


def test_no_function_over_50_lines() -> None:
    too_long = {
        name: length
        for m in modules()
        for f in functions(m)
        if (length := (f.end_lineno or f.lineno) - f.lineno + 1) > MAX_FUNCTION_LINES
        and (name := f"{m.relative} {f.name}") not in LONG_FUNCTIONS
    }
    assert not too_long, f"functions over {MAX_FUNCTION_LINES} lines: {too_long}"
