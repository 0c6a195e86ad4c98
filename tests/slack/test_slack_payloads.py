"""Slack's form bodies are decoded as urllib decodes them, only sooner."""

from __future__ import annotations

import urllib.parse

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.slack.payloads import form_fields

ESCAPES = ["%41", "%e2%82", "%AC", "%zz", "%4", "%", "%ff", "%C3%A9", "%0A", "%3D", "%26"]
PIECES = st.sampled_from([*"abXZ09 \t_-.~*+&=\r\n\x00\x7fé", *ESCAPES, "%25", "payload="])


@settings(max_examples=2000)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_a_form_body_reads_as_urllib_reads_it(body: str) -> None:
    try:
        expected = urllib.parse.parse_qs(body, keep_blank_values=True, max_num_fields=100)
    except ValueError:
        return
    assert form_fields(body) == expected


def test_a_form_with_too_many_fields_is_refused_as_urllib_refuses_it() -> None:
    body = "&".join(f"f{n}=x" for n in range(101))
    try:
        form_fields(body)
    except ValueError:
        return
    raise AssertionError("101 fields were read")
