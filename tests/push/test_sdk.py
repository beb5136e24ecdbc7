"""The SDK registers a device for notices against a real server, configured by its flags."""

import stat
from typing import Any

from unspoken.client import Notebook

from .receiver import PushDevice, PushService, vapid_claims


async def test_the_sdk_subscribes_and_the_pen_arrives(
    live_server_factory: Any, push_service: PushService
) -> None:
    server = live_server_factory(env={"UNSPOKEN_PUSH_SERVICES": push_service.origin})
    ella = await Notebook.create(server.url, name="Ella")
    james = await Notebook.join(ella.invite_link, name="James")
    await ella.approve_partner()
    phone = PushDevice(push_service)
    chosen = await james.enable_push(
        phone.subscription(), notices=["pen"], quiet=("23:00", "23:00", "Europe/Paris")
    )
    assert chosen == {
        "subscribed": True,
        "notices": ["pen"],
        "quiet": {"start": "23:00", "end": "23:00", "zone": "Europe/Paris"},
    }
    await ella.write("I never meant for things to end this way")
    await ella.pass_pen()
    arrivals = push_service.wait_for(phone.path, 1)
    assert [phone.open(a)["kind"] for a in arrivals] == ["pen"]
    assert vapid_claims(arrivals[0], await james.push_key())["aud"] == push_service.origin
    key = server.database.parent / "vapid.pem"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600  # made on first start, for the server only
    await james.disable_push()
    assert (await james.push_settings())["subscribed"] is False
    await ella.close()
    await james.close()
