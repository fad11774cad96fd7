"""Health checker built on httpx, mixing in requests/aiohttp habits."""

import asyncio

import httpx
from httpx import AsyncSession  # expect: HAL002[AsyncSession]

ENDPOINTS = ["https://example.com/health", "https://example.org/health"]


def check(url: str) -> bool:
    resp = httpx.get(url, timeout=5.0)
    return resp.ok  # expect: HAL101[ok]


def check_status(url: str) -> int:
    with httpx.Client(timeout=5.0) as client:
        resp = client.get(url)
        print(resp.json_data())  # expect: HAL101[json_data]
        return resp.status  # expect: HAL101[status]


def fetch_body(url: str) -> bytes:
    client = httpx.Client()
    try:
        return client.fetch(url).content  # expect: HAL101[fetch]
    finally:
        client.close()


def post_payload(url: str, payload: dict) -> dict:
    resp = httpx.post(url, json=payload)
    return resp.data  # expect: HAL101[data]


async def check_all(urls: list) -> list:
    client = httpx.AsyncClient(timeout=5.0)
    try:
        first = await client.aget(urls[0])  # expect: HAL101[aget]
        rest = await asyncio.gather(*(client.get(u) for u in urls[1:]))
        return [first, *rest]
    finally:
        await client.close()  # expect: HAL101[close]


async def quick(url: str) -> int:
    resp = await httpx.get_async(url)  # expect: HAL101[get_async]
    return resp.status_code


def ping(url: str) -> bytes:
    return httpx.fetch(url).body  # expect: HAL101[fetch]


def main() -> None:
    print([check(u) for u in ENDPOINTS])
    print(asyncio.run(check_all(ENDPOINTS)))


if __name__ == "__main__":
    main()
