"""Price scraper ported from requests to httpx, keeping requests-era keyword arguments."""

import asyncio

import httpx

BASE = "https://shop.example.com/api"


def fetch_json(url: str) -> dict:
    return httpx.get(url, timeouts=10).json()  # expect: HAL201[timeouts]


def fetch_unverified(url: str) -> str:
    return httpx.get(url, verify_ssl=False).text  # expect: HAL201[verify_ssl]


def fetch_with_params(url: str, params: dict) -> dict:
    return httpx.get(url, params).json()  # expect: HAL202[params]


def fetch_redirected(url: str) -> str:
    return httpx.get(url, allow_redirects=True).text  # expect: HAL201[allow_redirects]


def make_client(token: str) -> httpx.Client:
    return httpx.Client(base="https://shop.example.com/api", headers={"Authorization": token})  # expect: HAL201[base]


def make_retrying_client() -> httpx.Client:
    return httpx.Client(base_url=BASE, retries=3, timeout=10.0)  # expect: HAL201[retries]


def make_tuned_client() -> httpx.Client:
    timeout = httpx.Timeout(10.0, connect_timeout=5.0)  # expect: HAL201[connect_timeout]
    limits = httpx.Limits(max_connections=20, max_keepalive=5)  # expect: HAL201[max_keepalive]
    transport = httpx.HTTPTransport(max_retries=3)  # expect: HAL201[max_retries]
    return httpx.Client(base_url=BASE, timeout=timeout, limits=limits, transport=transport)


def product(client: httpx.Client, sku: str) -> dict:
    resp = client.get(f"/products/{sku}", allow_redirects=True)  # expect: HAL201[allow_redirects]
    resp.raise_for_status()
    return resp.json()


def search(client: httpx.Client, term: str) -> dict:
    return client.get("/search", data={"q": term}).json()  # expect: HAL201[data]


def remove_from_cart(client: httpx.Client, cart_id: str, sku: str) -> int:
    return client.delete(f"/carts/{cart_id}", json={"sku": sku}).status_code  # expect: HAL201[json]


def add_to_cart(client: httpx.Client, cart_id: str, sku: str) -> dict:
    return client.post(f"/carts/{cart_id}", json={"sku": sku}, verify=False).json()  # expect: HAL201[verify]


def download_catalog(client: httpx.Client, target: str) -> None:
    with client.stream("GET", "/catalog.csv", chunk_size=65536) as resp:  # expect: HAL201[chunk_size]
        with open(target, "wb") as fh:
            for chunk in resp.iter_bytes():
                fh.write(chunk)


def save_image(resp: httpx.Response, target: str) -> None:
    with open(target, "wb") as fh:
        for chunk in resp.iter_bytes(chunk=4096):  # expect: HAL201[chunk]
            fh.write(chunk)


async def fetch_prices(skus: list) -> list:
    async with httpx.AsyncClient(base_url=BASE, allow_redirects=True) as client:  # expect: HAL201[allow_redirects]
        responses = await asyncio.gather(*(client.get(f"/prices/{sku}") for sku in skus))
        return [r.json() for r in responses]


async def fetch_price(client: httpx.AsyncClient, sku: str) -> dict:
    resp = await client.get(f"/prices/{sku}", timeouts=5.0)  # expect: HAL201[timeouts]
    return resp.json()
