"""requests and httpx code exercised offline (mock transports / adapters)."""

import json

import httpx
import requests
from requests.adapters import BaseAdapter, HTTPAdapter, Retry


class OfflineAdapter(BaseAdapter):
    """A requests transport adapter that answers every request locally."""

    def send(self, request, **kwargs):
        resp = requests.Response()
        resp.status_code = 200
        resp._content = json.dumps({"url": request.url, "ok": True}).encode()
        resp.headers["Content-Type"] = "application/json"
        resp.url = request.url
        resp.request = request
        resp.encoding = "utf-8"
        return resp

    def close(self):
        pass


def requests_demo() -> None:
    session = requests.Session()
    session.headers.update({"User-Agent": "corpus"})
    session.mount("https://", OfflineAdapter())
    resp = session.get("https://example.com/api", params={"q": "x"}, timeout=5)
    resp.raise_for_status()
    print(resp.status_code, resp.ok, resp.json()["ok"], resp.headers.get("Content-Type"), resp.text[:10])
    print(resp.url, resp.reason, resp.encoding, resp.request.method, resp.elapsed, requests.codes.ok)
    retrying = HTTPAdapter(max_retries=Retry(total=3, backoff_factor=0.5))
    print(retrying.max_retries.total)
    try:
        raise requests.exceptions.HTTPError("boom", response=resp)
    except requests.RequestException as exc:
        print(type(exc).__name__, exc.response.status_code)


def handler(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, json={"path": request.url.path, "method": request.method})


def httpx_demo() -> None:
    with httpx.Client(transport=httpx.MockTransport(handler), base_url="https://example.com") as client:
        resp = client.get("/health", headers={"X-Test": "1"})
        resp.raise_for_status()
        print(resp.status_code, resp.is_success, resp.is_error, resp.json()["path"], resp.reason_phrase)
        print(resp.headers["content-type"], resp.url.host, resp.http_version, resp.request.method)
        print(client.base_url, client.post("/items", json={"a": 1}).json()["method"])


async def httpx_async_demo() -> dict:
    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        resp = await client.get("https://example.com/async")
        return resp.json()


def network_only(url: str) -> dict:
    """Never called by main(): real network access."""
    return requests.get(url, timeout=10).json()


def main() -> None:
    import asyncio

    requests_demo()
    httpx_demo()
    print(asyncio.run(httpx_async_demo()))
    print(callable(network_only))


if __name__ == "__main__":
    main()
