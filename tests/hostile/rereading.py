"""What a device makes of the notebook when it reads it all again under the operator."""

import pytest

from unspoken.client import Notebook, TamperError


async def refusal_reading_anew(notebook: Notebook) -> str | None:
    """The reason a second session of `notebook`'s device, reading the notebook from its first
    record, refuses what the operator shows it (the test fails if it refuses nothing). The
    session is closed either way."""
    fresh = await notebook.session()
    try:
        with pytest.raises(TamperError) as caught:
            await fresh.sync()
    finally:
        await fresh.close()
    return caught.value.reason
