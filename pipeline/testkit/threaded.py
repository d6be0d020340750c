"""The fake server on a background thread, for code under test that runs its own event loop."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

from .fake_server import FakeServer


class ThreadedFakeServer:
    """`with ThreadedFakeServer(reply=fn, latency=0.01) as srv: srv.url` — stats via `srv.server.stats()`."""

    def __init__(self, **options: Any):
        self.options = options
        self.server: FakeServer | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> ThreadedFakeServer:
        ready = threading.Event()
        self._loop = loop = asyncio.new_event_loop()

        def run() -> None:
            asyncio.set_event_loop(loop)
            self.server = FakeServer(**self.options)
            loop.run_until_complete(self.server.start())
            ready.set()
            loop.run_forever()

        self._thread = threading.Thread(target=run, name="fake-openai", daemon=True)
        self._thread.start()
        if not ready.wait(30):
            raise RuntimeError("fake server did not start")
        return self

    @property
    def url(self) -> str:
        assert self.server is not None
        return self.server.url

    def stats(self) -> dict[str, Any]:
        assert self.server is not None
        return self.server.stats()

    def __exit__(self, *exc: object) -> None:
        assert self._loop is not None and self.server is not None
        asyncio.run_coroutine_threadsafe(self.server.stop(), self._loop).result(30)
        self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread:
            self._thread.join(30)
