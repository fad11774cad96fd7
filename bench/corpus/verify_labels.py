"""Re-verify the labels of the halluc-check corpus against the installed libraries.

Not part of the corpus itself (the corpus is ``hallucinated/``, ``correct/`` and
``../../fixtures/``).  For every labelled file, PROBES lists one runtime probe per
``# expect:`` label; this script checks that

  1. the multiset of (code, name) labels in the file equals the multiset of probes;
  2. every probe holds at runtime (each file's probes run in a fresh interpreter);
  3. every ``correct/`` file and fixtures ``correct_*``/``bot_fixed`` file contains
     no ``# expect:`` label and imports/runs without ImportError/AttributeError.

Usage:  python bench/corpus/verify_labels.py      (exit status 1 on any failure)
"""

from __future__ import annotations

import ast
import collections
import json
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
EXPECT_RE = re.compile(r"#\s*expect:\s*(.+)$")
LABEL_RE = re.compile(r"(HAL\d{3})\[([^\]]+)\]")

# ---------------------------------------------------------------------------
# Probe helpers (executed in the child interpreter).
# ---------------------------------------------------------------------------
HELPERS = r'''
import ast, importlib, importlib.util, warnings
warnings.simplefilter("ignore")

def _resolve(dotted):
    """Import the longest importable module prefix, then getattr the rest."""
    import builtins
    if hasattr(builtins, dotted):
        return getattr(builtins, dotted)
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for p in parts[i:]:
            obj = getattr(obj, p)
        return obj
    raise ImportError(dotted)

def missing_keyword(target, name):
    """HAL201: the callable's signature rejects the keyword (bind raises TypeError)."""
    import inspect
    try:
        inspect.signature(_resolve(target)).bind_partial(**{name: None})
    except TypeError:
        return True
    return False

def keyword_rejected_by(callee, name):
    """HAL201 by signature, for a callable given as an expression (a bound method of a
    client built offline, say): binding the keyword alone raises TypeError."""
    import inspect
    try:
        inspect.signature(eval(callee, {}, _AutoImport())).bind_partial(**{name: None})
    except TypeError:
        return True
    return False

def rejects_keyword(setup, call, name):
    """HAL201 by a real, offline call: after `setup`, evaluating `call` (which passes the
    labelled keyword and no other doubtful one) raises TypeError naming the keyword, or
    saying the callee takes no keyword arguments at all."""
    ns = _AutoImport()
    exec(setup, ns)
    try:
        result = eval(call, ns)
    except TypeError as exc:
        msg = str(exc)
        return repr(name) in msg or "takes no keyword arguments" in msg
    if hasattr(result, "close") and type(result).__name__ == "coroutine":
        result.close()
    return False

def positional_limit(callee, limit):
    """HAL202 by signature: the callable (an expression) binds `limit` positional arguments
    but not `limit + 1`; the labelled argument is the one at index `limit`, the last one."""
    import inspect
    sig = inspect.signature(eval(callee, {}, _AutoImport()))
    sig.bind_partial(*[None] * limit)
    try:
        sig.bind_partial(*[None] * (limit + 1))
    except TypeError:
        return True
    return False

def rejects_positional(setup, call):
    """HAL202 by a real, offline call: TypeError about the number of positional arguments."""
    import re
    ns = _AutoImport()
    exec(setup, ns)
    try:
        eval(call, ns)
    except TypeError as exc:
        msg = str(exc)
        return ("positional argument" in msg
                or re.search(r"expected (at most )?\d+ arguments?, got \d+", msg) is not None)
    return False

def missing_module(name):
    """HAL001: the module cannot be imported (ModuleNotFoundError)."""
    try:
        importlib.import_module(name)
    except ModuleNotFoundError:
        return True
    return False

def missing_name(module, name):
    """HAL002: module imports, `from module import name` raises ImportError."""
    importlib.import_module(module)
    try:
        exec(f"from {module} import {name}", {})
    except ImportError:
        return True
    return False

def removed_proxy(module, name):
    """openai>=1 keeps 0.x names as APIRemovedInV1Proxy objects that raise when called."""
    obj = getattr(importlib.import_module(module), name)
    return type(obj).__name__ == "APIRemovedInV1Proxy"

def missing_attr(target, attr):
    """HAL101 on a module or class: getattr raises and it is not a submodule."""
    obj = _resolve(target)
    try:
        getattr(obj, attr)
    except AttributeError:
        pass
    else:
        return False
    if isinstance(obj, type(importlib)):
        try:
            if importlib.util.find_spec(f"{obj.__name__}.{attr}") is not None:
                return False
        except ModuleNotFoundError:
            pass
    return True

def missing_runtime(path, expr, attr):
    """Run an import-safe labelled file (not as __main__), build the receiver with
    `expr` in its namespace and check that the attribute is really absent."""
    import runpy
    ns = runpy.run_path(path, run_name="probe")
    return not hasattr(eval(expr, ns), attr)

def missing_snippet(setup, expr, attr):
    """Execute `setup` (a few lines mirroring the labelled file), evaluate `expr`
    and check the attribute is really absent at runtime."""
    ns = {}
    exec(setup, ns)
    return not hasattr(eval(expr, ns), attr)

class _AutoImport(dict):
    """eval() locals that import a top-level module on first use of its name."""
    def __missing__(self, key):
        import builtins
        if hasattr(builtins, key):
            return getattr(builtins, key)
        self[key] = importlib.import_module(key)
        return self[key]

def missing_inst(target, attr, factory=None):
    """HAL101 on an instance: absent from the class/MRO, no __getattr__, and absent
    from a real instance built by `factory` (an expression) when one is given."""
    cls = _resolve(target)
    if hasattr(cls, attr):
        return False
    for k in cls.__mro__:
        if "__getattr__" in vars(k):
            return False
    if factory is not None:
        inst = eval(factory, {}, _AutoImport())
        if not isinstance(inst, cls) or hasattr(inst, attr):
            return False
    return True

def missing_called_frame_attr(target, attr):
    """DataFrame/Series: the class has __getattr__ (column access), so only a CALLED
    attribute is certain: the class and MRO do not define it."""
    cls = _resolve(target)
    return not any(attr in vars(k) for k in cls.__mro__)

def missing_local(path, cls_name, attr):
    """HAL101 on a class defined in the file: no class in the (local) MRO defines
    `attr` as method/class attribute or assigns `self.attr`, no __getattr__, and every
    base is local or `object`."""
    tree = ast.parse(open(path, encoding="utf-8").read())
    classes = {n.name: n for n in ast.walk(tree) if isinstance(n, ast.ClassDef)}
    todo, seen = [cls_name], set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        node = classes[name]
        for b in node.bases:
            if isinstance(b, ast.Name) and b.id in classes:
                todo.append(b.id)
            elif not (isinstance(b, ast.Name) and b.id == "object"):
                return False
        if node.decorator_list:
            return False
        for item in ast.walk(node):
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name in (attr, "__getattr__", "__getattribute__"):
                return False
            if isinstance(item, ast.Name) and item.id in (attr, "__slots__") and isinstance(item.ctx, ast.Store):
                if item.id == attr:
                    return False
            if isinstance(item, ast.Attribute) and item.attr == attr and isinstance(item.ctx, ast.Store):
                return False
            if isinstance(item, ast.Call) and getattr(item.func, "id", "") == "setattr":
                return False
    # nobody sets it from outside either
    for n in ast.walk(tree):
        if isinstance(n, ast.Attribute) and n.attr == attr and isinstance(n.ctx, ast.Store):
            return False
    return True
'''

# ---------------------------------------------------------------------------
# One probe per label: (code, name, python expression using the helpers).
# ---------------------------------------------------------------------------
PROBES: dict[str, list[tuple[str, str, str]]] = {}


def P(path: str, *probes: tuple[str, str, str]) -> None:
    PROBES.setdefault(path, []).extend(probes)


# Shorthands producing probe triples.
def mod(name: str) -> tuple[str, str, str]:
    return ("HAL001", name, f"missing_module({name!r})")


def kw(target: str, name: str) -> tuple[str, str, str]:
    return ("HAL201", name, f"missing_keyword({target!r}, {name!r})")


def kwe(callee: str, name: str) -> tuple[str, str, str]:
    """HAL201 by the signature of `callee`, an expression (e.g. a bound method of a client)."""
    return ("HAL201", name, f"keyword_rejected_by({callee!r}, {name!r})")


def kwc(call: str, name: str, setup: str = "") -> tuple[str, str, str]:
    """HAL201 by running `call` offline after `setup`: TypeError naming the keyword."""
    return ("HAL201", name, f"rejects_keyword({setup!r}, {call!r}, {name!r})")


def pos(callee: str, limit: int, text: str) -> tuple[str, str, str]:
    """HAL202 by signature: `callee` (an expression) binds `limit` positionals, not one more."""
    return ("HAL202", text, f"positional_limit({callee!r}, {limit!r})")


def posc(call: str, text: str, setup: str = "") -> tuple[str, str, str]:
    """HAL202 by running `call` offline after `setup`: TypeError about positional arguments."""
    return ("HAL202", text, f"rejects_positional({setup!r}, {call!r})")


def imp(module: str, name: str) -> tuple[str, str, str]:
    return ("HAL002", name, f"missing_name({module!r}, {name!r})")


def att(target: str, name: str) -> tuple[str, str, str]:
    return ("HAL101", name, f"missing_attr({target!r}, {name!r})")


def inst(target: str, name: str, factory: str | None = None) -> tuple[str, str, str]:
    return ("HAL101", name, f"missing_inst({target!r}, {name!r}, {factory!r})")


def frame(target: str, name: str) -> tuple[str, str, str]:
    return ("HAL101", name, f"missing_called_frame_attr({target!r}, {name!r})")


def proxy(module: str, name: str, code: str = "HAL101") -> tuple[str, str, str]:
    return (code, name, f"removed_proxy({module!r}, {name!r})")


def local(path: str, cls: str, name: str) -> tuple[str, str, str]:
    return ("HAL101", name, f"missing_local({str(ROOT / path)!r}, {cls!r}, {name!r})")


# --- fixtures/founding -------------------------------------------------------
P("fixtures/founding/bot_stale.py",
  imp("telegram", "ParseMode"), imp("telegram", "ChatAction"), imp("telegram.ext", "Filters"),
  proxy("openai", "ChatCompletion"), proxy("openai", "Completion"),
  att("openai", "error"), att("openai", "error"),
  inst("telegram.ext.Updater", "dispatcher"), inst("telegram.ext.Updater", "idle"),
  kw("telegram.ext.Updater", "use_context"))

def rt(path: str, expr: str, name: str) -> tuple[str, str, str]:
    return ("HAL101", name, f"missing_runtime({str(ROOT / path)!r}, {expr!r}, {name!r})")


# --- hallucinated: stdlib -------------------------------------------------------
H = "bench/corpus/hallucinated/"
P(H + "stdlib_py2_leftovers.py",
  mod("ConfigParser"), mod("urllib2"), mod("cPickle"), mod("StringIO"), mod("urlparse"),
  imp("collections", "Mapping"), imp("itertools", "izip"),
  att("string", "letters"), att("sys", "maxint"), att("urllib", "urlopen"),
  att("base64", "encodestring"), att("collections", "Mapping"), att("itertools", "izip_longest"),
  inst("dict", "has_key", "{}"), inst("dict", "iteritems", "{}"),
  att("time", "clock"), att("os", "getcwdu"), att("platform", "linux_distribution"))
P(H + "stdlib_invented_functions.py",
  att("json", "parse"), att("json", "stringify"), att("os.path", "joinpath"), att("os.path", "mkdir"),
  att("os", "mkdirs"), att("shutil", "copydir"), att("subprocess", "execute"), att("datetime", "now"),
  att("time", "now"), att("itertools", "chunked"), att("itertools", "flatten"), att("functools", "memoize"),
  att("math", "clamp"), att("random", "pick"), att("re", "test"), att("logging", "success"))
P(H + "stdlib_instances.py",
  inst("pathlib.Path", "mkdirs", "pathlib.Path('base').parent"), inst("pathlib.Path", "isfile", "pathlib.Path('x')"),
  inst("io.TextIOWrapper", "readAll", "open(os.devnull, encoding='utf-8')"),
  inst("list", "push", "[]"), inst("str", "trim", "''"), inst("str", "contains", "''"), inst("str", "uper", "''"),
  inst("logging.Logger", "success", "logging.getLogger('report')"),
  inst("subprocess.CompletedProcess", "exit_code", "subprocess.run(['echo', 'ok'], capture_output=True, text=True)"),
  inst("datetime.timedelta", "hours", "datetime.timedelta(hours=5)"),
  inst("datetime.datetime", "to_string", "datetime.datetime.now()"),
  inst("re.Pattern", "test", "re.compile('x')"), inst("threading.Thread", "isAlive", "threading.Thread()"),
  inst("collections.deque", "push", "collections.deque(maxlen=10)"), inst("set", "append", "set()"),
  inst("sqlite3.Cursor", "fetch_all", "sqlite3.connect(':memory:').cursor()"),
  inst("socket.socket", "set_timeout", "socket.socket()"), inst("socket.socket", "receive", "socket.socket()"),
  inst("argparse.ArgumentParser", "add_option", "argparse.ArgumentParser()"))
L = H + "stdlib_local_classes.py"
P(L, rt(L, "CachedRepository()", "log_access"), rt(L, "Repository()", "validate"),
  rt(L, "make_service()", "notify"), rt(L, "make_service()", "version"),
  rt(L, "Service(Repository())", "repository"), rt(L, "make_service()", "shutdown"),
  rt(L, "Item('B-2')", "qty"), rt(L, "Point(0.0, 0.0)", "z"), rt(L, "Status", "ARCHIVED"),
  rt(L, "Repository", "from_config"))

def snip(setup: str, expr: str, name: str) -> tuple[str, str, str]:
    return ("HAL101", name, f"missing_snippet({setup!r}, {expr!r}, {name!r})")


# --- hallucinated: libraries ----------------------------------------------------
OA_CLIENT = "openai.OpenAI(api_key='sk-verify')"
P(H + "openai_legacy_v0.py",
  mod("openai.embeddings_utils"), imp("openai", "InvalidRequestError"),
  proxy("openai", "Embedding"), proxy("openai", "Completion"), att("openai", "error"),
  proxy("openai", "ChatCompletion"), proxy("openai", "Moderation"), proxy("openai", "Image"),
  att("openai", "api_base"))
P(H + "openai_client_invented.py",
  imp("openai", "OpenAIClient"), imp("openai", "ServiceUnavailableError"),
  inst("openai.resources.chat.Chat", "completion", OA_CLIENT + ".chat"),
  inst("openai.resources.chat.Chat", "create", OA_CLIENT + ".chat"),
  inst("openai.resources.Embeddings", "acreate", OA_CLIENT + ".embeddings"),
  inst("openai.resources.Images", "create", OA_CLIENT + ".images"),
  inst("openai.OpenAI", "assistants", OA_CLIENT),
  inst("openai.resources.Models", "get", OA_CLIENT + ".models"),
  inst("openai.resources.Moderations", "check", OA_CLIENT + ".moderations"),
  inst("openai.resources.Audio", "transcribe", OA_CLIENT + ".audio"),
  inst("openai.resources.Files", "upload", OA_CLIENT + ".files"),
  inst("openai.OpenAI", "fine_tunes", OA_CLIENT),
  inst("openai.resources.chat.AsyncCompletions", "acreate", "openai.AsyncOpenAI(api_key='sk-verify').chat.completions"))
REQ = "requests.Response()"
P(H + "requests_invented.py",
  imp("requests", "HTTPClient"), imp("requests.exceptions", "StatusError"),
  inst("requests.Response", "status", REQ), inst("requests.Response", "json_data", REQ),
  inst("requests.Response", "json_data", REQ), inst("requests.Response", "raise_for_error", REQ),
  inst("requests.Response", "body", REQ), inst("requests.Response", "data", REQ),
  inst("requests.Session", "set_header", "requests.Session()"), inst("requests.Session", "fetch", "requests.Session()"),
  inst("requests.Session", "get_json", "requests.Session()"),
  att("requests", "get_async"), att("requests", "download"), att("requests", "HTTPException"))
HX = "httpx.Response(200, json={}, request=httpx.Request('GET', 'http://x'))"
P(H + "httpx_invented.py",
  imp("httpx", "AsyncSession"),
  inst("httpx.Response", "ok", HX), inst("httpx.Response", "json_data", HX), inst("httpx.Response", "status", HX),
  inst("httpx.Client", "fetch", "httpx.Client()"), inst("httpx.Response", "data", HX),
  inst("httpx.AsyncClient", "aget", "httpx.AsyncClient()"), inst("httpx.AsyncClient", "close", "httpx.AsyncClient()"),
  att("httpx", "get_async"), att("httpx", "fetch"))
P(H + "pandas_removed_apis.py",
  imp("pandas", "Int64Index"), imp("pandas.io.json", "json_normalize"), mod("pandas.util.testing"),
  att("pandas.DataFrame", "from_csv"), frame("pandas.DataFrame", "convert_objects"),
  frame("pandas.DataFrame", "append"), frame("pandas.DataFrame", "iteritems"),
  frame("pandas.Series", "iteritems"), frame("pandas.Series", "mad"),
  frame("pandas.DataFrame", "as_matrix"), frame("pandas.DataFrame", "set_value"), frame("pandas.DataFrame", "get_value"),
  frame("pandas.DataFrame", "sort"), frame("pandas.DataFrame", "lookup"), frame("pandas.DataFrame", "tshift"),
  frame("pandas.Series", "get_values"),
  att("pandas", "rolling_mean"), att("pandas", "ewma"), att("pandas", "datetime"), att("pandas", "np"),
  att("pandas", "Panel"), att("pandas", "TimeGrouper"),
  inst("pandas.Index", "is_monotonic", "pandas.Index([1, 2])"),
  inst("pandas.Timestamp", "to_datetime", "pandas.Timestamp.now()"), att("pandas", "read_msgpack"))
P(H + "pandas_invented.py",
  att("pandas", "read_xlsx"), att("pandas", "read_jsonl"), att("pandas.DataFrame", "from_json"),
  frame("pandas.DataFrame", "drop_column"), frame("pandas.DataFrame", "rename_columns"),
  frame("pandas.DataFrame", "unique"), frame("pandas.DataFrame", "to_list"), frame("pandas.DataFrame", "filter_rows"),
  att("pandas", "merge_all"), att("pandas", "to_csv"), frame("pandas.Series", "most_common"),
  att("pandas.Series", "from_array"), frame("pandas.Series", "nonzero"), frame("pandas.Series", "valid"),
  inst("pandas.Index", "to_array", "pandas.Index(['a'])"))
P(H + "numpy_removed_aliases.py",
  *[att("numpy", n) for n in ("float", "int", "object", "asfarray", "NaN", "Inf", "PINF", "NINF", "infty",
                              "product", "cumproduct", "alltrue", "sometrue", "float_", "complex_", "round_",
                              "string_", "unicode_", "msort", "mat", "asscalar", "find_common_type", "int0", "bool8")],
  inst("numpy.ndarray", "ptp", "numpy.asarray([1])"), inst("numpy.ndarray", "itemset", "numpy.array([1.0])"),
  inst("numpy.ndarray", "newbyteorder", "numpy.array([1], dtype='>i4')"))
P(H + "numpy_invented.py",
  *[att("numpy", n) for n in ("softmax", "relu", "sigmoid", "normalize")],
  att("numpy.linalg", "fast_inverse"), att("numpy.linalg", "inverse"),
  inst("numpy.random.Generator", "randint", "numpy.random.default_rng(0)"),
  inst("numpy.random.Generator", "randn", "numpy.random.default_rng(0)"),
  att("numpy.random", "integers"), inst("numpy.random.Generator", "choices", "numpy.random.default_rng()"),
  inst("numpy.ndarray", "to_list", "numpy.zeros(3)"), inst("numpy.ndarray", "append", "numpy.arange(3)"),
  inst("numpy.ndarray", "push", "numpy.arange(3)"), inst("numpy.ndarray", "length", "numpy.arange(3)"))
TG_APP = "telegram.ext.Application.builder().token('123:abc').build()"
P(H + "telegram_v13_leftovers.py",
  imp("telegram", "Emoji"), imp("telegram.error", "Unauthorized"), imp("telegram.ext", "Dispatcher"),
  imp("telegram.ext", "RegexHandler"), imp("telegram.ext", "run_async"), imp("telegram.ext", "DispatcherHandlerStop"),
  mod("telegram.utils.helpers"), mod("telegram.ext.messagequeue"),
  inst("telegram.Message", "reply"), inst("telegram.ext.CallbackContext", "dispatcher"),
  inst("telegram.Message", "answer"), inst("telegram.Update", "from_user"), inst("telegram.Chat", "send_text"),
  inst("telegram.ext.ApplicationBuilder", "use_context", "telegram.ext.Application.builder().token('1:a')"),
  att("telegram.ext.filters", "text"), att("telegram.ext.filters", "command"),
  inst("telegram.ext.Application", "dispatcher", TG_APP), inst("telegram.ext.Application", "start_polling", TG_APP),
  inst("telegram.ext.Application", "idle", TG_APP))
P(H + "flask_werkzeug_moves.py",
  imp("flask", "escape"), imp("flask", "Markup"), imp("flask", "_app_ctx_stack"), imp("flask.helpers", "safe_join"),
  imp("flask.json", "JSONEncoder"), imp("werkzeug", "secure_filename"), imp("werkzeug", "cached_property"),
  imp("werkzeug.urls", "url_quote"), imp("werkzeug.urls", "url_parse"), imp("werkzeug.security", "safe_str_cmp"),
  mod("werkzeug.contrib.fixers"), mod("flask.ext.sqlalchemy"),
  inst("flask.Flask", "before_first_request", "flask.Flask('x')"), inst("flask.Flask", "json_encoder", "flask.Flask('x')"),
  inst("flask.Flask", "run_async", "flask.Flask('x')"))
ENV = "jinja2.Environment(loader=jinja2.DictLoader({'a': 'x'}))"
P(H + "jinja2_outdated.py",
  *[imp("jinja2", n) for n in ("Markup", "escape", "contextfilter", "evalcontextfilter", "environmentfilter", "contextfunction")],
  imp("jinja2.ext", "autoescape"), imp("jinja2.ext", "with_"), imp("jinja2.utils", "Markup"),
  att("jinja2", "evalcontextfilter"), att("jinja2.filters", "do_escape"),
  inst("jinja2.Environment", "render_template", ENV), inst("jinja2.Template", "render_to_string", ENV + ".from_string('x')"),
  inst("jinja2.Environment", "render", ENV))
SA_SETUP = ("import sqlalchemy as sa\nfrom sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, Session\n"
            "class Base(DeclarativeBase): pass\n"
            "class User(Base):\n    __tablename__ = 'users'\n    id: Mapped[int] = mapped_column(primary_key=True)\n"
            "    name: Mapped[str] = mapped_column(sa.String(50))\n"
            "engine = sa.create_engine('sqlite://')\nmetadata = sa.MetaData()\n"
            "legacy = sa.Table('legacy_users', metadata, sa.Column('id', sa.Integer, primary_key=True))\n"
            "session = Session(engine)\n")
P(H + "sqlalchemy_1x_leftovers.py",
  imp("sqlalchemy", "Binary"), mod("sqlalchemy.databases"), imp("sqlalchemy.orm", "relation"), imp("sqlalchemy.orm", "eagerload"),
  snip(SA_SETUP, "engine", "has_table"), snip(SA_SETUP, "engine", "table_names"), snip(SA_SETUP, "legacy", "exists"),
  snip(SA_SETUP, "metadata", "bind"), snip(SA_SETUP, "engine", "execute"),
  snip(SA_SETUP, "sa.select(User.name)", "apply_labels"), snip(SA_SETUP, "sa.select(User.name).where(User.id > 0)", "execute"),
  snip(SA_SETUP, "engine", "run_callable"), snip(SA_SETUP, "session", "save"), snip(SA_SETUP, "session", "save_or_update"),
  snip(SA_SETUP, "User", "query"), snip(SA_SETUP, "User", "objects"), snip(SA_SETUP, "User", "get"),
  snip(SA_SETUP, "session.query(User)", "paginate"), snip(SA_SETUP, "User(name='a')", "save"),
  att("sqlalchemy.orm", "eagerload"))
PD_SETUP = ("from typing import Optional\nfrom pydantic import BaseModel, Field\n"
            "class Address(BaseModel):\n    street: str\n    city: str\n"
            "class Customer(BaseModel):\n    name: str\n    email: str\n    age: int = Field(default=0, ge=0)\n"
            "    address: Optional[Address] = None\n"
            "c = Customer(name='Ann', email='a@b.c')\n")
P(H + "pydantic_v1_habits.py",
  imp("pydantic", "BaseSettings"), imp("pydantic", "ConstrainedStr"), imp("pydantic", "ConstrainedInt"),
  imp("pydantic", "parse_raw_as"), imp("pydantic", "stricturl"), imp("pydantic.fields", "ModelField"),
  snip(PD_SETUP, "Customer", "from_dict"), snip(PD_SETUP, "c", "to_dict"), snip(PD_SETUP, "c", "to_json"),
  snip(PD_SETUP, "c", "full_name"), snip(PD_SETUP, "Customer", "get_fields"), snip(PD_SETUP, "c", "fields"))
CLI_SETUP = ("import click\nfrom rich.console import Console\nfrom rich.progress import Progress\n"
             "from rich.table import Table\nfrom rich.tree import Tree\nconsole = Console()\n"
             "@click.group()\n@click.option('--verbose', is_flag=True)\n@click.pass_context\n"
             "def cli(ctx, verbose): pass\nctx = click.Context(cli)\n")
P(H + "click_rich_cli.py",
  imp("click", "get_os_args"), imp("rich", "Console"), imp("rich", "Table"),
  snip(CLI_SETUP, "ctx", "echo"), att("click", "get_terminal_size"), snip(CLI_SETUP, "Progress()", "increment"),
  snip(CLI_SETUP, "console", "success"), snip(CLI_SETUP, "Table(title='x')", "add_header"),
  snip(CLI_SETUP, "Table(title='x')", "add_rows"), att("rich", "print_table"), att("click", "echo_error"),
  snip(CLI_SETUP, "console", "warning"), snip(CLI_SETUP, "console", "write"), snip(CLI_SETUP, "Tree('s')", "add_child"),
  snip(CLI_SETUP, "console", "error"), att("click", "secho_error"), snip(CLI_SETUP, "cli", "run"))
P(H + "invented_modules.py",
  *[mod(m) for m in ("telegraf", "openai_helpers", "numpyx", "sklearn_utils", "llm_utils.prompts", "pandas_utils",
                     "requests_async", "telegram_bot", "fastjson", "openai.util", "openai.error",
                     "requests.async_api", "numpy.fastmath", "pandas.extras")])
P(H + "annotated_parameters.py",
  frame("pandas.DataFrame", "iteritems"), frame("pandas.Series", "append"),
  inst("numpy.ndarray", "to_list", "numpy.zeros(1)"), inst("requests.Response", "json_data", REQ),
  inst("requests.Response", "status", REQ), inst("pathlib.Path", "mkdirs", "pathlib.Path('x')"),
  inst("pathlib.Path", "lines", "pathlib.Path('x')"), inst("str", "uper", "''"), inst("list", "push", "[]"),
  inst("dict", "iteritems", "{}"), inst("re.Match", "matches", "re.match('a', 'a')"),
  inst("datetime.datetime", "to_string", "datetime.datetime.now()"), inst("typing.TextIO", "readAll"),
  inst("sqlite3.Connection", "fetchall", "sqlite3.connect(':memory:')"),
  snip("import sqlalchemy as sa\ne = sa.create_engine('sqlite://')", "e", "execute"),
  inst("openai.resources.chat.Chat", "completion", OA_CLIENT + ".chat"),
  inst("asyncio.Queue", "push", "asyncio.Queue()"), inst("threading.Event", "wait_for", "threading.Event()"),
  inst("logging.Logger", "success", "logging.getLogger('x')"))
P(H + "call_result_chains.py",
  inst("requests.Response", "json_data", REQ), inst("httpx.Response", "json_data", HX),
  inst("pathlib.Path", "mkdirs", "pathlib.Path.cwd().parent"), inst("pathlib.Path", "read", "pathlib.Path('.').joinpath('d')"),
  inst("datetime.date", "to_string", "datetime.datetime.now().date()"),
  inst("datetime.date", "weekday_name", "datetime.date.today()"), inst("time.struct_time", "year", "time.localtime()"),
  inst("str", "uper", "' W '.strip().lower()"), inst("str", "to_bytes", "json.dumps({})"),
  inst("list", "items", "collections.Counter(['a']).most_common(3)"), inst("list", "first", "sorted('a b'.split())"),
  # Optional[Match]: absent on Match and on None
  ("HAL101", "matches", "missing_inst('re.Match', 'matches', \"re.compile(r'[0-9]+').search('x1')\") "
                        "and missing_snippet('m = None', 'm', 'matches')"),
  inst("uuid.UUID", "to_string", "uuid.uuid4()"),
  snip("import hashlib\nh = hashlib.md5(b'')", "h", "hex"),
  snip("import zipfile, io\nbuf = io.BytesIO()\nzipfile.ZipFile(buf, 'w').close()\nz = zipfile.ZipFile(buf)", "z", "list"),
  inst("str", "lines", "''"), inst("list", "join", "open(os.devnull).readlines()"),
  inst("logging.Logger", "success", "logging.getLogger('app').getChild('db')"),
  frame("pandas.DataFrame", "iteritems"), inst("telegram.ext.Application", "dispatcher", TG_APP))

# --- hallucinated: keyword arguments (HAL201) and positional counts (HAL202) -----------------
# Safe callees are really called offline (kwc/posc: the TypeError must name the keyword, or
# be about the positional count); callees that would reach the network, start a server or
# need a live object (openai/httpx/requests requests, telegram coroutines, app.run) are
# checked by binding their signature (kw/kwe/pos), on the function that finally receives
# the forwarded **kwargs (requests.get -> Session.request, Flask.run -> run_simple).
TMP = "import tempfile\ntmp = tempfile.gettempdir()"
P(H + "kwargs_stdlib.py",
  kwc("argparse.ArgumentParser(desc='x')", "desc"),
  kwc("argparse.ArgumentParser().add_argument('--log-dir', default='/var/log/app', description='x')", "description"),
  kwc("argparse.ArgumentParser().add_argument('--dry-run', action='store_true', optional=True)", "optional"),
  posc("logging.basicConfig(logging.INFO)", "logging.INFO"),
  kwc("logging.handlers.RotatingFileHandler(os.devnull, max_bytes=5, backupCount=3)", "max_bytes",
      "import logging.handlers"),
  kwc("logging.Formatter('%(message)s', date_format='%H:%M:%S')", "date_format"),
  kwc("open(os.devnull, encodng='utf-8')", "encodng"),
  kwc("json.load(io.StringIO('{}'), encoding='utf-8')", "encoding"),
  kwc("json.loads('{}', strict_mode=False)", "strict_mode"),
  kwc("json.dumps({}, sort=True, indent=2)", "sort"),
  posc("json.dumps({}, 4)", "4"),
  kwc("pathlib.Path(tmp).mkdir(parents=True, exists_ok=True)", "exists_ok", TMP),
  kwc("json.dump({}, io.StringIO(), indent_size=2)", "indent_size"),
  kwc("csv.writer(io.StringIO(), delimeter=';')", "delimeter"),
  kwc("csv.DictReader(io.StringIO('a\\n1'), fields=['ts'])", "fields"),
  kwc("os.makedirs(tmp, exists_ok=True)", "exists_ok", TMP),
  kwc("shutil.copytree('/nonexistent-src', '/nonexistent-dst', overwrite=True)", "overwrite"),
  kwc("shutil.rmtree('/nonexistent', ignore_error=True)", "ignore_error"),
  kwc("pathlib.Path(tmp).glob('**/*.log', recursive=True)", "recursive", TMP),
  kwc("glob.glob('*.log', recurse=True)", "recurse"),
  kwc("os.walk(tmp, follow_links=True)", "follow_links", TMP),
  kwc("pathlib.Path('/nonexistent/x').unlink(ignore_missing=True)", "ignore_missing"),
  kwc("pathlib.Path('/nonexistent/x').touch(exists_ok=True)", "exists_ok"),
  kwc("subprocess.run(['true'], capture=True, text=True)", "capture"),
  kwc("subprocess.Popen(['true'], capture_output=True)", "capture_output"),
  kwc("tempfile.NamedTemporaryFile(mode='w', suffix='.log', remove=False)", "remove"),
  kwc("threading.Thread(target=print, arguments=('x',), daemon=True)", "arguments"),
  kwc("time.sleep(seconds=0)", "seconds"),
  kwc("re.compile('ERROR', flag=re.IGNORECASE)", "flag"),
  kwc("re.sub('a', 'b', 'abc', flag=re.I)", "flag"),
  kwc("'a|b'.split(delimiter='|')", "delimiter"),
  kwc("' a '.strip(chars=' ')", "chars"),
  kwc("textwrap.wrap('some text', width=88, indent='    ')", "indent"),
  kwc("base64.b64encode(b'x', urlsafe=True)", "urlsafe"),
  kwc("int('ff', radix=16)", "radix"),
  kwc("{}.get('key', default=None)", "default"),
  kwc("os.getenv('HOME', default_value='')", "default_value"),
  kwc("datetime.datetime.strptime('2020-01-01', format='%Y-%m-%d')", "format"),
  kwc("datetime.datetime(2020, 1, 1, tz=datetime.timezone.utc)", "tz"),
  kwc("datetime.timedelta(months=1)", "months"),
  kwc("datetime.datetime.fromtimestamp(0, timezone=datetime.timezone.utc)", "timezone"),
  kwc("datetime.datetime.now().isoformat(separator=' ')", "separator"),
  kwc("sorted(['a'], key=len, revers=True)", "revers"),
  posc("sorted(['b', 'a'], str.lower)", "str.lower"),
  kwc("enumerate(['a'], begin=1)", "begin"),
  kwc("random.choice(['a', 'b'], k=3)", "k"),
  posc("random.choice(['a', 'b'], 3)", "count"),
  kwc("collections.Counter('abc').most_common(limit=5)", "limit"),
  kwc("collections.deque([], max_len=100)", "max_len"),
  kwc("math.isclose(1.0, 1.0, tolerance=1e-6)", "tolerance"),
  kwc("round(1.25, digits=2)", "digits"),
  kwc("functools.lru_cache(max_size=128)", "max_size"),
  kwc("uuid.uuid4(hex=True)", "hex"),
  # TypeError only when the level is enabled: error/warning are (default level WARNING)
  kwc("logging.getLogger('logrotate').error('could not rotate %s', 'x', exc=True)", "exc"),
  kwc("logging.getLogger('logrotate').warning('rotation skipped', extras={})", "extras"))
REQ_RESP = "import requests\nresp = requests.Response()\nresp._content = b'{\"a\": 1}\\n{}'\nresp.encoding = 'utf-8'"
P(H + "kwargs_requests.py",
  *[kw("requests.Session.request", n) for n in
    ("timeouts", "query", "verify_ssl", "proxy", "follow_redirects", "jsonn", "body", "json_data", "retries",
     "max_retries", "timeoutt", "ssl_verify")],
  pos("requests.get", 2, "headers"),
  kwc("requests.Session(headers={'Authorization': 'Bearer x'})", "headers"),
  kwc("Retry(total=3, backoff=0.5, status_forcelist=[502])", "backoff", "from urllib3.util.retry import Retry"),
  kwc("HTTPAdapter(retries=3)", "retries", "from requests.adapters import HTTPAdapter"),
  kwc("HTTPBasicAuth(user='u', password='p')", "user", "from requests.auth import HTTPBasicAuth"),
  kwc("resp.iter_content(chunk=8192)", "chunk", REQ_RESP),
  kwc("resp.iter_lines(chunk=512, decode_unicode=True)", "chunk", REQ_RESP),
  kwc("resp.json(encoding='utf-8')", "encoding", REQ_RESP))
HX_RESP = "import httpx\nresp = httpx.Response(200, content=b'xyz', request=httpx.Request('GET', 'https://x'))"
P(H + "kwargs_httpx.py",
  kw("httpx.get", "timeouts"), kw("httpx.get", "verify_ssl"), kw("httpx.get", "allow_redirects"),
  pos("httpx.get", 1, "params"),
  kwc("httpx.Client(base='https://x', headers={})", "base"),
  kwc("httpx.Client(base_url='https://x', retries=3)", "retries"),
  kwc("httpx.Timeout(10.0, connect_timeout=5.0)", "connect_timeout"),
  kwc("httpx.Limits(max_connections=20, max_keepalive=5)", "max_keepalive"),
  kwc("httpx.HTTPTransport(max_retries=3)", "max_retries"),
  kw("httpx.Client.get", "allow_redirects"), kw("httpx.Client.get", "data"), kw("httpx.Client.delete", "json"),
  kw("httpx.Client.post", "verify"), kw("httpx.Client.stream", "chunk_size"),
  kwc("resp.iter_bytes(chunk=4096)", "chunk", HX_RESP),
  kwc("httpx.AsyncClient(base_url='https://x', allow_redirects=True)", "allow_redirects"),
  kw("httpx.AsyncClient.get", "timeouts"))
OA = "openai.OpenAI(api_key='sk-verify')"
P(H + "kwargs_openai.py",
  kwc("openai.OpenAI(key='sk-verify')", "key"),
  kwc("openai.OpenAI(api_key='sk-verify', api_base='https://x')", "api_base"),
  kwc("openai.OpenAI(organization_id='org', max_retries=2)", "organization_id"),
  kwc("openai.OpenAI(request_timeout=60)", "request_timeout"), kwc("openai.OpenAI(retries=5)", "retries"),
  *[kwe(OA + ".chat.completions.create", n) for n in
    ("max_token", "engine", "request_timeout", "system", "stop_sequences", "top_k")],
  pos(OA + ".chat.completions.create", 0, "MODEL"),
  kwe(OA + ".embeddings.create", "text"), pos(OA + ".embeddings.create", 0, "texts"),
  kwe(OA + ".images.generate", "n_images"), kwe(OA + ".images.generate", "resolution"),
  kwe(OA + ".audio.transcriptions.create", "lang"), kwe(OA + ".audio.speech.create", "format"),
  kwe(OA + ".moderations.create", "text"), kwe(OA + ".models.retrieve", "model_id"),
  kwe(OA + ".files.create", "filename"))
PDS = "import io\nimport pandas as pd\ndf = pd.DataFrame({'a': [1.5, 2.25], 'b': ['web', 'x']})\ncsv = io.StringIO('a;b\\n1;2')"
P(H + "kwargs_pandas.py",
  *[kwc(f"pd.read_csv(csv, {k}=v)", k, PDS + f"\nv = {v!r}") for k, v in
    (("delimeter", ";"), ("error_bad_lines", False), ("warn_bad_lines", True), ("squeeze", True), ("prefix", "col_"))],
  posc("pd.read_csv(csv, ';')", '";"', PDS),
  kwc("pd.read_excel('targets.xlsx', sheet='Targets')", "sheet", PDS),
  kwc("pd.read_sql('SELECT 1', sqlite3.connect(':memory:'), parameters=())", "parameters", PDS),
  kwc("pd.DataFrame([], column=['date'])", "column", PDS),
  kwc("df.dropna(columns=['a'])", "columns", PDS), kwc("df.drop_duplicates(columns=['a'])", "columns", PDS),
  kwc("df.drop(cols=['a'])", "cols", PDS), kwc("pd.to_datetime(df['b'], fmt='%Y-%m-%d')", "fmt", PDS),
  posc("df.drop('a', 1)", "1", PDS),
  kwc("df.sort_values(by='a', reverse=True)", "reverse", PDS), posc("df.sort_values('a', False)", "False", PDS),
  kwc("df.sort_values(column='a')", "column", PDS),
  kwc("df.merge(df, on='a', how='left', suffix=('', '_t'))", "suffix", PDS),
  kwc("pd.concat([df, df], join_axes=[df.columns])", "join_axes", PDS), posc("pd.concat([df, df], 1)", "1", PDS),
  kwc("df['a'].rolling(window_size=7)", "window_size", PDS), kwc("df.sample(n=1, random_seed=42)", "random_seed", PDS),
  kwc("pd.cut(df['a'], bins=3, label=['l', 'm', 'h'])", "label", PDS),
  kwc("df['b'].str.contains('web', ignore_case=True)", "ignore_case", PDS),
  kwc("pd.get_dummies(df, columns=['b'], drop=True)", "drop", PDS), kwc("df.round(digits=2)", "digits", PDS),
  kwc("df.to_dict(orientation='records')", "orientation", PDS),
  kwc("df.to_csv(io.StringIO(), index=False, line_terminator='\\n')", "line_terminator", PDS),
  kwc("df.to_excel('out.xlsx', index=False, encoding='utf-8')", "encoding", PDS),
  kwc("df.to_json(io.StringIO(), orient='records', indent_size=2)", "indent_size", PDS),
  kwc("df.to_sql('sales', sqlite3.connect(':memory:'), replace=True, index=False)", "replace", PDS))
SAS = ("import sqlalchemy as sa\nfrom sqlalchemy.orm import Session, sessionmaker, scoped_session, declarative_base, "
       "mapped_column, relationship\nfrom pydantic import BaseModel, TypeAdapter, field_validator, model_validator\n"
       "engine = sa.create_engine('sqlite://')\n"
       "class UserOut(BaseModel):\n    id: int\n    email: str\nuser = UserOut(id=1, email='a@b.c')\n")
P(H + "kwargs_sqlalchemy_pydantic.py",
  # create_engine(**kwargs) hands the keywords to dialect, pool and engine; leftovers -> TypeError
  kwc("sa.create_engine('sqlite:///users.db', encoding='utf8', echo=False)", "encoding", SAS),
  kwc("sa.create_engine('sqlite:///users.db', convert_unicode=True)", "convert_unicode", SAS),
  kwc("sa.create_engine('sqlite:///users.db', timeout=30, pool_pre_ping=True)", "timeout", SAS),
  kwc("Session(engine=engine)", "engine", SAS),
  kwc("scoped_session(sessionmaker(bind=engine), autocommit=False)", "autocommit", SAS),
  kwc("declarative_base(bind=engine)", "bind", SAS), kwc("sa.MetaData(bind=engine)", "bind", SAS),
  # Column/Table/mapped_column reject a non-`<dialect>_<arg>` extra keyword with TypeError
  kwc("sa.Table('users', sa.MetaData(), autoload=True)", "autoload", SAS),
  kwc("sa.Column('email', sa.String(255), null=False, unique=True)", "null", SAS),
  kwc("sa.String(max_length=120)", "max_length", SAS),
  kwc("sa.Column('bio', sa.Text, required=False)", "required", SAS),
  kwc("sa.DateTime(tz=True)", "tz", SAS),
  kwc("mapped_column(sa.ForeignKey('users.id'), null=False)", "null", SAS),
  kwc("relationship('User', back_populate='addresses')", "back_populate", SAS),
  kwc("relationship('Tag', related_name='addresses')", "related_name", SAS),
  kwc("sa.MetaData().create_all(engine=engine)", "engine", SAS),
  kwc("Session(engine).get(UserOut, id=1)", "id", SAS),
  kwc("engine.connect().execute(sa.text('SELECT :p'), params={'p': 1})", "params", SAS),
  kwc("Session(engine).execute(sa.text('SELECT :p'), parameters={'p': 1})", "parameters", SAS),
  kwc("field_validator('name', pre=True)", "pre", SAS), kwc("field_validator('age', always=True)", "always", SAS),
  kwc("model_validator(pre=True)", "pre", SAS),
  kwc("user.model_dump(exclude_nulls=True)", "exclude_nulls", SAS), posc("user.model_dump('json')", '"json"', SAS),
  kwc("user.model_dump_json(pretty=True)", "pretty", SAS),
  kwc("UserOut.model_validate({'id': 1, 'email': 'x'}, allow_extra=True)", "allow_extra", SAS),
  kwc("user.model_copy(updates={'email': 'y'})", "updates", SAS),
  kwc("TypeAdapter(list[int], strict=True)", "strict", SAS))
FL = "import flask\napp = flask.Flask('portal')\n"
JJ = "import jinja2\nenv = jinja2.Environment(loader=jinja2.DictLoader({'invoice.html': 'x'}))\n"
P(H + "kwargs_flask_jinja2.py",
  kwc("flask.Flask('portal', static_path='/assets')", "static_path", FL),
  kwc("app.config.from_object('config.Production', silent=True)", "silent", FL),
  kwc("flask.Flask('portal', template_dir='t', instance_relative_config=True)", "template_dir", FL),
  kwc("flask.Blueprint('api', 'portal', prefix='/api/v1')", "prefix", FL),
  kwc("app.route('/invoices', method=['POST'])(lambda: '')", "method", FL),
  kwc("app.route('/invoices/<int:invoice_id>', name='invoice_detail')(lambda invoice_id: '')", "name", FL),
  kwc("flask.redirect('/logo.png', status=302)", "status", FL),
  kw("flask.send_file", "attachment_filename"), kw("flask.send_file", "cache_timeout"),
  kw("flask.Request.get_json", "strict"),
  kwc("jinja2.FileSystemLoader(path='templates')", "path", JJ),
  kwc("jinja2.Environment(loader=jinja2.FileSystemLoader('t'), strict_undefined=True)", "strict_undefined", JJ),
  kwc("jinja2.PackageLoader('portal', template_path='templates')", "template_path", JJ),
  kwc("jinja2.select_autoescape(extensions=['html', 'xml'])", "extensions", JJ),
  kwc("jinja2.Environment(loader=jinja2.FileSystemLoader('t'), cache=True)", "cache", JJ),
  kwc("jinja2.DictLoader(templates={})", "templates", JJ),
  kwc("env.get_template('invoice.html', encoding='utf-8')", "encoding", JJ),
  kwc("env.from_string('x', autoescape=True)", "autoescape", JJ),
  kwc("jinja2.Template('x', loader=env.loader)", "loader", JJ),
  # Flask.run(**options) -> werkzeug run_simple (skipped only under `flask run`, FLASK_RUN_FROM_CLI)
  kw("werkzeug.serving.run_simple", "reload"), kw("werkzeug.serving.run_simple", "workers"),
  kw("werkzeug.serving.run_simple", "threads"))
CK = "import click\ndef fn(**kw):\n    pass\n"
RC = "import io\nfrom rich.console import Console\nconsole = Console(file=io.StringIO())\n"
P(H + "kwargs_click_rich.py",
  *[kwc(f"click.option({decl}, {k}=v)(fn)", k, CK + f"v = {v!r}") for decl, k, v in
    (("'--token'", "env", "BACKUP_TOKEN"), ("'--format', 'fmt'", "choices", ["tar", "zip"]),
     ("'-o', '--output'", "dest", "output_dir"), ("'--dry-run'", "action", "store_true"),
     ("'--verbose', is_flag=True", "default_value", False), ("'--retries', default=3", "show_defaults", True))],
  kwc("click.IntRange(min_value=0)", "min_value", CK),
  kwc("click.Path(must_exist=True)", "must_exist", CK),
  kwc("click.argument('source', help='directory to back up')(fn)", "help", CK),
  kwc("click.Choice(['gz', 'xz'], ignore_case=True)", "ignore_case", CK),
  kwc("click.command(description='Back up')(fn)", "description", CK),
  kwc("click.confirm('Overwrite?', abort_on_no=True)", "abort_on_no", CK),
  kwc("click.prompt('Bucket password', hide=True)", "hide", CK),
  kwc("click.echo('x', fg='yellow', err=True)", "fg", CK),
  kwc("click.progressbar([1], title='Copying')", "title", CK),
  kwc("Console(color=True)", "color", RC), kwc("Console(verbose=True)", "verbose", RC),
  kwc("Table(title='Backup summary', headers=['File'])", "headers", RC + "from rich.table import Table"),
  kwc("Table().add_column('Size', align='right')", "align", RC + "from rich.table import Table"),
  kwc("Table().add_column('Status', color='green')", "color", RC + "from rich.table import Table"),
  kwc("Table('a').add_row('x', color='red')", "color", RC + "from rich.table import Table"),
  kwc("console.print('x', color='cyan')", "color", RC),
  kwc("console.log('step', level='info')", "level", RC),
  kwc("console.rule(text='title')", "text", RC),
  kwc("Panel('backup', border_color='blue')", "border_color", RC + "from rich.panel import Panel"),
  kwc("rich.print('ready', style='green', file=io.StringIO())", "style", RC + "import rich"),
  kwc("Syntax('a = 1', language='toml')", "language", RC + "from rich.syntax import Syntax"),
  kwc("Text('x', color='green')", "color", RC + "from rich.text import Text"),
  kwc("track([1], desc='Uploading', console=console)", "desc", RC + "from rich.progress import track"),
  kwc("Progress(refresh_rate=10)", "refresh_rate", RC + "from rich.progress import Progress"),
  kwc("p.advance(p.add_task('Uploading', total=1), step=1)", "step", RC + "from rich.progress import Progress\np = Progress(console=console)"),
  kwc("RichHandler(colors=True)", "colors", RC + "from rich.logging import RichHandler"))
TG = "import telegram, telegram.ext\nfrom telegram.ext import filters\n"
P(H + "kwargs_telegram.py",
  kwc("telegram.InlineKeyboardButton('New reminder', callback='new')", "callback", TG),
  kw("telegram.Message.reply_text", "parse"), kw("telegram.Message.reply_text", "timeout"),
  kwc("telegram.ReplyKeyboardMarkup([['/new']], resize=True)", "resize", TG),
  kw("telegram.CallbackQuery.answer", "alert"), kw("telegram.CallbackQuery.edit_message_text", "markup"),
  kw("telegram.Bot.send_message", "silent"), kw("telegram.Bot.send_chat_action", "typing"),
  kw("telegram.Bot.send_document", "file_name"), kw("telegram.Bot.send_photo", "image"),
  kw("telegram.ext.JobQueue.run_repeating", "context"), kw("telegram.ext.JobQueue.run_once", "delay"),
  kwc("telegram.ext.Updater('123:abc', use_context=True)", "use_context", TG),
  kwc("telegram.Bot('123:abc', parse_mode='HTML')", "parse_mode", TG),
  kwc("telegram.ext.ConversationHandler(entry_points=[], states={}, fallbacks=[], timeout=300)", "timeout", TG),
  kwc("telegram.ext.Application.builder(token='123:abc')", "token", TG),
  kwc("telegram.ext.CommandHandler('start', print, pass_args=True)", "pass_args", TG),
  kwc("telegram.ext.CommandHandler('list', print, run_async=True)", "run_async", TG),
  kwc("telegram.ext.MessageHandler(filters.TEXT, print, pass_user_data=True)", "pass_user_data", TG),
  kwc("telegram.ext.CallbackQueryHandler(print, pass_chat_data=True)", "pass_chat_data", TG),
  kwc("app.add_handler(telegram.ext.CommandHandler('schedule', print), priority=1)", "priority",
      TG + "app = telegram.ext.ApplicationBuilder().token('123:abc').build()"),
  kw("telegram.ext.Application.run_polling", "clean"))

# --- fixtures/cases (exact unit tests) ------------------------------------------
C = "fixtures/cases/"
P(C + "HAL001_modules.py",
  *[mod(m) for m in ("telegraf", "openai_helpers", "urllib2", "ConfigParser", "json.fastparse", "sklearn_utils",
                     "openai.error", "openai.embeddings_utils", "pandas.util.testing", "telegram.utils.helpers")])
P(C + "HAL002_import_names.py",
  imp("collections", "Mapping"), imp("itertools", "izip"), imp("json", "parse"), imp("os.path", "joinpath"),
  imp("telegram", "ParseMode"), imp("telegram.ext", "Filters"), imp("jinja2", "Markup"), imp("jinja2", "contextfilter"),
  imp("werkzeug", "secure_filename"), imp("werkzeug.urls", "url_quote"), imp("sqlalchemy.orm", "relation"),
  imp("requests", "HTTPClient"), imp("pandas.io.json", "json_normalize"))
P(C + "HAL101_stdlib.py",
  att("json", "parse"), att("os.path", "joinpath"), att("time", "clock"), att("string", "letters"), att("os", "getcwdu"),
  inst("str", "uper", "'abc'"), inst("list", "push", "[]"), inst("dict", "iteritems", "{}"),
  inst("list", "length", "'a,b'.split(',')"), inst("pathlib.Path", "mkdirs", "pathlib.Path('.').parent"),
  inst("io.TextIOWrapper", "readAll", "open(os.devnull)"), inst("datetime.datetime", "to_string", "datetime.datetime.now()"),
  inst("logging.Logger", "success", "logging.getLogger('x')"))
P(C + "HAL101_chains.py",
  inst("openai.resources.chat.Chat", "completion", OA_CLIENT + ".chat"),
  inst("openai.resources.chat.Completions", "acreate", OA_CLIENT + ".chat.completions"),
  inst("openai.resources.Images", "create", OA_CLIENT + ".images"),
  inst("requests.Response", "status", REQ), inst("requests.Response", "json_data", REQ),
  inst("requests.Session", "fetch", "requests.Session()"), inst("httpx.Response", "ok", HX),
  inst("telegram.ext.Application", "dispatcher", TG_APP))
LC = C + "HAL101_local_classes.py"


def lc(expr: str, cls: str, name: str) -> tuple[str, str, str]:
    """Runtime check on a real object AND static check on the class bodies."""
    return ("HAL101", name, f"missing_runtime({str(ROOT / LC)!r}, {expr!r}, {name!r}) and "
                            f"missing_local({str(ROOT / LC)!r}, {cls!r}, {name!r})")


P(LC, lc("Worker()", "Worker", "prepare"), lc("Worker()", "Worker", "helper"), lc("A()", "A", "y"),
  lc("A", "A", "z"), lc("Worker()", "Worker", "title"), lc("make_worker()", "Worker", "stop"))
P(C + "HAL101_libraries.py",
  att("requests", "get_async"), att("httpx", "fetch"), att("pandas", "datetime"), att("pandas", "Panel"),
  att("telegram.ext.filters", "text"), att("pandas.DataFrame", "from_csv"),
  snip("import sqlalchemy as sa\ne = sa.create_engine('sqlite://')", "e", "execute"),
  inst("httpx.AsyncClient", "close", "httpx.AsyncClient()"))

# @@PROBES@@

CORRECT_GLOBS = ["bench/corpus/correct/**/*.py", "fixtures/cases/correct_*.py", "fixtures/founding/bot_fixed.py"]


def labels_in(path: Path) -> collections.Counter[tuple[str, str]]:
    found: collections.Counter[tuple[str, str]] = collections.Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        m = EXPECT_RE.search(line)
        if m:
            for code, name in LABEL_RE.findall(m.group(1)):
                found[(code, name)] += 1
    return found


def misplaced_labels(path: Path) -> list[str]:
    """A label must sit on the line holding the missing identifier (or module text):
    HAL001 on an `import X` alias / `from X import` line, HAL002 on the imported
    alias, HAL101 on the line where `.attr` ends, HAL201 on the keyword's line, HAL202 on the
    line of a call's last positional argument, whose source text it names."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    sites: set[tuple[str, str, int]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                sites.add(("HAL001", a.name, a.lineno))
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            sites.add(("HAL001", node.module, node.lineno))
            for a in node.names:
                sites.add(("HAL002", a.name, a.lineno))
        elif isinstance(node, ast.Attribute):
            sites.add(("HAL101", node.attr, node.end_lineno))
        elif isinstance(node, ast.keyword) and node.arg:
            sites.add(("HAL201", node.arg, node.lineno))
        elif isinstance(node, ast.Call) and node.args and not isinstance(node.args[-1], ast.Starred):
            # HAL202 names the extra positional argument; labelled calls have exactly one
            # extra, so it is the last positional argument (the finding's span ends there)
            last = node.args[-1]
            sites.add(("HAL202", ast.get_source_segment(source, last), last.lineno))
    stored = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Store)}
    stored |= {a.value for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "setattr"
               for a in n.args[1:2] if isinstance(a, ast.Constant)}
    bad = []
    for no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = EXPECT_RE.search(line)
        if m:
            for code, name in LABEL_RE.findall(m.group(1)):
                if code == "HAL101" and name in stored:
                    bad.append(f"{path}:{no}: HAL101[{name}] but `.{name}` is assigned somewhere in the file")
                if (code, name, no) not in sites:
                    bad.append(f"{path}:{no}: {code}[{name}] not found on its line")
    return bad


def run_probes(path: str, probes: list[tuple[str, str, str]]) -> list[str]:
    script = HELPERS + "\nimport json\nres = []\n"
    for code, name, expr in probes:
        script += (
            f"try:\n    res.append(bool({expr}))\nexcept Exception as e:\n"
            f"    res.append(repr(e))\n"
        )
    script += "print(json.dumps(res))\n"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "OPENAI_API_KEY": "sk-verify"})
    if out.returncode:
        return [f"{path}: probe interpreter failed: {out.stderr[-500:]}"]
    results = json.loads(out.stdout.strip().splitlines()[-1])
    return [f"{path}: {c}[{n}] probe {e} -> {r}" for (c, n, e), r in zip(probes, results) if r is not True]


def main() -> int:
    errors: list[str] = []
    labelled = sorted({*ROOT.glob("bench/corpus/hallucinated/*.py"), *ROOT.glob("fixtures/founding/bot_stale.py"),
                       *[p for p in ROOT.glob("fixtures/cases/HAL*.py")]})
    total: collections.Counter[str] = collections.Counter()
    for p in labelled:
        rel = str(p.relative_to(ROOT))
        ast.parse(p.read_text(encoding="utf-8"))
        have = labels_in(p)
        errors += misplaced_labels(p)
        want = collections.Counter((c, n) for c, n, _ in PROBES.get(rel, []))
        if have != want:
            errors.append(f"{rel}: labels {sorted((have - want).elements())} lack probes; "
                          f"probes {sorted((want - have).elements())} lack labels")
        errors += run_probes(rel, PROBES.get(rel, []))
        for (c, _n), k in have.items():
            total[c] += k
    for rel in PROBES:
        if not (ROOT / rel).exists():
            errors.append(f"{rel}: probes for a missing file")
    n_correct = 0
    for pattern in CORRECT_GLOBS:
        for p in sorted(ROOT.glob(pattern)):
            n_correct += 1
            if labels_in(p):
                errors.append(f"{p}: correct file carries labels")
            # corpus files are built to run offline as __main__; fixtures are only imported;
            # modules inside a package are imported by their dotted name
            as_main = pattern.startswith("bench/")
            top, parts = p.parent, [p.stem]
            while (top / "__init__.py").exists():
                parts.insert(0, top.name)
                top = top.parent
            if len(parts) > 1:
                code = f"import {'.'.join(x for x in parts if x != '__init__')}"
            else:
                code = (f"import runpy; runpy.run_path({p.name!r}, "
                        f"run_name={'__main__' if as_main else 'imported'!r})")
            out = subprocess.run([sys.executable, "-W", "ignore", "-c", code], capture_output=True,
                                 text=True, cwd=top, timeout=120,
                                 env={**os.environ, "OPENAI_API_KEY": "sk-verify",
                                      "PYTHONPATH": str(top)})
            if out.returncode or "Traceback" in out.stderr:
                errors.append(f"{p}: running failed: {out.stderr[-400:]}")
    for e in errors:
        print("FAIL", e)
    print(f"labels: {dict(total)}; labelled files: {len(labelled)}; "
          f"correct files run: {n_correct}; failures: {len(errors)}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
