"""Standard-library submodules, wrappers that delegate through __getattr__, and names
that look like hallucinations but exist (Python 3.10 - 3.13)."""

import asyncio
import collections.abc
import decimal
import email.mime.text
import hashlib
import http
import importlib.metadata
import importlib.util
import io
import itertools
import json.decoder
import logging.handlers
import operator
import os.path
import platform
import shlex
import string
import sys
import tempfile
import textwrap
import time
import urllib.parse
import urllib.request
import uuid
import weakref
import xml.etree.ElementTree as ET
from os import path as osp


class Node:
    pass


async def queue_roundtrip() -> int:
    queue: asyncio.Queue = asyncio.Queue()
    queue.put_nowait(1)
    await asyncio.sleep(0)
    return await queue.get()


def main() -> None:
    print(ET.fromstring("<a x='1'><b/></a>").attrib, ET.Element("c").tag)
    print(importlib.util.find_spec("json") is not None, importlib.metadata.version("requests") != "")
    print(logging.handlers.RotatingFileHandler.__name__, os.path.basename("/a/b"), osp.splitext("x.py"), os.sep)
    print(email.mime.text.MIMEText("hi")["Content-Type"], http.HTTPStatus.OK.phrase, http.HTTPStatus(404).name)
    print(urllib.parse.urlencode({"q": "a b"}), urllib.parse.urlparse("https://x.org/p").netloc)
    print(urllib.request.Request("https://x.org").full_url, isinstance({}, collections.abc.Mapping))
    print(json.decoder.JSONDecodeError.__name__, string.ascii_letters[:3], string.Template("$a").substitute(a=1))
    print(decimal.Decimal("1.25").quantize(decimal.Decimal("0.1")), list(itertools.pairwise([1, 2, 3])))
    print(operator.attrgetter("real")(3), textwrap.dedent("  x").strip(), shlex.split("a 'b c'"), shlex.quote("a b"))
    print(time.perf_counter() > 0, time.monotonic() > 0, sys.version_info.major, platform.python_version() != "")
    print(hashlib.sha256(b"").hexdigest()[:8], uuid.uuid4().hex.isalnum(), io.BytesIO(b"ab").getbuffer().nbytes)
    print("prefix_x".removeprefix("prefix_"), (5).bit_count(), "Title".casefold(), [1, 2][-1])
    ref = weakref.ref(node := Node())
    print(ref() is node)
    with tempfile.NamedTemporaryFile("w+", suffix=".txt") as tmp:
        tmp.write("delegated through __getattr__")
        tmp.flush()
        tmp.seek(0)
        print(tmp.read(), tmp.name.endswith(".txt"), tmp.file.closed)
    print(asyncio.run(queue_roundtrip()))
    sys.stdout.write("done\n")


if __name__ == "__main__":
    main()
