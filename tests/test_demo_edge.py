"""Demo generation lives at the edge: the web app never loads the generators, and no domain
imports the demo package (only the CLI wiring in the factory does)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"
GENERATOR_MODULES = ("app.demo.generate", "app.demo.kernel", "app.demo.steps")


def test_the_web_app_does_not_load_the_generators():
    # A fresh interpreter: this test process has imported the generators for other tests.
    script = (
        "import sys\n"
        "from app import create_app\n"
        "app = create_app('testing', SQLALCHEMY_DATABASE_URI='sqlite://')\n"
        "assert app.test_client().get('/healthz').status_code < 500\n"
        "print('\\n'.join(sorted(m for m in sys.modules if m.startswith('app.'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=APP.parent,
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = result.stdout.split()
    assert "app.clients.routes" in loaded  # the app was really built
    assert [m for m in loaded if m.startswith(GENERATOR_MODULES)] == []
    assert [m for m in loaded if m.rsplit(".", 1)[-1] == "generate"] == []


def _imported_modules(tree: ast.AST) -> set[str]:
    """The modules (and, for ``from m import n``, also ``m.n``) that ``tree`` imports."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_only_the_cli_wiring_imports_the_demo_package():
    importers = {}
    for path in sorted(APP.rglob("*.py")):
        relative = path.relative_to(APP)
        if relative.parts[0] == "demo":
            continue
        imported = _imported_modules(ast.parse(path.read_text(), filename=str(path)))
        demo = {name for name in imported if name == "app.demo" or name.startswith("app.demo.")}
        if demo:
            importers[str(relative)] = demo
    assert importers == {"__init__.py": {"app.demo.cli", "app.demo.cli.demo_cli"}}


def test_the_demo_cli_imports_the_generators_only_when_run():
    module = ast.parse((APP / "demo" / "cli.py").read_text())
    imports = [node for node in module.body if isinstance(node, ast.Import | ast.ImportFrom)]
    top_level = set().union(*(_imported_modules(node) for node in imports))
    assert top_level and not [n for n in top_level if n.startswith(GENERATOR_MODULES)]
