"""No private name (``_x``) of Django or another library in the portal's code.

A library's underscore names are not part of its API: they change without notice and
break silently on an upgrade. The few underscore names a library documents are
listed in ALLOWED, each with where it is documented. A private name the portal
defines itself (a module's helper, an attribute of its own classes, an annotation)
is fine wherever it is used. Read with ``ast``: attribute access (``x._name``, also
through ``getattr``/``setattr``/``monkeypatch.setattr``), ``from lib import _name``,
private modules (``lib._mod``), dotted paths given to ``patch``, and ``self._name``
in a class whose library base class uses that name.
"""

import ast
import importlib
import inspect
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
# The project package and every app of this checkout (an app added tomorrow is
# scanned without touching this file).
PACKAGES = sorted(
    {
        name.split(".")[0]
        for name in settings.INSTALLED_APPS
        if (ROOT / name.split(".")[0]).is_dir()
    }
    | {"kieumau"}
)
SCANNED = [*PACKAGES, "tests"]  # and the .py files at the top (manage.py, gunicorn)

# Documented underscore APIs the portal uses; only names in use (a test checks).
ALLOWED = {
    "_meta": "Django: the Model _meta API (ref/models/meta)",
    "_default_manager": "Django: Model._default_manager (topics/db/managers)",
    "_history_user": "django-simple-history: user tracking, set on the instance",
    "_change_reason": "django-simple-history: historical model, change reason",
    "_replace": "Python: namedtuple._replace (collections; urllib.parse results)",
}

NAME_CALLS = {"getattr", "setattr", "hasattr", "delattr"}  # (obj, "_name", ...)
PATH_CALLS = {"patch", "setattr", "delattr", "import_string", "import_module"}
AGGREGATING = {"annotate", "alias", "aggregate"}  # their keywords name attributes
SELF = {"self", "cls"}


def private(name):
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def sources(*, with_migrations):
    files = sorted(ROOT.glob("*.py"))
    for package in SCANNED:
        for path in sorted((ROOT / package).rglob("*.py")):
            if with_migrations or "migrations" not in path.relative_to(ROOT).parts:
                files.append(path)
    return files


def parse(path):
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def ours(module, level=0):
    return level > 0 or (module or "").split(".")[0] in SCANNED


def module_level_names(tree):
    """Names a module defines at its top level (readable as ``module._name``)."""
    names, blocks = set(), [tree.body]
    while blocks:
        for node in blocks.pop():
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Import | ast.ImportFrom):
                names.update(alias.asname or alias.name for alias in node.names)
            elif isinstance(node, ast.If | ast.Try | ast.With | ast.For):
                blocks.extend(
                    getattr(node, field, [])
                    for field in ("body", "orelse", "finalbody")
                )
                blocks.extend(handler.body for handler in getattr(node, "handlers", []))
            else:
                for child in ast.walk(node):
                    if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                        names.add(child.id)
    return {name for name in names if private(name)}


def attribute_names(tree):
    """Attributes the portal's classes and annotations define (``x._name``)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(
                    item, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
                ):
                    names.add(item.name)
                for child in ast.walk(item) if isinstance(item, ast.Assign) else ():
                    if isinstance(child, ast.Name) and isinstance(child.ctx, ast.Store):
                        names.add(child.id)
        elif (
            isinstance(node, ast.Attribute)
            and isinstance(node.ctx, ast.Store)
            and isinstance(node.value, ast.Name)
            and node.value.id in SELF
        ):
            names.add(node.attr)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in AGGREGATING
        ):
            names.update(keyword.arg for keyword in node.keywords if keyword.arg)
    return {name for name in names if private(name)}


def own_names():
    """(module-level names, attribute names) the portal defines, migrations included."""
    modules, attributes = set(), set()
    for path in sources(with_migrations=True):
        tree = parse(path)
        modules |= module_level_names(tree)
        attributes |= attribute_names(tree)
    return modules, attributes


def library_bindings(tree):
    """Local names an import binds to a library's module or object."""
    bound = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            bound.update(
                alias.asname or alias.name.split(".")[0]
                for alias in node.names
                if not ours(alias.name)
            )
        elif isinstance(node, ast.ImportFrom) and not ours(node.module, node.level):
            bound.update(alias.asname or alias.name for alias in node.names)
    return bound


def private_uses(tree, modules, attributes):
    """(line, name, how) for each private name of a library this module uses."""
    library = library_bindings(tree)

    def on(receiver, name, line, how):
        if not private(name) or name in ALLOWED:
            return
        bound = receiver.id if isinstance(receiver, ast.Name) else None
        if bound in library:
            yield line, name, how
        elif name not in attributes and (bound in SELF or name not in modules):
            yield line, name, how

    def in_path(dotted, line, how):
        if not ours(dotted):
            for part in dotted.split("."):
                if private(part) and part not in ALLOWED:
                    yield line, part, how

    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            yield from on(node.value, node.attr, node.lineno, ast.unparse(node))
        elif isinstance(node, ast.ImportFrom) and not ours(node.module, node.level):
            yield from in_path(node.module, node.lineno, f"from {node.module} import")
            for alias in node.names:
                if private(alias.name) and alias.name not in ALLOWED:
                    yield node.lineno, alias.name, f"from {node.module} import"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield from in_path(alias.name, node.lineno, f"import {alias.name}")
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = (
                func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            )
            first, rest = node.args[0], node.args[1:2]
            if called in NAME_CALLS and rest and isinstance(rest[0], ast.Constant):
                if isinstance(rest[0].value, str):
                    how = f"{called}(..., {rest[0].value!r})"
                    yield from on(first, rest[0].value, node.lineno, how)
            if (
                called in PATH_CALLS
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                yield from in_path(
                    first.value, node.lineno, f"{called}({first.value!r})"
                )


def inherited_private_names(path, tree):
    """``self._name`` in a top-level class whose library base class uses ``_name``.

    The portal may define ``self._name`` itself; it is a library's when a base class
    from a library (Django, redis-py, the standard library) defines or uses it.
    """
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        used = {
            (child.attr, child.lineno)
            for child in ast.walk(node)
            if isinstance(child, ast.Attribute)
            and isinstance(child.value, ast.Name)
            and child.value.id in SELF
            and private(child.attr)
            and child.attr not in ALLOWED
        }
        if not used:
            continue
        cls = getattr(importlib.import_module(module), node.name)
        for base in cls.__mro__[1:]:
            if ours(base.__module__) or base is object:
                continue
            try:
                text = inspect.getsource(base)
            except (OSError, TypeError):  # a class written in C
                text = ""
            for name, line in sorted(used):
                if name in vars(base) or f".{name}" in text:
                    yield line, name, f"self.{name}, used by {base.__qualname__}"


def findings():
    modules, attributes = own_names()
    found = set()
    for path in sources(with_migrations=False):
        tree = parse(path)
        uses = [
            *private_uses(tree, modules, attributes),
            *inherited_private_names(path, tree),
        ]
        found.update((str(path.relative_to(ROOT)), *use) for use in uses)
    return [f"{path}:{line}: {name} ({how})" for path, line, name, how in sorted(found)]


def test_no_private_name_of_a_library_is_used():
    found = findings()
    assert not found, (
        "private names of Django or another library (use a public API, or add a "
        "documented one to ALLOWED with where it is documented):\n" + "\n".join(found)
    )


def test_every_allowed_private_name_is_still_used():
    used = set()
    for path in sources(with_migrations=False):
        for node in ast.walk(parse(path)):
            if isinstance(node, ast.Attribute):
                used.add(node.attr)
    assert set(ALLOWED) <= used, f"no longer used: {sorted(set(ALLOWED) - used)}"


def test_the_scan_tells_a_library_private_name_from_the_portal_own():
    code = (
        "from django.middleware import csrf\n"
        "from django.utils._os import safe_join\n"
        "from django.middleware.csrf import _check_token_format\n"
        "from portal import counter\n"
        "def _client(): pass\n"
        "class Portal:\n"
        "    def run(self, backend, request):\n"
        "        self._own = counter._db_add\n"
        "        csrf._does_token_match('a', 'b')\n"
        "        backend._cache._serializer\n"
        "        getattr(request, '_messages')\n"
        "        patch('django.middleware.csrf._get_new_csrf_string')\n"
        "        return self._own, backend._meta, request._own, self._client\n"
    )
    tree = ast.parse(code)
    modules = module_level_names(tree) | {"_db_add"}
    found = sorted(
        name for _line, name, _how in private_uses(tree, modules, attribute_names(tree))
    )
    assert found == [
        "_cache",
        "_check_token_format",
        "_client",
        "_does_token_match",
        "_get_new_csrf_string",
        "_messages",
        "_os",
        "_serializer",
    ]
