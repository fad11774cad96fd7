"""RAG chatbot glue code importing helper packages that do not exist anywhere.

None of these modules is installed or published as an importable package of that
name; uses of the imported names produce no further findings.
"""

import os

import telegraf  # expect: HAL001[telegraf]
import openai_helpers  # expect: HAL001[openai_helpers]
import numpyx as npx  # expect: HAL001[numpyx]
from sklearn_utils import cosine_rank  # expect: HAL001[sklearn_utils]
from llm_utils.prompts import build_prompt  # expect: HAL001[llm_utils.prompts]
from pandas_utils import clean_frame  # expect: HAL001[pandas_utils]
from requests_async import AsyncSession  # expect: HAL001[requests_async]
from telegram_bot import TelegramBot  # expect: HAL001[telegram_bot]
from fastjson import loads as fast_loads  # expect: HAL001[fastjson]
import openai.util  # expect: HAL001[openai.util]
from openai.error import RateLimitError  # expect: HAL001[openai.error]
from requests.async_api import get as async_get  # expect: HAL001[requests.async_api]
from numpy.fastmath import fast_dot  # expect: HAL001[numpy.fastmath]
from pandas.extras import read_any  # expect: HAL001[pandas.extras]

bot = telegraf.Bot(os.environ.get("BOT_TOKEN", ""))


def answer(question: str, documents: list) -> str:
    vectors = npx.embed(documents)
    best = cosine_rank(npx.embed([question])[0], vectors)[:3]
    prompt = build_prompt(question, [documents[i] for i in best])
    try:
        return openai_helpers.complete(prompt)
    except RateLimitError:
        return "busy"


async def fetch_all(urls: list) -> list:
    async with AsyncSession() as session:
        return [fast_loads(await session.get(u)) for u in urls] + [await async_get(urls[0])]


def main() -> None:
    TelegramBot(bot).on_message(lambda m: answer(m.text, []))
    print(clean_frame, fast_dot, read_any)


if __name__ == "__main__":
    main()
