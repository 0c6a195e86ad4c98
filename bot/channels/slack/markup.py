"""Text between the neutral spans and Slack's mrkdwn, both ways.

Spans come styled already (bold, italic, code, links); here they become mrkdwn
and nothing is parsed. Slack's mrkdwn treats &, < and > as control characters:
every span's text has them escaped, or `<!channel>` in a contribution would ping
everyone, and a link is only ever one the bot made.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.engine.messages import Bullet, Span, hug

# Slack's own markup in text people type: <@U123>, <@U123|ann>, <#C1|name>,
# <!here>, <https://x|label>, <mailto:a@b|a@b>.
_SLACK_TOKEN = re.compile(r"<([^<>]*)>")
# What a link's address may not hold inside <...|...>.
_URL_UNSAFE = re.compile(r"[<>|\s]")


def escape(text: str) -> str:
    """Make text safe inside mrkdwn: only &, < and > are special (Slack's rule)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn(spans: Iterable[Span]) -> str:
    """Spans as Slack mrkdwn, every text escaped."""
    return "".join(_span(span) for span in spans)


def bullets(items: Iterable[Bullet]) -> list[str]:
    """A list's lines: • for a point, ◦ indented for one under it."""
    lines = []
    for item in items:
        lines.append(f"• {mrkdwn(item.spans)}")
        lines += [f"    ◦ {mrkdwn(under)}" for under in item.under]
    return lines


def _span(span: Span) -> str:
    if span.link and not _URL_UNSAFE.search(span.link):
        return f"<{span.link}|{escape(span.text)}>"
    marks = ("`" if span.code else "") + ("*" if span.bold else "") + ("_" if span.italic else "")
    return hug(escape(span.text), marks)


def plain(text: str) -> str:
    """What someone typed in Slack, as plain text: mentions and links readable,
    Slack's escapes undone (we escape again when we show it)."""

    def token(match: re.Match[str]) -> str:
        inner = match.group(1)
        target, _, label = inner.partition("|")
        if target.startswith("@"):
            return f"@{label or target[1:]}"
        if target.startswith("#"):
            return f"#{label or target[1:]}"
        if target.startswith("!"):
            return f"@{label or target[1:].split('^')[0]}"
        if label and label != target:
            return f"{label} ({target})"
        return target.removeprefix("mailto:")

    text = _SLACK_TOKEN.sub(token, text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def shorten(text: str, limit: int) -> str:
    """A label cut to `limit` characters, visibly (an ellipsis), for places where
    Slack allows no more; never used for contributions, only for labels."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def split_text(text: str, limit: int) -> list[str]:
    """Text in pieces of at most `limit` characters, cut at a paragraph, line,
    sentence or word boundary where one is near; nothing is dropped."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = -1
        for boundary in ("\n\n", "\n", ". ", " "):
            at = window.rfind(boundary)
            if at >= limit // 2:
                cut = at + len(boundary)
                break
        if cut <= 0:
            cut = limit
            # Never split an escape such as &amp; in two.
            amp = window.rfind("&", limit - 5)
            if amp > 0 and ";" not in window[amp:]:
                cut = amp
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip("\n")
    if rest or not pieces:
        pieces.append(rest)
    return pieces
