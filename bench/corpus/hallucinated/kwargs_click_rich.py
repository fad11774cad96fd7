"""Backup CLI on click and rich, with argparse / tqdm / colorama habits in the keyword arguments."""

import logging
import time

import click
import rich
from rich.console import Console
from rich.logging import RichHandler
from rich.panel import Panel
from rich.progress import Progress, track
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

console = Console()


# --- click --------------------------------------------------------------------------------------
def token_option(fn):
    return click.option("--token", env="BACKUP_TOKEN", required=True)(fn)  # expect: HAL201[env]


def format_option(fn):
    return click.option("--format", "fmt", choices=["tar", "zip"], default="tar")(fn)  # expect: HAL201[choices]


def output_option(fn):
    return click.option("-o", "--output", dest="output_dir", type=click.Path())(fn)  # expect: HAL201[dest]


def dry_run_option(fn):
    return click.option("--dry-run", action="store_true", help="only show what would be copied")(fn)  # expect: HAL201[action]


def verbose_option(fn):
    return click.option("--verbose", is_flag=True, default_value=False)(fn)  # expect: HAL201[default_value]


def retries_option(fn):
    return click.option("--retries", type=click.IntRange(min_value=0), default=3, show_defaults=True)(fn)  # expect: HAL201[min_value], HAL201[show_defaults]


def source_argument(fn):
    return click.argument("source", type=click.Path(must_exist=True), help="directory to back up")(fn)  # expect: HAL201[must_exist], HAL201[help]


def compression_option(fn):
    return click.option("--compression", type=click.Choice(["gz", "xz"], ignore_case=True))(fn)  # expect: HAL201[ignore_case]


def make_command(callback):
    return click.command(description="Back up a directory to the configured bucket")(callback)  # expect: HAL201[description]


def confirm_overwrite(path: str) -> bool:
    return click.confirm(f"Overwrite {path}?", abort_on_no=True)  # expect: HAL201[abort_on_no]


def ask_password() -> str:
    return click.prompt("Bucket password", hide=True)  # expect: HAL201[hide]


def warn(message: str) -> None:
    click.echo(message, fg="yellow", err=True)  # expect: HAL201[fg]


def copy_all(files: list) -> None:
    with click.progressbar(files, title="Copying") as bar:  # expect: HAL201[title]
        for _ in bar:
            time.sleep(0.01)


# --- rich ---------------------------------------------------------------------------------------
def make_console(no_color: bool) -> Console:
    return Console(color=not no_color, verbose=True)  # expect: HAL201[color], HAL201[verbose]


def summary_table(rows: list) -> Table:
    table = Table(title="Backup summary", headers=["File", "Size"])  # expect: HAL201[headers]
    table.add_column("Size", align="right")  # expect: HAL201[align]
    table.add_column("Status", color="green")  # expect: HAL201[color]
    for name, size, ok in rows:
        table.add_row(name, str(size), "ok" if ok else "failed", color=None if ok else "red")  # expect: HAL201[color]
    return table


def show_summary(rows: list) -> None:
    console.print(summary_table(rows), color="cyan")  # expect: HAL201[color]


def log_step(step: str) -> None:
    console.log(step, level="info")  # expect: HAL201[level]


def section(title: str) -> None:
    console.rule(text=title)  # expect: HAL201[text]


def banner(version: str) -> None:
    console.print(Panel(f"backup {version}", border_color="blue"))  # expect: HAL201[border_color]
    rich.print("[bold]ready[/bold]", style="green")  # expect: HAL201[style]


def show_config(source: str) -> None:
    console.print(Syntax(source, language="toml"))  # expect: HAL201[language]


def status_line(message: str, ok: bool) -> Text:
    return Text(message, color="green" if ok else "red")  # expect: HAL201[color]


def upload(files: list) -> None:
    for _ in track(files, desc="Uploading"):  # expect: HAL201[desc]
        time.sleep(0.01)


def upload_with_progress(files: list) -> None:
    with Progress(refresh_rate=10) as progress:  # expect: HAL201[refresh_rate]
        task = progress.add_task("Uploading", total=len(files))
        for _ in files:
            progress.advance(task, step=1)  # expect: HAL201[step]


def setup_logging() -> None:
    logging.basicConfig(level=logging.INFO, handlers=[RichHandler(colors=True)])  # expect: HAL201[colors]
