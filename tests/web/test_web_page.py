"""The page and its files: shipped in the package, served from here alone, nothing from outside."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

import aiohttp

import bot
from bot.channels.web.routes import STATIC
from bot.engine.vocabulary import Action
from tests.web.conftest import WebChat

ROOT = Path(__file__).resolve().parents[2]


async def test_the_page_is_served_at_the_root_with_a_strict_content_policy(web: WebChat) -> None:
    async with web.http.get(f"{web.base}/") as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        policy = response.headers["Content-Security-Policy"]
        page = await response.text()
    assert "script-src 'self'" in policy and "default-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert '<script src="/web/static/app.js" defer></script>' in page
    assert '<link rel="stylesheet" href="/web/static/app.css">' in page


async def test_the_script_and_style_are_served_with_their_types(web: WebChat) -> None:
    for name, kind in (("app.js", "text/javascript"), ("app.css", "text/css")):
        async with web.http.get(f"{web.base}/web/static/{name}") as response:
            assert response.status == 200
            assert response.headers["Content-Type"] == f"{kind}; charset=utf-8"
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert (await response.read()) == (STATIC / name).read_bytes()


async def test_nothing_but_the_shipped_files_is_served(web: WebChat) -> None:
    async with aiohttp.ClientSession() as http:
        for path in (
            "/web/static/..%2F__init__.py",
            "/web/static/%2E%2E/routes.py",
            "/web/static/routes.py",
            "/web/static/.hidden.js",
            "/web/static/nope.js",
        ):
            async with http.get(f"{web.base}{path}") as response:
                assert response.status == 404, path


def test_the_page_loads_nothing_from_elsewhere() -> None:
    """Offline: no CDN, no web font, no address outside this server."""
    for path in STATIC.iterdir():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.IGNORECASE), path
        assert "@import" not in text and "url(" not in text, path


def test_the_script_never_writes_html() -> None:
    """Every text reaches the page as a text node: no way for markup to sneak in."""
    script = (STATIC / "app.js").read_text(encoding="utf-8")
    for risky in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert risky not in script, risky


def test_the_script_parses_no_markup() -> None:
    """Text arrives as spans and lists: the page has no Markdown reader of its own."""
    script = (STATIC / "app.js").read_text(encoding="utf-8")
    for reader in ("#{1,6}", "\\*\\*", "[-•]\\s", "matchAll"):
        assert reader not in script, reader


def test_the_script_takes_action_names_from_the_server() -> None:
    """Action names are defined once, in the engine's vocabulary; the page is sent them."""
    script = (STATIC / "app.js").read_text(encoding="utf-8")
    values = "|".join(re.escape(action.value) for action in Action)
    written = re.findall(rf"action\W{{0,3}}\s*[:=]\s*[\"'`]({values})[\"'`]", script)
    assert written == []
    assert "state.actions.OPEN_FORM" in script


def test_every_static_file_is_shipped_in_the_package() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["bot"]
    package = Path(bot.__file__).parent
    files = [p.relative_to(package).as_posix() for p in STATIC.rglob("*") if p.is_file()]
    assert {"channels/web/static/index.html", "channels/web/static/app.js"} <= set(files)
    assert [f for f in files if not any(fnmatch.fnmatch(f, p) for p in patterns)] == []
