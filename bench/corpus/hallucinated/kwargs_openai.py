"""Support-ticket assistant on the openai >= 1 client, with 0.x and invented keyword arguments."""

import os
from pathlib import Path

from openai import OpenAI

MODEL = "gpt-4o-mini"
EMBED_MODEL = "text-embedding-3-small"


def make_client() -> OpenAI:
    return OpenAI(key=os.environ["OPENAI_API_KEY"])  # expect: HAL201[key]


def make_proxy_client(base: str) -> OpenAI:
    return OpenAI(api_key=os.environ["OPENAI_API_KEY"], api_base=base)  # expect: HAL201[api_base]


def make_org_client(org: str) -> OpenAI:
    return OpenAI(organization_id=org, max_retries=2)  # expect: HAL201[organization_id]


def make_patient_client() -> OpenAI:
    return OpenAI(request_timeout=60, retries=5)  # expect: HAL201[request_timeout], HAL201[retries]


def summarize(client: OpenAI, ticket: str) -> str:
    completion = client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": f"Summarize this ticket:\n{ticket}"}],
        max_token=200,  # expect: HAL201[max_token]
        temperature=0.2,
    )
    return completion.choices[0].message.content or ""


def classify(client: OpenAI, ticket: str) -> str:
    completion = client.chat.completions.create(
        engine=MODEL,  # expect: HAL201[engine]
        messages=[{"role": "user", "content": ticket}],
        request_timeout=30,  # expect: HAL201[request_timeout]
    )
    return completion.choices[0].message.content or ""


def draft_reply(client: OpenAI, ticket: str, policy: str) -> str:
    completion = client.chat.completions.create(
        model=MODEL,
        system=policy,  # expect: HAL201[system]
        messages=[{"role": "user", "content": ticket}],
        stop_sequences=["\n\n"],  # expect: HAL201[stop_sequences]
    )
    return completion.choices[0].message.content or ""


def brainstorm(client: OpenAI, topic: str) -> str:
    messages = [{"role": "user", "content": topic}]
    completion = client.chat.completions.create(model=MODEL, messages=messages, top_k=40)  # expect: HAL201[top_k]
    return completion.choices[0].message.content or ""


def quick_answer(client: OpenAI, question: str) -> str:
    messages = [{"role": "user", "content": question}]
    completion = client.chat.completions.create(MODEL, messages=messages)  # expect: HAL202[MODEL]
    return completion.choices[0].message.content or ""


def embed(client: OpenAI, text: str) -> list:
    response = client.embeddings.create(model=EMBED_MODEL, text=text)  # expect: HAL201[text]
    return response.data[0].embedding


def embed_batch(client: OpenAI, texts: list) -> list:
    response = client.embeddings.create(texts, model=EMBED_MODEL)  # expect: HAL202[texts]
    return [item.embedding for item in response.data]


def illustrate(client: OpenAI, prompt: str) -> list:
    result = client.images.generate(model="dall-e-3", prompt=prompt, n_images=1, resolution="1024x1024")  # expect: HAL201[n_images], HAL201[resolution]
    return [image.url for image in result.data]


def transcribe(client: OpenAI, audio: Path) -> str:
    with audio.open("rb") as fh:
        result = client.audio.transcriptions.create(model="whisper-1", file=fh, lang="en")  # expect: HAL201[lang]
    return result.text


def read_aloud(client: OpenAI, text: str, target: Path) -> None:
    speech = client.audio.speech.create(model="tts-1", voice="alloy", input=text, format="mp3")  # expect: HAL201[format]
    speech.write_to_file(target)


def is_flagged(client: OpenAI, text: str) -> bool:
    result = client.moderations.create(text=text)  # expect: HAL201[text]
    return result.results[0].flagged


def model_owner(client: OpenAI, name: str) -> str:
    return client.models.retrieve(model_id=name).owned_by  # expect: HAL201[model_id]


def upload_training_file(client: OpenAI, path: Path) -> str:
    with path.open("rb") as fh:
        uploaded = client.files.create(file=fh, purpose="fine-tune", filename=path.name)  # expect: HAL201[filename]
    return uploaded.id
