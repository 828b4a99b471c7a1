"""The package stays readable: no file over 400 lines (the explorer's JavaScript included), no function over 60
lines of code, and numpydoc ``Parameters`` on every public function that takes two or more."""
from __future__ import annotations

import ast
import io
import tokenize
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "latentlab"
SOURCES = sorted(p for p in PACKAGE.rglob("*") if p.suffix in (".py", ".js"))
PYTHON = [p for p in SOURCES if p.suffix == ".py"]


def _code_lines(source: str, node: ast.AST) -> int:
    """Lines of a definition that hold code: not blank, not comments, not its docstring."""
    lines = set()
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if node.lineno <= tok.start[0] <= node.end_lineno and tok.type not in (
                tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            lines.update(range(tok.start[0], tok.end[0] + 1))
    body = getattr(node, "body", [])
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant):
        lines -= set(range(body[0].lineno, body[0].end_lineno + 1))
    return len(lines)


def _functions(path: Path):
    tree = ast.parse(path.read_text())
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node, parents.get(node)


def test_the_sources_were_found():
    assert len(PYTHON) > 50 and any(p.suffix == ".js" for p in SOURCES)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_file_is_over_400_lines(path):
    n = len(path.read_text().splitlines())
    assert n <= 400, f"{path.relative_to(PACKAGE)} has {n} lines"


def test_no_function_is_over_60_lines_of_code():
    long = []
    for path in PYTHON:
        source = path.read_text()
        for node, _ in _functions(path):
            n = _code_lines(source, node)
            if n > 60:
                long.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name} ({n} lines)")
    assert not long, long


def test_public_functions_of_two_or_more_parameters_document_them():
    missing = []
    for path in PYTHON:
        if any(part.startswith("_") and part != "__init__.py" for part in path.relative_to(PACKAGE).parts):
            continue
        for node, parent in _functions(path):
            if node.name.startswith("_") or not isinstance(parent, (ast.Module, ast.ClassDef)):
                continue
            if isinstance(parent, ast.ClassDef) and parent.name.startswith("_"):
                continue
            args = node.args
            names = [a.arg for a in args.posonlyargs + args.args + args.kwonlyargs if a.arg not in ("self", "cls")]
            if len(names) >= 2 and "Parameters" not in (ast.get_docstring(node) or "") \
                    and "see :func:" not in (ast.get_docstring(node) or ""):
                missing.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}")
    assert not missing, missing
