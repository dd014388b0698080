"""Every environment variable the portal reads is documented (README, .env.example)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INTERNAL = {"KIEUMAU_TESTING"}  # set by the test suite itself, not by an operator


def _read_variables():
    names = set()
    settings = (ROOT / "kieumau" / "settings.py").read_text()
    names |= set(re.findall(r'\benv_[a-z]+\(\s*"([A-Z][A-Z0-9_]+)"', settings))
    for path in (ROOT / "kieumau" / "settings.py", ROOT / "gunicorn.conf.py"):
        text = path.read_text()
        names |= set(
            re.findall(r'os\.environ(?:\.get\(|\[)\s*"([A-Z][A-Z0-9_]+)"', text)
        )
    gunicorn = (ROOT / "gunicorn.conf.py").read_text()
    names |= set(re.findall(r'\b_int\(\s*"([A-Z][A-Z0-9_]+)"', gunicorn))
    return sorted(names - INTERNAL)


VARIABLES = _read_variables()


def test_the_variables_were_found():
    assert {"DATABASE_URL", "SECRET_KEY", "REDIS_URL", "GUNICORN_BIND"} <= set(
        VARIABLES
    )


@pytest.mark.parametrize("name", VARIABLES)
def test_each_variable_is_in_env_example(name):
    example = (ROOT / ".env.example").read_text()
    assert re.search(rf"^#? ?{name}=", example, re.MULTILINE), name


@pytest.mark.parametrize("name", VARIABLES)
def test_each_variable_is_in_the_readme(name):
    assert f"`{name}`" in (ROOT / "README.md").read_text(), name


# The project's own documents: a clone holds everything they point to.
DOCUMENTS = ["README.md", "docs/contract.md", "docs/conventions.md", "bench/RESULTS.md"]
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
# A path in backquotes that leaves the repository: ../x, /work/…, ~/…
OUTSIDE_PATH = re.compile(r"`(?:\.\./|/work/|~/)[^`]*`")


@pytest.mark.parametrize("document", DOCUMENTS)
def test_documents_link_only_inside_the_repository(document):
    path = ROOT / document
    text = path.read_text()
    for target in MARKDOWN_LINK.findall(text):
        if target.startswith(("http://", "https://", "mailto:", "#")):
            continue
        resolved = (path.parent / target.split("#", 1)[0]).resolve()
        assert resolved.is_relative_to(ROOT), f"{document} links outside: {target}"
        assert resolved.exists(), f"{document} links to a missing path: {target}"
    assert OUTSIDE_PATH.findall(text) == [], document
    assert "shared/" not in text, document


def test_the_readme_links_to_the_projects_own_documents():
    readme = (ROOT / "README.md").read_text()
    for target in ("docs/contract.md", "docs/conventions.md", "bench/RESULTS.md"):
        assert f"]({target})" in readme, target
