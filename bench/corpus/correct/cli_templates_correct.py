"""click CLI (invoked with CliRunner), rich rendering to a buffer, jinja2 templates."""

import io

import click
import jinja2
from click.testing import CliRunner
from jinja2 import DictLoader, Environment, StrictUndefined, pass_context, select_autoescape
from markupsafe import Markup
from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel
from rich.progress import Progress, track
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

TEMPLATES = {
    "base.html": "<title>{% block title %}{% endblock %}</title>{% block body %}{% endblock %}",
    "hello.html": "{% extends 'base.html' %}{% block title %}Hi{% endblock %}"
    "{% block body %}{{ name | shout }} {{ site_name() }}{% endblock %}",
}


@pass_context
def site_name(context) -> str:
    return context.get("site", "corpus")


def make_env() -> Environment:
    env = Environment(loader=DictLoader(TEMPLATES), autoescape=select_autoescape(), undefined=StrictUndefined)
    env.filters["shout"] = lambda value: Markup("<b>{}</b>").format(str(value).upper())
    env.globals["site_name"] = site_name
    return env


@click.group()
@click.option("--verbose", is_flag=True, help="More output.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose


@cli.command()
@click.argument("name")
@click.option("--count", type=click.IntRange(1, 5), default=1)
@click.pass_obj
def greet(obj: dict, name: str, count: int) -> None:
    for _ in range(count):
        click.echo(f"hello {name}")
    if obj["verbose"]:
        click.secho("done", fg="green", err=True)


@cli.command()
@click.option("--fmt", type=click.Choice(["md", "txt"]), default="txt")
def render(fmt: str) -> None:
    template = make_env().get_template("hello.html")
    click.echo(template.render(name="ann", site="example"))
    click.echo(make_env().from_string("{{ 1 + 1 }}").render())
    ctx = click.get_current_context()
    click.echo(f"{ctx.info_name} {ctx.command.name} {fmt} {ctx.parent.params['verbose']}")


def rich_output() -> str:
    console = Console(file=io.StringIO(), width=60, color_system=None)
    table = Table(title="Services", show_lines=True)
    table.add_column("name")
    table.add_column("state", justify="right")
    table.add_row("api", "up")
    console.print(table)
    console.print(Panel.fit("deployed", title="status"), Markdown("# Title"), Text("bold", style="bold"))
    console.rule("section")
    console.log("logged")
    console.print_json('{"a": 1}')
    tree = Tree("root")
    tree.add("child").add("grandchild")
    console.print(tree)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("work", total=2)
        progress.advance(task)
        progress.update(task, completed=2)
    for _ in track(range(2), console=console, description="loop"):
        pass
    return console.file.getvalue()


def main() -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["--verbose", "greet", "ann", "--count", "2"])
    print(result.exit_code, result.output.strip().splitlines())
    print(runner.invoke(cli, ["render", "--fmt", "md"]).output)
    print(len(rich_output()) > 0, jinja2.__name__, greet.name, cli.commands.keys())


if __name__ == "__main__":
    main()
