"""Text between our light markup and Slack's mrkdwn, both ways.

Our messages use *bold* and _italic_ (the engine's light markup) and, in the
summary, a little Markdown (headings, **bold**, bullets). Slack's mrkdwn knows
*bold* and _italic_ too, but treats &, < and > as control characters: user text
must have them escaped, or `<!channel>` in a contribution would ping everyone.
"""

from __future__ import annotations

import re

_HEADING = re.compile(r"^#{1,6}\s+(.*)$")
_BULLET = re.compile(r"^(\s*)[-*]\s+(.*)$")
_DOUBLE_BOLD = re.compile(r"\*\*(.+?)\*\*")
# Slack's own markup in text people type: <@U123>, <@U123|ann>, <#C1|name>,
# <!here>, <https://x|label>, <mailto:a@b|a@b>.
_SLACK_TOKEN = re.compile(r"<([^<>]*)>")


def escape(text: str) -> str:
    """Make text safe inside mrkdwn: only &, < and > are special (Slack's rule)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn(text: str) -> str:
    """Our light markup and the summary's Markdown as Slack mrkdwn, escaped."""
    lines = []
    for line in escape(text).split("\n"):
        heading = _HEADING.match(line)
        if heading:
            lines.append(f"*{heading.group(1).strip()}*")
            continue
        bullet = _BULLET.match(line)
        if bullet:
            depth = len(bullet.group(1)) // 2
            mark = "◦" if depth else "•"
            line = f"{'    ' * depth}{mark} {bullet.group(2)}"
        lines.append(_DOUBLE_BOLD.sub(r"*\1*", line))
    return "\n".join(lines)


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
