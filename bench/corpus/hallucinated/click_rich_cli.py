"""Deployment CLI built with click + rich, with invented and removed helpers.

click 8.1 removed `get_terminal_size`/`get_os_args`; `echo_error`, `secho_error`,
`Context.echo` and `Command.run` never existed.  rich exposes Console/Table only from
`rich.console`/`rich.table`; Console has no success/warning/error/write helpers, Table
has no add_rows/add_header and Progress has no increment.
"""

import time

import click
import rich
from click import get_os_args  # expect: HAL002[get_os_args]
from rich import Console, Table  # expect: HAL002[Console], HAL002[Table]
from rich.console import Console as RichConsole
from rich.progress import Progress
from rich.table import Table as RichTable
from rich.tree import Tree

console = RichConsole()


@click.group()
@click.option("--verbose", is_flag=True)
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    ctx.ensure_object(dict)
    ctx.obj["verbose"] = verbose
    ctx.echo("starting")  # expect: HAL101[echo]


@cli.command()
@click.argument("service")
def deploy(service: str) -> None:
    width = click.get_terminal_size()[0]  # expect: HAL101[get_terminal_size]
    console.rule("deploy", characters="=" * (width // 40 or 1))
    with Progress() as progress:
        task = progress.add_task(f"Deploying {service}", total=3)
        for _ in range(3):
            time.sleep(0.1)
            progress.increment(task)  # expect: HAL101[increment]
    console.success(f"{service} deployed")  # expect: HAL101[success]


@cli.command()
def status() -> None:
    table = RichTable(title="Services")
    table.add_header("name", "state")  # expect: HAL101[add_header]
    table.add_rows([["api", "up"], ["worker", "down"]])  # expect: HAL101[add_rows]
    console.print(table)
    rich.print_table(table)  # expect: HAL101[print_table]


@cli.command()
@click.argument("service")
def rollback(service: str) -> None:
    if not click.confirm(f"Roll back {service}?"):
        click.echo_error("aborted")  # expect: HAL101[echo_error]
        return
    console.warning("rolling back")  # expect: HAL101[warning]
    console.write(f"{service} rolled back\n")  # expect: HAL101[write]


@cli.command()
def tree() -> None:
    root = Tree("services")
    root.add_child("api")  # expect: HAL101[add_child]
    console.print(root)


def fail(message: str) -> None:
    console.error(message)  # expect: HAL101[error]
    click.secho_error(message, fg="red")  # expect: HAL101[secho_error]
    raise SystemExit(1)


def main() -> None:
    print(get_os_args(), Console, Table)
    cli.run()  # expect: HAL101[run]


if __name__ == "__main__":
    main()
