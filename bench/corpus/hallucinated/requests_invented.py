"""GitHub statistics fetcher using requests, with invented helpers and attributes."""

import json
import logging

import requests
from requests import HTTPClient  # expect: HAL002[HTTPClient]
from requests.exceptions import HTTPError, StatusError  # expect: HAL002[StatusError]

API = "https://api.github.com"
log = logging.getLogger(__name__)


def get_repo(owner: str, name: str) -> dict:
    resp = requests.get(f"{API}/repos/{owner}/{name}", timeout=10)
    if resp.status != 200:  # expect: HAL101[status]
        raise RuntimeError(resp.text)
    return resp.json_data()  # expect: HAL101[json_data]


def get_stars(owner: str, name: str) -> int:
    return requests.get(f"{API}/repos/{owner}/{name}").json_data()["stargazers_count"]  # expect: HAL101[json_data]


def get_readme(owner: str, name: str) -> str:
    resp = requests.get(f"{API}/repos/{owner}/{name}/readme", headers={"Accept": "application/vnd.github.raw"})
    resp.raise_for_error()  # expect: HAL101[raise_for_error]
    return resp.body  # expect: HAL101[body]


def create_issue(owner: str, name: str, title: str, token: str) -> dict:
    resp = requests.post(
        f"{API}/repos/{owner}/{name}/issues",
        data=json.dumps({"title": title}),
        headers={"Authorization": f"token {token}"},
    )
    return resp.data  # expect: HAL101[data]


def list_issues(owner: str, name: str) -> list:
    session = requests.Session()
    session.set_header("Accept", "application/json")  # expect: HAL101[set_header]
    page = session.fetch(f"{API}/repos/{owner}/{name}/issues")  # expect: HAL101[fetch]
    return page.json()


def contributors(owner: str, name: str) -> list:
    with requests.Session() as session:
        return session.get_json(f"{API}/repos/{owner}/{name}/contributors")  # expect: HAL101[get_json]


async def get_many(urls: list) -> list:
    return [await requests.get_async(u) for u in urls]  # expect: HAL101[get_async]


def download(url: str, path: str) -> None:
    requests.download(url, path)  # expect: HAL101[download]


def main() -> None:
    try:
        print(get_repo("psf", "requests"))
    except requests.HTTPException as exc:  # expect: HAL101[HTTPException]
        log.error("failed: %s", exc)
    except HTTPError:
        log.error("http error")


if __name__ == "__main__":
    main()
