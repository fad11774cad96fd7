"""Assistant backend using the openai >= 1 client, with invented resource paths.

The client object is real; the hallucinations are wrong links in the resource chain
(`client.chat.completion`, `client.assistants`, `client.images.create`, ...).  Only the
first missing link of each chain is labelled.
"""

import asyncio
import os

from openai import AsyncOpenAI, OpenAI
from openai import OpenAIClient  # expect: HAL002[OpenAIClient]
from openai import ServiceUnavailableError  # expect: HAL002[ServiceUnavailableError]

client = OpenAI(api_key=os.environ.get("OPENAI_API_KEY", "sk-placeholder"))


def ask(question: str) -> str:
    completion = client.chat.completion.create(  # expect: HAL101[completion]
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": question}],
    )
    return completion.choices[0].message.content


def ask_short(question: str) -> str:
    reply = client.chat.create(model="gpt-4o-mini", messages=[{"role": "user", "content": question}])  # expect: HAL101[create]
    return reply.output_text


def embed(text: str) -> list:
    response = client.embeddings.acreate(model="text-embedding-3-small", input=text)  # expect: HAL101[acreate]
    return response.data[0].embedding


def make_logo(prompt: str) -> str:
    image = client.images.create(model="dall-e-3", prompt=prompt)  # expect: HAL101[create]
    return image.data[0].url


def make_assistant() -> str:
    assistant = client.assistants.create(model="gpt-4o", name="helper")  # expect: HAL101[assistants]
    return assistant.id


def models() -> list:
    return [m.id for m in client.models.get()]  # expect: HAL101[get]


def moderate(text: str) -> bool:
    return client.moderations.check(input=text)  # expect: HAL101[check]


def transcribe(path: str) -> str:
    with open(path, "rb") as audio:
        return client.audio.transcribe(model="whisper-1", file=audio)  # expect: HAL101[transcribe]


def upload(path: str) -> str:
    with open(path, "rb") as fh:
        return client.files.upload(file=fh, purpose="assistants").id  # expect: HAL101[upload]


def tune(file_id: str) -> str:
    job = client.fine_tunes.create(training_file=file_id, model="gpt-4o-mini")  # expect: HAL101[fine_tunes]
    return job.id


async def ask_async(question: str) -> str:
    aclient = AsyncOpenAI()
    completion = await aclient.chat.completions.acreate(  # expect: HAL101[acreate]
        model="gpt-4o-mini",
        messages=[{"role": "user", "content": question}],
    )
    return completion.choices[0].message.content


def main() -> None:
    print(ask("Hello"))
    print(asyncio.run(ask_async("Hello again")))


if __name__ == "__main__":
    main()
