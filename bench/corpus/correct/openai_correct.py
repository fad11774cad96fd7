"""openai >= 1 client code, exercised offline through an httpx MockTransport."""

import json

import httpx
import openai
from openai import AsyncOpenAI, OpenAI
from openai.types.chat import ChatCompletion, ChatCompletionMessageParam


def fake_api(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path.endswith("/chat/completions"):
        body = {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 0,
            "model": "gpt-4o-mini",
            "choices": [
                {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "4"}}
            ],
            "usage": {"prompt_tokens": 3, "completion_tokens": 1, "total_tokens": 4},
        }
    elif path.endswith("/embeddings"):
        body = {
            "object": "list",
            "model": "text-embedding-3-small",
            "data": [{"object": "embedding", "index": 0, "embedding": [0.1, 0.2]}],
            "usage": {"prompt_tokens": 1, "total_tokens": 1},
        }
    else:
        body = {"object": "list", "data": [{"id": "gpt-4o-mini", "object": "model", "created": 0, "owned_by": "x"}]}
    return httpx.Response(200, json=body)


def make_client() -> OpenAI:
    return OpenAI(api_key="sk-offline", http_client=httpx.Client(transport=httpx.MockTransport(fake_api)))


def ask(client: OpenAI, question: str) -> str:
    messages: list[ChatCompletionMessageParam] = [{"role": "user", "content": question}]
    completion: ChatCompletion = client.chat.completions.create(model="gpt-4o-mini", messages=messages)
    choice = completion.choices[0]
    print(completion.id, completion.model, completion.usage.total_tokens, choice.finish_reason)
    return choice.message.content or ""


def embed(client: OpenAI, text: str) -> list:
    response = client.embeddings.create(model="text-embedding-3-small", input=text)
    return response.data[0].embedding


def list_models(client: OpenAI) -> list:
    return [model.id for model in client.models.list()]


def respond(client: OpenAI, prompt: str) -> str:
    """Never called offline: the Responses API."""
    response = client.responses.create(model="gpt-4o-mini", input=prompt)
    return response.output_text


async def ask_async(prompt: str) -> str:
    """Never called offline."""
    client = AsyncOpenAI()
    completion = await client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])
    await client.close()
    return completion.choices[0].message.content or ""


def errors() -> None:
    for exc_type in (openai.RateLimitError, openai.APIConnectionError, openai.BadRequestError, openai.APIStatusError):
        print(exc_type.__name__, issubclass(exc_type, openai.OpenAIError))
    print(openai.api_key is None or isinstance(openai.api_key, str), openai.api_type, openai.base_url)


def main() -> None:
    client = make_client()
    print(ask(client, "2+2?"), embed(client, "hi"), list_models(client))
    print(client.chat.completions.with_raw_response is not None, client.api_key, client.base_url)
    print(json.dumps(client.chat.completions.create(model="m", messages=[]).model_dump()["choices"][0]["message"]))
    errors()
    print(callable(respond), callable(ask_async))


if __name__ == "__main__":
    main()
