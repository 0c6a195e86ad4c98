"""Settings have their real types, and a value that cannot work stops the start clearly."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.channels.teams.settings import teams_config
from bot.cli import main
from bot.config import ConfigError, Settings, secret


def test_languages_and_time_zones_are_read_into_their_types() -> None:
    settings = Settings(DIALOOG_LANGUAGE=" EN-gb ", DIALOOG_TIMEZONE="Europe/Brussels")
    assert settings.language == "en"
    assert settings.timezone == ZoneInfo("Europe/Brussels")


def test_the_defaults_are_dutch_and_amsterdam() -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert (settings.language, settings.timezone.key) == ("nl", "Europe/Amsterdam")


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("DIALOOG_LANGUAGE", "de", "DIALOOG_LANGUAGE='de': dialoog speaks nl and en"),
        ("DIALOOG_LANGUAGE", "nlx", "DIALOOG_LANGUAGE='nlx': dialoog speaks nl and en"),
        (
            "DIALOOG_TIMEZONE",
            "Europe/Amsterdm",
            "DIALOOG_TIMEZONE='Europe/Amsterdm': not a time zone this machine knows; "
            "use an IANA name such as Europe/Amsterdam",
        ),
        ("DIALOOG_TEAMS_LOCAL", "perhaps", "DIALOOG_TEAMS_LOCAL='perhaps': use on or off"),
        ("DIALOOG_PORT", "eighty", "DIALOOG_PORT='eighty': Input should be a valid integer"),
        ("DIALOOG_RETENTION_DAYS", "0", "DIALOOG_RETENTION_DAYS='0': Input should be greater"),
    ],
)
def test_a_value_that_cannot_work_names_the_setting_and_what_would(
    name: str, value: str, says: str
) -> None:
    with pytest.raises(ConfigError) as refused:
        Settings(**{name: value})
    assert says in str(refused.value)


@pytest.mark.parametrize(
    ("value", "on"),
    [("on", True), ("AAN", True), ("yes", True), ("1", True), ("off", False), ("uit", False)],
)
def test_switches_are_booleans_in_the_words_people_use(value: str, on: bool) -> None:
    assert Settings(DIALOOG_TEAMS_LOCAL=value).teams_local is on


def test_an_empty_switch_is_unset() -> None:
    assert Settings(DIALOOG_WEB_CHAT="").web_chat is None


def test_secrets_never_appear_in_a_repr_or_an_error() -> None:
    settings = Settings(
        SLACK_BOT_TOKEN="xoxb-very-secret",
        SLACK_SIGNING_SECRET="signing-very-secret",
        MICROSOFT_APP_PASSWORD="password-very-secret",
        DIALOOG_SECRET_KEY="key-very-secret-key-very-secret-key",
    )
    shown = repr(settings) + str(settings) + repr(teams_config(settings))
    assert "very-secret" not in shown
    assert secret(settings.slack_bot_token) == "xoxb-very-secret"
    with pytest.raises(ConfigError) as refused:
        Settings(SLACK_BOT_TOKEN=["xoxb-very-secret"])
    assert "SLACK_BOT_TOKEN" in str(refused.value)
    assert "very-secret" not in str(refused.value)


def test_an_empty_secret_is_no_secret() -> None:
    assert secret(Settings(SLACK_BOT_TOKEN="").slack_bot_token) is None
    assert teams_config(Settings(MICROSOFT_APP_PASSWORD="")).app_password is None


def test_serve_stops_at_a_wrong_setting_in_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DIALOOG_DATABASE_URL", f"sqlite:///{tmp_path}/x.db")
    monkeypatch.setenv("DIALOOG_LANGUAGE", "fr")
    assert main(["serve"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("dialoog: settings that cannot work:")
    assert "DIALOOG_LANGUAGE='fr': dialoog speaks nl and en; use one of those" in err
    assert "Traceback" not in err
    assert not (tmp_path / "x.db").exists(), "nothing started"
