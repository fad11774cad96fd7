"""A scripted OpenAI-compatible chat server on 127.0.0.1 for the repair tests (no network needed).

It serves ``POST /v1/chat/completions``, plain JSON or server-sent events when the request asks for
``stream``, answering each request with the next scripted :class:`Reply`: content, an HTTP error
(401, 429, 500, ...) with headers such as ``retry-after-ms``, or a delay that outlasts a client's
timeout. Every request body and its headers are recorded, so tests can read the prompts sent.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from .local_server import LocalServer


@dataclass
class Reply:
    """One scripted answer."""

    content: str = ""
    status: int = 200
    message: str = ""
    """The error message in an error body."""
    code: str | None = None
    """The error code in an error body (``insufficient_quota``)."""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering at all."""
    usage: tuple[int, int] | None = (100, 50)
    """Prompt and completion tokens; None sends no usage."""
    finish_reason: str = "stop"
    stream_error: str | None = None
    """For a streamed answer: an error event sent after the first chunk."""


@dataclass
class Received:
    body: dict[str, Any]
    headers: dict[str, str]

    @property
    def messages(self) -> list[dict[str, str]]:
        return list(self.body["messages"])

    @property
    def prompt(self) -> str:
        """Every message's content, joined: what the model was told."""
        return "\n".join(m["content"] for m in self.messages)

    @property
    def last(self) -> str:
        return str(self.messages[-1]["content"])


class ChatServer(LocalServer):
    """``with ChatServer([Reply(...), ...]) as server: OpenAI(base_url=server.url, ...)``."""

    prefix = "/v1"

    def __init__(self, replies: Iterable[Reply] = ()) -> None:
        self.replies: list[Reply] = list(replies)
        self.requests: list[Received] = []
        self._lock = threading.Lock()
        super().__init__(self._handler())

    def _next(self, received: Received) -> Reply:
        with self._lock:
            self.requests.append(received)
            if not self.replies:
                return Reply(status=500, message="the test script has no reply left")
            return self.replies.pop(0)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._json(404, {"error": {"message": f"no route {self.path}"}})
                    return
                received = Received(body, {k.lower(): v for k, v in self.headers.items()})
                reply = server._next(received)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    if reply.status != 200:
                        error = {"message": reply.message or "error", "type": "error"}
                        if reply.code:
                            error["code"] = reply.code
                        self._json(reply.status, {"error": error}, reply.headers)
                    elif body.get("stream"):
                        self._stream(body, reply)
                    else:
                        self._json(200, _completion(body, reply), reply.headers)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            def _json(
                self, status: int, data: object, headers: dict[str, str] | None = None
            ) -> None:
                payload = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)

            def _stream(self, body: dict[str, Any], reply: Reply) -> None:
                self.send_response(200)
                self.send_header("content-type", "text/event-stream")
                self.send_header("cache-control", "no-cache")
                self.send_header("connection", "close")
                self.end_headers()
                self.close_connection = True
                include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
                for index, event in enumerate(_chunks(body, reply, include_usage)):
                    if index == 1 and reply.stream_error:
                        event = {"error": {"message": reply.stream_error}}
                    self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
                    self.wfile.flush()
                    if index == 1 and reply.stream_error:
                        return
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

        return Handler


def _usage(reply: Reply) -> dict[str, int] | None:
    if reply.usage is None:
        return None
    prompt, completion = reply.usage
    return {
        "prompt_tokens": prompt,
        "completion_tokens": completion,
        "total_tokens": prompt + completion,
    }


def _completion(body: dict[str, Any], reply: Reply) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "test"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.content},
                "finish_reason": reply.finish_reason,
            }
        ],
    }
    usage = _usage(reply)
    if usage is not None:
        data["usage"] = usage
    return data


def _chunks(body: dict[str, Any], reply: Reply, include_usage: bool) -> Iterator[dict[str, Any]]:
    base = {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": body.get("model", "test"),
    }
    yield {**base, "choices": [{"index": 0, "delta": {"role": "assistant"}}]}
    lines = reply.content.splitlines(keepends=True)
    for start in range(0, len(lines), 3):
        piece = "".join(lines[start : start + 3])
        yield {**base, "choices": [{"index": 0, "delta": {"content": piece}}]}
    yield {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": reply.finish_reason}]}
    usage = _usage(reply)
    if include_usage and usage is not None:
        yield {**base, "choices": [], "usage": usage}
