"""The agent's model client on a real socket: a dropped connection is retried once, then given up on.

The peer here is a raw asyncio HTTP server that closes the first connection(s) after reading the
request, without answering (what a keep-alive connection closed by the server looks like to the
client), then answers like a model service's /predict.
"""

import asyncio
import json

import pytest

from bentos.dependency import ModelClient
from bentos.metrics import DEPENDENCY_RETRIES
from core.names import ModelName
from core.params import load_params
from router.pipeline import ModelAnswer

SCORES = {"Hardware": 0.9, "Access": 0.1}


async def dropping_server(drops: int) -> tuple[asyncio.Server, list[int]]:
    """A server whose first `drops` requests get their connection closed; counts the requests it saw."""
    seen = [0]

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while head := await reader.readuntil(b"\r\n\r\n"):
            length = int(
                next(line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
            )
            texts = json.loads(await reader.readexactly(length))["texts"]
            seen[0] += 1
            if seen[0] <= drops:
                writer.close()
                return
            body = json.dumps([{"label": "Hardware", "confidence": 0.9, "scores": SCORES, "model": {}} for _ in texts])
            head = f"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
            writer.write((head + body).encode())
            await writer.drain()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    return server, seen


async def call_through(drops: int, retries: int) -> tuple[list | Exception, int]:
    server, seen = await dropping_server(drops)
    port = server.sockets[0].getsockname()[1]
    params = {**load_params()["serving"]["dependency"], "retries_on_drop": retries}
    client = ModelClient(ModelName.TFIDF, f"http://127.0.0.1:{port}", 5.0, params)
    try:
        result = await client(["my laptop is broken"])
    except Exception as error:
        result = error
    finally:
        await client.close()
        server.close()
    return result, seen[0]


def retries_so_far() -> float:
    return DEPENDENCY_RETRIES.labels(dependency="tfidf")._value.get()


def test_a_dropped_connection_is_retried_once() -> None:
    before = retries_so_far()
    result, requests = asyncio.run(call_through(drops=1, retries=1))
    assert result == [ModelAnswer(SCORES)]
    assert requests == 2
    assert retries_so_far() == before + 1


@pytest.mark.parametrize(("drops", "retries"), [(2, 1), (1, 0)], ids=["dropped-twice", "retries-off"])
def test_beyond_the_retry_the_error_reaches_the_caller(drops: int, retries: int) -> None:
    result, requests = asyncio.run(call_through(drops=drops, retries=retries))
    assert isinstance(result, Exception)
    assert requests == retries + 1
