"""requests, httpx and openai keyword arguments that are all accepted, exercised offline
(requests through a local adapter, httpx and openai through httpx.MockTransport)."""

import json
from decimal import Decimal
from functools import partial

import httpx
import requests
from openai import OpenAI
from requests.adapters import BaseAdapter, HTTPAdapter
from urllib3.util.retry import Retry

API = "https://api.example.com"


# --- requests -----------------------------------------------------------------------------------
class OfflineAdapter(BaseAdapter):
    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        resp = requests.Response()
        resp.status_code = 200
        resp._content = json.dumps({"url": request.url, "price": 1.10, "timeout": str(timeout)}).encode()
        resp.headers["Content-Type"] = "application/json"
        resp.encoding = "utf-8"
        resp.url = request.url
        resp.request = request
        return resp

    def close(self):
        pass


def fetch_live(url: str) -> dict:
    """Never called offline: the real network call."""
    resp = requests.get(
        url,
        timeout=(3, 10),
        headers={"Accept": "application/json"},
        params={"page": 1},
        allow_redirects=False,
        verify=True,
        stream=False,
    )
    return resp.json()


def post_live(url: str, payload: dict) -> int:
    """Never called offline."""
    return requests.post(url, json=payload, auth=("user", "pw"), cookies={"s": "1"}, proxies=None, cert=None).status_code


def requests_offline() -> None:
    session = requests.Session()
    session.mount("https://", OfflineAdapter())
    session.headers.update({"User-Agent": "corpus"})
    resp = session.get(f"{API}/items", timeout=(3, 10), headers={"X-Id": "1"}, params={"q": "a"}, allow_redirects=False)
    data = resp.json(parse_float=Decimal)
    print(data["price"], resp.json(object_pairs_hook=dict)["timeout"])
    for chunk in resp.iter_content(chunk_size=16, decode_unicode=False):
        print(len(chunk))
        break
    for line in resp.iter_lines(chunk_size=64, decode_unicode=True, delimiter=None):
        print(line[:20])
    print(session.request("PATCH", f"{API}/items/1", json={"a": 1}, data=None, files=None, hooks=None).status_code)
    prepared = requests.Request("GET", f"{API}/x", params={"a": "1"}, headers={"H": "v"}).prepare()
    print(prepared.url)
    retrying = HTTPAdapter(max_retries=Retry(total=3, backoff_factor=0.5, status_forcelist=[502, 503]), pool_maxsize=4)
    print(retrying.max_retries.total)
    get_json = partial(session.get, timeout=5)
    print(get_json(f"{API}/partial", params={"p": 1}).json()["url"])


# --- httpx --------------------------------------------------------------------------------------
def handler(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/old":
        return httpx.Response(301, headers={"Location": "/new"})
    return httpx.Response(200, json={"path": request.url.path, "method": request.method, "price": 2.5})


def httpx_offline() -> None:
    timeout = httpx.Timeout(5.0, connect=2.0)
    limits = httpx.Limits(max_connections=10, max_keepalive_connections=5)
    with httpx.Client(
        base_url="https://shop.example.com",
        follow_redirects=True,
        transport=httpx.MockTransport(handler),
        timeout=timeout,
        limits=limits,
        headers={"X-Client": "corpus"},
        params={"lang": "en"},
        event_hooks={"request": [lambda r: None]},
    ) as client:
        print(client.get("/old").json()["path"])
        print(client.get("/items", params={"q": "x"}, follow_redirects=False, timeout=3.0).status_code)
        print(client.post("/items", json={"a": 1}, headers={"X": "1"}).json()["method"])
        print(client.put("/items/1", data={"a": "1"}).status_code, client.patch("/items/1", content=b"x").status_code)
        print(client.request("DELETE", "/items/1", json={"reason": "x"}).json()["method"])
        print(client.get("/price").json(parse_float=Decimal)["price"])
        with client.stream("GET", "/stream") as resp:
            for chunk in resp.iter_bytes(chunk_size=8):
                print(len(chunk))
                break


def httpx_live(url: str) -> dict:
    """Never called offline."""
    return httpx.get(url, params={"a": 1}, timeout=10.0, follow_redirects=True, verify=True).json()


# --- openai -------------------------------------------------------------------------------------
def fake_openai(request: httpx.Request) -> httpx.Response:
    body = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 0,
        "model": "gpt-4o-mini",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "{}"}}],
        "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
    }
    return httpx.Response(200, json=body)


def openai_offline() -> None:
    client = OpenAI(
        api_key="sk-offline",
        base_url="https://llm.example.com/v1",
        timeout=20.0,
        max_retries=0,
        default_headers={"X-App": "corpus"},
        http_client=httpx.Client(transport=httpx.MockTransport(fake_openai)),
    )
    completion = client.chat.completions.create(
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": "Return {}"}],
        max_tokens=50,
        temperature=0.2,
        response_format={"type": "json_object"},
        seed=7,
        user="corpus",
        extra_headers={"X-Trace": "1"},
        extra_body={"metadata_flag": True},
        timeout=10.0,
    )
    print(completion.choices[0].message.content)
    fast = client.with_options(timeout=5.0, max_retries=1)
    print(fast.chat.completions.create(model="gpt-4o-mini", messages=[], max_completion_tokens=5).id)


def main() -> None:
    requests_offline()
    httpx_offline()
    openai_offline()


if __name__ == "__main__":
    main()
