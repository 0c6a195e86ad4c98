"""The bot's connector client: made once per service URL, not once per message."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from botbuilder.schema import Activity

from bot.channels.teams.connector import Connector


class _Conversations:
    def __init__(self) -> None:
        self.sent: list[str] = []

    async def send_to_conversation(self, conversation_id: str, _activity: Activity) -> Any:
        self.sent.append(conversation_id)
        return SimpleNamespace(id=f"a{len(self.sent)}")


class _Authentication:
    """Bot Framework authentication whose connector factory counts the clients it makes."""

    def __init__(self) -> None:
        self.made: list[str] = []

    def create_connector_factory(self, _claims: object) -> Any:
        async def create(service_url: str, _audience: object) -> Any:
            self.made.append(service_url)
            policy = SimpleNamespace()
            config = SimpleNamespace(
                connection=SimpleNamespace(timeout=None),
                retry_policy=SimpleNamespace(policy=policy),
            )
            return SimpleNamespace(config=config, conversations=_Conversations())

        return SimpleNamespace(create=create)

    def get_originating_audience(self) -> str:
        return "https://api.botframework.com"


async def test_messages_to_one_service_url_share_one_client() -> None:
    authentication = _Authentication()
    connector = Connector(authentication, "app")  # type: ignore[arg-type]
    europe, america = "https://smba.example/emea/", "https://smba.example/amer/"
    for conversation in ("c1", "c2", "c3"):
        await connector.post(europe, conversation, Activity(type="message", text="x"))
    await connector.post(america, "c4", Activity(type="message", text="x"))
    assert authentication.made == [europe, america]


async def test_each_client_is_made_without_msrest_retries_and_with_a_timeout() -> None:
    authentication = _Authentication()
    connector = Connector(authentication, "app", timeout=7)  # type: ignore[arg-type]
    client = await connector._client("https://smba.example/emea/")
    assert client.config.connection.timeout == 7
    assert client.config.retry_policy.policy.total == 0
