"""core/ imports one way: the rules in README's architecture table, held here.

Two checks. Statically (every `import`, also those inside functions): no cycle between core's
modules, each room imports only the rooms beneath it, and only the rooms allowed to may name
TensorFlow/Keras or onnxruntime at all. At run time (a fresh interpreter per module): importing
any core module loads no TensorFlow or Keras (they are imported lazily, where training needs
them), and only serving loads onnxruntime.
"""
from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORE = REPO / "core"
TF = {"tensorflow", "keras", "tf2onnx", "onnx", "tf_keras", "jax", "torch"}  # and the other Keras backends
ORT = {"onnxruntime"}

# room -> the rooms it may import (besides itself). The shared data modules (paths, progress,
# recipes, datasets, reasons, contracts) import nothing of core's but each other.
BASE = {"core", "core.paths", "core.progress", "core.recipes", "core.datasets", "core.reasons", "core.contracts",
        "core.passcode", "core.quota"}
MAY_IMPORT = {
    "core.data": BASE,
    "core.artifacts": BASE,
    "core.serving": BASE | {"core.data", "core.artifacts"},
    "core.training": BASE | {"core.data", "core.artifacts", "core.serving"},
    "core.explainers": BASE | {"core.data", "core.training"},
    "core.__main__": BASE | {"core.data", "core.artifacts", "core.serving", "core.training", "core.explainers"},
}
# who may name the heavy libraries at all (lazily, inside functions, except serving's onnxruntime)
MAY_NAME_TF = ("core.training", "core.data.pipeline", "core.data.augment", "core.data.folders",
               "core.explainers.summaries", "core.__main__")
MAY_NAME_ORT = ("core.serving", "core.training.export", "core.training.train")
# the `onnx` package alone (no TensorFlow): serving reads a model's graph to explain it (5.4), with onnx's
# message classes and, for tensor types it does not decode itself, onnx's numpy_helper
MAY_NAME_ONNX = MAY_NAME_TF + ("core.serving.onnx_graph",)


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(CORE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _imports(name: str) -> set[str]:
    """Every module name this module imports, anywhere in its body."""
    tree = ast.parse(MODULES[name].read_text())
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                module = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + [module]).strip(".")
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names if f"{module}.{alias.name}" in MODULES}
    return found


def _room(name: str) -> str:
    parts = name.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else name


def _core_edges() -> dict[str, set[str]]:
    return {name: {m for m in _imports(name) if m in MODULES and m != name} for name in MODULES}


def test_no_import_cycle_in_core():
    edges = _core_edges()
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node):
        state[node] = 1
        stack.append(node)
        for nxt in edges[node]:
            if state.get(nxt) == 1:
                cycle = stack[stack.index(nxt):] + [nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for name in edges:
        if name not in state:
            visit(name)


@pytest.mark.parametrize("name", sorted(n for n in MODULES if _room(n) in MAY_IMPORT))
def test_rooms_import_only_the_rooms_beneath(name):
    room = _room(name)
    allowed = MAY_IMPORT[room] | {room}
    wrong = sorted(m for m in _core_edges()[name] if _room(m) not in allowed and m not in allowed)
    assert not wrong, f"{name} ({room}) may import only {sorted(allowed)}; it imports {wrong}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if _room(n) not in MAY_IMPORT))
def test_shared_data_modules_import_no_room(name):
    wrong = sorted(m for m in _core_edges()[name] if m not in BASE)
    assert not wrong, f"{name} is shared data and may import only {sorted(BASE)}; it imports {wrong}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_heavy_libraries_are_named_only_where_allowed(name):
    top = {m.split(".")[0] for m in _imports(name)}
    if not name.startswith(MAY_NAME_TF):
        assert not top & (TF - {"onnx"}), f"{name} may not import {sorted(top & TF)}"
    if not name.startswith(MAY_NAME_ONNX):
        assert "onnx" not in top, f"{name} may not import onnx"
    if not name.startswith(MAY_NAME_ORT):
        assert not top & ORT, f"{name} may not import onnxruntime"


@pytest.mark.slow  # one fresh interpreter per module: about 10 s
def test_importing_core_loads_no_tensorflow_and_onnxruntime_only_for_serving():
    """Each module in a fresh interpreter (one subprocess runs them one by one, in children)."""
    code = (
        "import json, subprocess, sys\n"
        "names = json.loads(sys.argv[1])\n"
        "probe = 'import importlib, sys, json; importlib.import_module(sys.argv[1]); "
        "print(json.dumps(sorted({m.split(\".\")[0] for m in sys.modules} & set(json.loads(sys.argv[2])))))'\n"
        "out = {}\n"
        "for n in names:\n"
        "    r = subprocess.run([sys.executable, '-c', probe, n, sys.argv[2]], capture_output=True, text=True)\n"
        "    out[n] = json.loads(r.stdout) if r.returncode == 0 else 'error: ' + r.stderr[-300:]\n"
        "print(json.dumps(out))\n"
    )
    names = sorted(n for n in MODULES if n != "core.__main__")
    result = subprocess.run([sys.executable, "-c", code, json.dumps(names), json.dumps(sorted(TF | ORT))],
                            capture_output=True, text=True, cwd=REPO, check=True)
    loaded = json.loads(result.stdout)
    problems = []
    for name, heavy in loaded.items():
        if isinstance(heavy, str):
            problems.append(f"{name}: {heavy}")
            continue
        allowed = TF | ORT if name.startswith("core.training") else ORT if name.startswith("core.serving") else set()
        if set(heavy) - allowed:
            problems.append(f"importing {name} loads {sorted(set(heavy) - allowed)}")
    assert not problems, "\n".join(problems)
