"""413 for request bodies over `desk.max_body_bytes`, whether they announce their length or stream it."""

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyTooLarge(Exception):
    """The body went past the limit while it was being read."""


class BodySizeLimit:
    """Pure ASGI middleware: refuses before reading when Content-Length is too big, else counts the chunks."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self.refuse(send)
            return
        received, too_large = 0, False

        async def counted_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                too_large = True
                raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            # Once the body overflowed, whatever the app answers (its parser's 400) becomes our 413.
            if not too_large:
                await send(message)
            elif message["type"] == "http.response.start":
                await self.refuse(send)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except BodyTooLarge:
            await self.refuse(send)

    async def refuse(self, send: Send) -> None:
        body = json.dumps({"error": f"request body too large: the desk accepts at most {self.max_bytes} bytes"})
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body.encode()})
