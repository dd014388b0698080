"""The apps import each other along layers, never in a circle (the README's map).

The layers from the top, each arrow from importer to imported: ``portal`` (home
page, counter, demo, roles) → ``recognition`` (appraisal, decisions) → ``imports``
→ ``heads`` (unit heads' accounts and reminders) and ``doclibrary`` (the
document library, whose file checks are the evidence's) → ``registrations`` → ``news``
and ``polls`` (independent of each other; registrations drafts the briefing
article, so it imports news) → ``units`` → ``kieumau`` (the project's shared
pieces). A module imports its own app and the layers below only; the one exception
is ``kieumau/urls.py``, the site's URLconf, which names every app's pages.
An import inside a function to dodge a circle is not allowed either: a function may
import the standard library or a third-party library lazily, not another app.
Imports are read with ``ast``, those inside functions and ``import_module("app.x")``
included; migrations and tests are left out.
"""

import ast
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [
    ["kieumau"],
    ["units"],
    ["news", "polls"],
    ["registrations"],
    ["heads", "doclibrary"],
    ["imports"],
    ["recognition"],
    ["portal"],
]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}
URLCONF = "kieumau/urls.py"
FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def modules():
    for app in RANK:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.relative_to(ROOT).parts:
                yield app, path


def imported_apps(path, root=ROOT):
    """(line, imported app, inside a function?) for each import of an app."""
    app = path.relative_to(root).parts[0]

    def target(module, level):
        if level:  # a relative import stays within the importing app
            return app
        return (module or "").split(".")[0]

    def visit(node, in_function):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, target(alias.name, 0), in_function
        elif isinstance(node, ast.ImportFrom):
            yield node.lineno, target(node.module, node.level), in_function
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", ""))
            == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, target(node.args[0].value, 0), in_function
        for child in ast.iter_child_nodes(node):
            yield from visit(child, in_function or isinstance(node, FUNCTIONS))

    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for line, imported, in_function in visit(tree, False):
        if imported in RANK:
            yield line, imported, in_function


def imports():
    """(importer app, imported app, "file:line", inside a function?) across apps."""
    for app, path in modules():
        where = path.relative_to(ROOT)
        for line, other, in_function in imported_apps(path):
            if other != app:
                yield app, other, f"{where}:{line}", in_function


def cycle(edges):
    """One cycle of the graph as a list of apps, each importing the next; or []."""
    graph = {}
    for importer, imported in edges:
        graph.setdefault(importer, set()).add(imported)
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as error:  # each app there is imported by the next one
        return error.args[1][::-1]
    return []


def test_the_app_graph_has_no_cycle():
    edges = {
        (importer, imported)
        for importer, imported, where, _in_function in imports()
        if not where.startswith(URLCONF)
    }
    assert not cycle(edges), "the apps import each other in a circle: " + " → ".join(
        cycle(edges)
    )


def test_no_app_imports_a_higher_or_sibling_layer():
    wrong = [
        f"{where}: {importer} → {imported}"
        for importer, imported, where, _in_function in imports()
        if RANK[imported] >= RANK[importer] and not where.startswith(URLCONF)
    ]
    assert not wrong, "imports against the layers (importer → imported):\n" + "\n".join(
        sorted(wrong)
    )


def test_no_function_imports_another_app():
    inside = [
        f"{where}: {importer} → {imported}"
        for importer, imported, where, in_function in imports()
        if in_function
    ]
    assert not inside, "imports of another app inside a function:\n" + "\n".join(
        sorted(inside)
    )


def test_the_layers_name_every_app_of_the_project():
    project = {
        name.split(".")[0]
        for name in settings.INSTALLED_APPS
        if (ROOT / name.split(".")[0]).is_dir()
    }
    assert project | {"kieumau"} == set(RANK)


def test_the_checks_catch_a_cycle_and_a_function_import(tmp_path):
    module = tmp_path / "news" / "sitemaps.py"
    module.parent.mkdir()
    module.write_text(
        "from . import models\n"
        "import json\n"
        "def items():\n"
        "    from registrations.models import Registration\n"
        "    import csv\n"
        "    return import_module('polls.box')\n"
    )
    found = [(app, inside) for _line, app, inside in imported_apps(module, tmp_path)]
    assert found == [("news", False), ("registrations", True), ("polls", True)]
    assert set(cycle({("news", "polls"), ("polls", "portal"), ("portal", "news")})) == {
        "news",
        "polls",
        "portal",
    }
    assert cycle({("portal", "news"), ("news", "units")}) == []
