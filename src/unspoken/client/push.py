"""Web Push from the SDK: register where this device is told, which notices and quiet hours.

The subscription is what a browser's PushSubscription.toJSON() gives (endpoint, p256dh, auth);
a script or a test makes its own key pair and auth secret and decrypts what arrives itself.
"""

from collections.abc import Sequence
from typing import Any

from unspoken.client.api import Api, Json

NOTICES = ("new", "pen", "ready", "pause-ended")
Quiet = tuple[str, str, str]  # start "HH:MM", end "HH:MM", IANA zone


class Push:
    """`nb.push`: where this device is told of news, which notices, and quiet hours."""

    def __init__(self, api: Api, notebook_id: str) -> None:
        self._api = api
        self.id = notebook_id

    async def key(self) -> str:
        """The server's VAPID public key (applicationServerKey), base64url."""
        _, answer = await self._api.call("GET", "/v1/push/key")
        return str(answer["key"])

    async def enable(
        self,
        subscription: dict[str, Any],
        notices: Sequence[str] = NOTICES,
        quiet: Quiet | None = None,
    ) -> Json:
        """Subscribe this device; `quiet` is (start "HH:MM", end "HH:MM", IANA zone)."""
        base = f"/v1/notebooks/{self.id}/push"
        await self._api.call("PUT", f"{base}/subscription", subscription, idempotent=True)
        return await self.preferences(notices, quiet)

    async def preferences(
        self, notices: Sequence[str] = NOTICES, quiet: Quiet | None = None
    ) -> Json:
        span = None if quiet is None else dict(zip(("start", "end", "zone"), quiet, strict=True))
        body = {"notices": list(notices), "quiet": span}
        url = f"/v1/notebooks/{self.id}/push/preferences"
        _, answer = await self._api.call("PUT", url, body, idempotent=True)
        return answer

    async def disable(self) -> None:
        await self._api.call(
            "DELETE", f"/v1/notebooks/{self.id}/push/subscription", idempotent=True
        )

    async def settings(self) -> Json:
        """{subscribed, notices, quiet} for this device."""
        _, answer = await self._api.call("GET", f"/v1/notebooks/{self.id}/push")
        return answer
