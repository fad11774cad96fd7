"""Webhook relay built on requests, with keyword arguments borrowed from other HTTP clients."""

import logging

import requests
from requests.adapters import HTTPAdapter
from requests.auth import HTTPBasicAuth
from urllib3.util.retry import Retry

API = "https://api.example.com/v2"
log = logging.getLogger(__name__)


def fetch_status(service: str) -> dict:
    resp = requests.get(f"{API}/status/{service}", timeouts=5)  # expect: HAL201[timeouts]
    resp.raise_for_status()
    return resp.json()


def search(term: str, page: int = 1) -> dict:
    resp = requests.get(f"{API}/search", query={"q": term, "page": page}, timeout=10)  # expect: HAL201[query]
    return resp.json()


def search_with_headers(term: str, token: str) -> dict:
    params = {"q": term}
    headers = {"Authorization": f"Bearer {token}"}
    return requests.get(f"{API}/search", params, headers).json()  # expect: HAL202[headers]


def fetch_internal(url: str) -> str:
    return requests.get(url, verify_ssl=False, timeout=10).text  # expect: HAL201[verify_ssl]


def fetch_via_proxy(url: str, proxy_url: str) -> bytes:
    return requests.get(url, proxy={"https": proxy_url}, timeout=10).content  # expect: HAL201[proxy]


def follow(url: str) -> str:
    return requests.head(url, follow_redirects=True, timeout=5).url  # expect: HAL201[follow_redirects]


def post_event(event: dict) -> int:
    resp = requests.post(f"{API}/events", jsonn=event, timeout=10)  # expect: HAL201[jsonn]
    return resp.status_code


def post_raw(payload: str) -> int:
    return requests.post(f"{API}/raw", body=payload, headers={"Content-Type": "text/plain"}).status_code  # expect: HAL201[body]


def update_hook(hook_id: str, config: dict) -> dict:
    return requests.put(f"{API}/hooks/{hook_id}", json_data=config, timeout=10).json()  # expect: HAL201[json_data]


def delete_hook(hook_id: str) -> None:
    requests.delete(f"{API}/hooks/{hook_id}", retries=3, timeout=10)  # expect: HAL201[retries]


def patch_hook(hook_id: str, changes: dict) -> dict:
    return requests.request("PATCH", f"{API}/hooks/{hook_id}", json=changes, max_retries=2).json()  # expect: HAL201[max_retries]


def make_session(token: str) -> requests.Session:
    session = requests.Session(headers={"Authorization": f"Bearer {token}"})  # expect: HAL201[headers]
    retry = Retry(total=3, backoff=0.5, status_forcelist=[502, 503, 504])  # expect: HAL201[backoff]
    session.mount("https://", HTTPAdapter(retries=retry))  # expect: HAL201[retries]
    return session


def basic_session(user: str, password: str) -> requests.Session:
    session = requests.Session()
    session.auth = HTTPBasicAuth(user=user, password=password)  # expect: HAL201[user]
    return session


def poll(session: requests.Session, job_id: str) -> dict:
    resp = session.get(f"{API}/jobs/{job_id}", timeoutt=30)  # expect: HAL201[timeoutt]
    return resp.json()


def submit(session: requests.Session, job: dict) -> dict:
    return session.post(f"{API}/jobs", json=job, ssl_verify=True).json()  # expect: HAL201[ssl_verify]


def download(url: str, target: str) -> None:
    with requests.get(url, stream=True, timeout=60) as resp:
        resp.raise_for_status()
        with open(target, "wb") as fh:
            for chunk in resp.iter_content(chunk=8192):  # expect: HAL201[chunk]
                fh.write(chunk)


def stream_events(url: str):
    resp = requests.get(url, stream=True, timeout=60)
    for line in resp.iter_lines(chunk=512, decode_unicode=True):  # expect: HAL201[chunk]
        if line:
            yield line


def parse_body(resp: requests.Response) -> dict:
    return resp.json(encoding="utf-8")  # expect: HAL201[encoding]
