"""Embedding + summarisation pipeline written against the openai 0.x module API.

Linted against openai >= 1.  DECISION on the 0.x resource classes
(`openai.Completion`, `openai.ChatCompletion`, `openai.Embedding`, `openai.Image`,
`openai.Moderation`): openai >= 1 still defines them as `APIRemovedInV1Proxy` objects
that raise `openai.lib._old_api.APIRemovedInV1` when called, so every use below fails
at runtime; they are labelled HAL101.  `openai.error`, `openai.api_base`,
`openai.embeddings_utils` and `openai.InvalidRequestError` do not exist at all.
(An assignment such as `openai.api_base = ...` would merely create the attribute and
is not a finding; this file only reads it.)
"""

import os
import time

import openai
from openai.embeddings_utils import get_embedding, cosine_similarity  # expect: HAL001[openai.embeddings_utils]
from openai import InvalidRequestError  # expect: HAL002[InvalidRequestError]

openai.api_key = os.getenv("OPENAI_API_KEY")
openai.organization = os.getenv("OPENAI_ORG")

EMBED_MODEL = "text-embedding-ada-002"


def embed(texts):
    result = openai.Embedding.create(input=texts, model=EMBED_MODEL)  # expect: HAL101[Embedding]
    return [row["embedding"] for row in result["data"]]


def summarize(text, retries=3):
    for attempt in range(retries):
        try:
            response = openai.Completion.create(  # expect: HAL101[Completion]
                engine="text-davinci-003",
                prompt=f"Summarize:\n\n{text}",
                max_tokens=256,
            )
            return response.choices[0].text.strip()
        except openai.error.RateLimitError:  # expect: HAL101[error]
            time.sleep(2**attempt)
        except InvalidRequestError:
            return ""
    return ""


def chat(question, history=None):
    messages = list(history or []) + [{"role": "user", "content": question}]
    response = openai.ChatCompletion.create(model="gpt-4", messages=messages)  # expect: HAL101[ChatCompletion]
    return response["choices"][0]["message"]["content"]


def is_flagged(text):
    result = openai.Moderation.create(input=text)  # expect: HAL101[Moderation]
    return result["results"][0]["flagged"]


def draw(prompt):
    image = openai.Image.create(prompt=prompt, n=1, size="512x512")  # expect: HAL101[Image]
    return image["data"][0]["url"]


def endpoint():
    return openai.api_base  # expect: HAL101[api_base]


def rank(query, documents):
    q = get_embedding(query, engine=EMBED_MODEL)
    scored = [(cosine_similarity(q, get_embedding(d, engine=EMBED_MODEL)), d) for d in documents]
    return [d for _, d in sorted(scored, reverse=True)]


def main():
    print(summarize("halluc-check finds invented APIs."))
    print(chat("What is 2 + 2?"))


if __name__ == "__main__":
    main()
