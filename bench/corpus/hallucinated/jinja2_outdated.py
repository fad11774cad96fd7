"""E-mail renderer using Jinja2 2.x APIs removed in Jinja2 3.0/3.1.

`Markup`/`escape` moved to markupsafe; the context*/environment* decorators became
`pass_context`/`pass_eval_context`/`pass_environment`; `jinja2.ext.autoescape` and
`with_` were built in and removed.
"""

from jinja2 import Environment, FileSystemLoader, select_autoescape
from jinja2 import Markup, escape  # expect: HAL002[Markup], HAL002[escape]
from jinja2 import contextfilter, evalcontextfilter, environmentfilter  # expect: HAL002[contextfilter], HAL002[evalcontextfilter], HAL002[environmentfilter]
from jinja2 import contextfunction  # expect: HAL002[contextfunction]
from jinja2.ext import autoescape, with_  # expect: HAL002[autoescape], HAL002[with_]
from jinja2.utils import Markup as UtilsMarkup  # expect: HAL002[Markup]

import jinja2
import jinja2.filters

env = Environment(
    loader=FileSystemLoader("templates"),
    autoescape=select_autoescape(["html", "xml"]),
    extensions=[autoescape, with_],
)


@contextfilter
def greeting(context, name):
    return Markup(f"<b>{escape(name)}</b> from {context.get('site', 'us')}")


@jinja2.evalcontextfilter  # expect: HAL101[evalcontextfilter]
def nl2br(eval_ctx, value):
    return UtilsMarkup(value.replace("\n", "<br>"))


def truncate(value, length=80):
    return jinja2.filters.do_truncate(env, value, length)


def shout(value):
    return jinja2.filters.do_upper(value) + jinja2.filters.do_escape("!")  # expect: HAL101[do_escape]


env.filters["greeting"] = greeting
env.filters["nl2br"] = nl2br


def render_welcome(user: dict) -> str:
    return env.render_template("welcome.html", user=user)  # expect: HAL101[render_template]


def render_inline(source: str, **context) -> str:
    template = env.from_string(source)
    return template.render_to_string(**context)  # expect: HAL101[render_to_string]


def render_text(source: str) -> str:
    return env.render(source)  # expect: HAL101[render]


def main() -> None:
    print(render_inline("Hello {{ name }}", name="Ann"))


if __name__ == "__main__":
    main()
