"""Weekly GitHub activity digest, summarised by a language model.

A typical generated script (as a chat model writes it): fetches repository events with requests,
tabulates them with pandas, asks the OpenAI API for a summary and writes a Markdown report.
It has two stale calls a model with old knowledge writes (marked below); the rest is correct.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pandas as pd
import requests
from openai import OpenAI
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

LOG = logging.getLogger("digest")
API = "https://api.github.com"
DEFAULT_MODEL = "gpt-4o-mini"


def make_session(token: str | None) -> requests.Session:
    session = requests.Session()
    retry = Retry(total=5, backoff_factor=0.5, status_forcelist=(429, 500, 502, 503, 504))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    session.headers.update({"Accept": "application/vnd.github+json", "User-Agent": "digest/1.0"})
    if token:
        session.headers["Authorization"] = f"Bearer {token}"
    return session


def fetch_events(session: requests.Session, repo: str, pages: int = 3) -> list[dict]:
    events: list[dict] = []
    url = f"{API}/repos/{repo}/events"
    for page in range(1, pages + 1):
        response = session.get(url, params={"per_page": 100, "page": page}, timeout=30)
        if response.status_code == 404:
            raise SystemExit(f"repository {repo} not found")
        response.raise_for_status()
        batch = response.json()
        if not batch:
            break
        events.extend(batch)
        remaining = int(response.headers.get("X-RateLimit-Remaining", "1"))
        if remaining == 0:
            reset = int(response.headers.get("X-RateLimit-Reset", "0"))
            wait = max(0, reset - int(time.time()))
            LOG.warning("rate limited; sleeping %s s", wait)
            time.sleep(wait)
    return events


def to_frame(events: list[dict]) -> pd.DataFrame:
    rows = []
    for event in events:
        rows.append(
            {
                "id": event.get("id"),
                "type": event.get("type"),
                "actor": (event.get("actor") or {}).get("login"),
                "created_at": event.get("created_at"),
                "commits": len((event.get("payload") or {}).get("commits") or []),
            }
        )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
    return frame.sort_values("created_at").reset_index(drop=True)


def last_week(frame: pd.DataFrame, now: datetime | None = None) -> pd.DataFrame:
    if frame.empty:
        return frame
    now = now or datetime.now(timezone.utc)
    start = now - timedelta(days=7)
    return frame[frame["created_at"] >= pd.Timestamp(start)]


def activity_table(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame(columns=["actor", "events", "commits"])
    grouped = frame.groupby("actor").agg(events=("id", "count"), commits=("commits", "sum"))
    grouped = grouped.sort_values(["events", "commits"], ascending=False)
    return grouped.reset_index()


def by_type(frame: pd.DataFrame) -> dict[str, int]:
    if frame.empty:
        return {}
    counts = frame["type"].value_counts()
    return {str(k): int(v) for k, v in counts.items()}


def daily_counts(frame: pd.DataFrame) -> pd.Series:
    if frame.empty:
        return pd.Series(dtype="int64")
    per_day = frame.set_index("created_at").resample("D")["id"].count()
    return per_day.fillna(0).astype("int64")


def add_totals(table: pd.DataFrame) -> pd.DataFrame:
    total = pd.DataFrame([{"actor": "total", **table[["events", "commits"]].sum().to_dict()}])
    return table.append(total, ignore_index=True)  # stale: removed in pandas 2.0


def build_prompt(repo: str, table: pd.DataFrame, types: dict[str, int], daily: pd.Series) -> str:
    lines = [
        f"Repository: {repo}",
        "Activity per contributor over the last seven days:",
        table.to_markdown(index=False) if not table.empty else "(no activity)",
        "Events by type: " + json.dumps(types, sort_keys=True),
        "Events per day: " + ", ".join(f"{d.date()}: {n}" for d, n in daily.items()),
        "Write a short, friendly weekly digest (five bullet points at most) for the team.",
    ]
    return "\n\n".join(lines)


def summarise(client: OpenAI, prompt: str, model: str, temperature: float = 0.3) -> str:
    response = client.chat.completions.create(
        model=model,
        messages=[
            {"role": "system", "content": "You summarise repository activity for engineers."},
            {"role": "user", "content": prompt},
        ],
        temperature=temperature,
        max_tokens=400,
    )
    choice = response.choices[0]
    if choice.finish_reason == "length":
        LOG.warning("the summary was cut at the token limit")
    return (choice.message.content or "").strip()


def summarise_streaming(client: OpenAI, prompt: str, model: str) -> str:
    parts: list[str] = []
    stream = client.chat.completions.create(
        model=model,
        messages=[{"role": "user", "content": prompt}],
        stream=True,
    )
    for chunk in stream:
        delta = chunk.choices[0].delta.content if chunk.choices else None
        if delta:
            parts.append(delta)
            sys.stderr.write(delta)
    sys.stderr.write("\n")
    return "".join(parts)


def write_report(path: Path, repo: str, summary: str, table: pd.DataFrame) -> None:
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    body = [f"# Weekly digest: {repo}", f"_generated {generated}_", "", summary, ""]
    if not table.empty:
        body += ["## Contributors", "", table.to_markdown(index=False), ""]
    path.write_text("\n".join(body), encoding="utf-8")
    LOG.info("wrote %s (%d bytes)", path, path.stat().st_size)


def save_raw(events: list[dict], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"events-{datetime.now(timezone.utc):%Y%m%d}.json"
    with target.open("w", encoding="utf-8") as fh:
        json.dump(events, fh, indent=2, sort_keys=True)
    return target


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", help="owner/name")
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--out", type=Path, default=Path("digest.md"))
    parser.add_argument("--raw", type=Path, help="also keep the raw events in this folder")
    parser.add_argument("--stream", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO)
    session = make_session(os.environ.get("GITHUB_TOKEN"))
    events = fetch_events(session, args.repo, pages=args.pages)
    if args.raw:
        LOG.info("raw events in %s", save_raw(events, args.raw))
    frame = last_week(to_frame(events))
    table = add_totals(activity_table(frame))
    prompt = build_prompt(args.repo, table, by_type(frame), daily_counts(frame))
    client = OpenAI(api_key=os.environ["OPENAI_API_KEY"], timeout=60, max_retries=2)
    if args.stream:
        summary = summarise_streaming(client, prompt, args.model)
    else:
        summary = summarise(client, prompt, args.model)
    write_report(args.out, args.repo, summary, table)
    usage = session.get(f"{API}/rate_limit", timeouts=10).json()  # stale: `timeout`
    LOG.debug("rate limit left: %s", usage.get("rate", {}).get("remaining"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
