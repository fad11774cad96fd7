"""Flask, click, Jinja2 and rich keyword arguments that are accepted, including **options
forwarded to werkzeug, **attrs forwarded to click parameter classes, and kwargs stored as data."""

import io

import click
from click.testing import CliRunner
from flask import Blueprint, Flask, jsonify, redirect, render_template_string, url_for
from jinja2 import DictLoader, Environment, StrictUndefined, Template, select_autoescape
from rich.console import Console
from rich.panel import Panel
from rich.progress import Progress
from rich.table import Table

# --- Flask --------------------------------------------------------------------------------------
app = Flask(__name__, static_url_path="/assets", static_folder="static", template_folder="templates")
app.config.from_mapping(SECRET_KEY="dev", JSON_SORT_KEYS=False, MAX_CONTENT_LENGTH=1024)
api = Blueprint("api", __name__, url_prefix="/api", subdomain=None)


@app.route("/", methods=["GET"], strict_slashes=False, endpoint="home")
def index():
    return redirect(url_for("hello", name="ann", page=2, _external=False), code=302)


@app.route("/hello/<name>", defaults={"greeting": "Hello"})
def hello(name: str, greeting: str):
    return render_template_string("{{ greeting }}, {{ name }}!", greeting=greeting, name=name)


@api.get("/status", strict_slashes=False)
def status():
    return jsonify(ok=True, version="1.0"), 200


def report():
    return jsonify({"items": [1, 2]})


app.add_url_rule("/report", view_func=report, methods=["GET", "HEAD"], provide_automatic_options=True)
app.register_blueprint(api, url_prefix="/v1/api")


def serve() -> None:
    """Never called offline: **options go to werkzeug.serving.run_simple."""
    app.run(host="127.0.0.1", port=8000, debug=True, use_reloader=False, threaded=True, load_dotenv=False)


def flask_calls() -> None:
    client = app.test_client()
    resp = client.get("/", follow_redirects=True, headers={"Accept": "text/html"}, query_string={"x": "1"})
    print(resp.status_code, resp.get_data(as_text=True))
    print(client.get("/v1/api/status").get_json(force=True, silent=True))
    print(client.post("/report", json={"a": 1}).status_code, client.get("/report").json)


# --- click --------------------------------------------------------------------------------------
@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--verbose", "-v", is_flag=True, default=False, envvar="APP_VERBOSE", show_envvar=True)
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose


@cli.command(name="greet", help="Greet someone", short_help="greet", epilog="done", no_args_is_help=False)
@click.argument("names", nargs=-1, required=False, type=click.STRING, metavar="NAME...")
@click.option("--count", type=click.IntRange(min=1, max=5, clamp=True), default=1, show_default=True)
@click.option("--style", type=click.Choice(["plain", "loud"], case_sensitive=False), default="plain")
@click.option("--out", type=click.Path(dir_okay=False, writable=True, allow_dash=True), default="-")
@click.option("--tag", multiple=True, help="repeatable", hidden=False, prompt=False)
def greet(names: tuple, count: int, style: str, out: str, tag: tuple) -> list:
    lines = [f"Hi {n}" for n in names or ("world",)] * count
    for line in lines:
        click.secho(line.upper() if style == "loud" else line, fg="green", bold=False, err=False)
    click.echo(click.style(",".join(tag), fg="blue", underline=True), nl=True, color=False)
    return lines


@click.command()
@click.option("--n", type=int, default=2)
def standalone(n: int) -> int:
    return n * 2


def click_calls() -> None:
    print(standalone(["--n", "4"], standalone_mode=False))
    print(standalone.main(args=["--n", "5"], prog_name="standalone", standalone_mode=False))
    result = CliRunner().invoke(cli, ["greet", "ann", "--count", "2", "--tag", "x"], catch_exceptions=False, env={})
    print(result.exit_code, result.output.count("Hi ann"))
    with click.Context(cli, info_name="cli", obj={}) as ctx:
        print(ctx.invoke(greet, names=("bob",), count=1, style="loud", out="-", tag=()))


# --- Jinja2 -------------------------------------------------------------------------------------
def jinja_calls() -> None:
    env = Environment(
        loader=DictLoader({"page.html": "<h1>{{ title }}</h1>{% for i in items %}{{ i }}{% endfor %}"}),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        cache_size=50,
        auto_reload=False,
    )
    env.globals.update(site="corpus")
    template = env.get_template("page.html", globals={"extra": 1})
    print(template.render(title="<Report>", items=[1, 2]), template.render({"title": "t", "items": []}))
    print(env.from_string("{{ site }}:{{ n }}", globals={"n": 3}).render())
    print(Template("{{ a }}-{{ b }}", autoescape=True, trim_blocks=True).render(a=1, b="<b>"))


# --- rich ---------------------------------------------------------------------------------------
def rich_calls() -> None:
    console = Console(color_system=None, file=io.StringIO(), width=80, record=True, highlight=False, soft_wrap=False)
    table = Table("File", title="Files", header_style="bold", show_lines=True, box=None, expand=False)
    table.add_column("Size", justify="right", style="cyan", no_wrap=True, min_width=4)
    table.add_row("a.txt", "12", style="dim", end_section=True)
    console.print(table, style="bold", justify="left", overflow="fold", markup=False)
    console.print(Panel("done", title="Result", border_style="green", expand=False, subtitle="ok"))
    console.log("step", log_locals=False)
    console.rule("section", style="red", align="center")
    with Progress(console=console, transient=True, refresh_per_second=5, auto_refresh=False) as progress:
        task = progress.add_task("download", total=3, filename="a.txt", start=True)
        progress.update(task, advance=1, filename="b.txt", description="download b")
        progress.advance(task, advance=2)
    print(len(console.export_text(clear=True, styles=False)) > 0)


def main() -> None:
    flask_calls()
    click_calls()
    jinja_calls()
    rich_calls()


if __name__ == "__main__":
    main()
