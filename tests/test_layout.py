"""The package stays readable: no file over 400 lines (the explorer's JavaScript modules included; eslint holds
them to 300), no function over 60 lines of code, and numpydoc ``Parameters`` on every public function that takes
two or more."""
from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "latentlab"
BUILT = ("node_modules", "assets")  # npm's packages and esbuild's bundles: not written by hand
SOURCES = sorted(p for p in PACKAGE.rglob("*") if p.suffix in (".py", ".js")
                 and BUILT[0] not in p.parts and not (p.suffix == ".js" and BUILT[1] in p.parts))
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


def _module_name(path: Path) -> str:
    parts = ("latentlab",) + path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in PYTHON}


def _imports(path: Path) -> set[str]:
    """The package's modules that ``path`` imports, at its top or inside functions (``TYPE_CHECKING`` blocks,
    which run only under a type checker, left out)."""
    tree = ast.parse(path.read_text())
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and "TYPE_CHECKING" in ast.unparse(node.test) for n in ast.walk(node)}
    out = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name in MODULES)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([node.module] if node.module else []))
            for alias in node.names:
                target = f"{base}.{alias.name}"
                out.add(target if target in MODULES else base)
    return (out & MODULES.keys()) - {name}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while not group or group[-1] != v:
                group.append(stack.pop())
                on_stack.discard(group[-1])
            if len(group) > 1:
                groups.append(sorted(group))

    for v in graph:
        if v not in index:
            visit(v)
    return groups


def test_no_import_cycles_between_modules():
    graph = {name: _imports(path) for name, path in MODULES.items()}
    assert sum(map(len, graph.values())) > 100  # the graph was read
    assert not _cycles(graph), _cycles(graph)


def test_the_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_imports_a_private_module_of_another_package():
    found = []
    for name, path in MODULES.items():
        own = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
        for target in _imports(path):
            package, _, leaf = target.rpartition(".")
            if leaf.startswith("_") and not leaf.startswith("__") and package != own:
                found.append(f"{name} imports {target}")
    assert not found, found


PREFIX = re.compile(r"(?<![A-Za-z0-9_.])X_")


def test_the_projection_key_rule_lives_in_store_keys():
    """``X_`` (scanpy's prefix of a projection's obsm key) is handled in ``store/keys.py`` only: elsewhere it
    appears in docstrings and comments, never in code."""
    found = []
    for path in SOURCES:
        if path == PACKAGE / "store" / "keys.py":
            continue
        text = path.read_text()
        if path.suffix == ".py":
            strings = [tok.string for tok in tokenize.generate_tokens(io.StringIO(text).readline)
                       if tok.type == tokenize.STRING and not tok.string.startswith(('"""', "'''"))]
            found += [f"{path.relative_to(PACKAGE)}: {s}" for s in strings if PREFIX.search(s)]
        elif PREFIX.search(text.replace("this.X_", "")):
            found.append(str(path.relative_to(PACKAGE)))
    assert not found, found
