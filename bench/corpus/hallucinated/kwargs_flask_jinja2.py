"""Invoice portal on Flask 3 and Jinja2 3, written with Flask 0.x/1.x keyword arguments."""

import os

from flask import Blueprint, Flask, redirect, request, send_file, url_for
from jinja2 import (
    DictLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    Template,
    select_autoescape,
)

app = Flask(__name__)


def create_app() -> Flask:
    portal = Flask(__name__, static_path="/assets")  # expect: HAL201[static_path]
    portal.config.from_object("config.Production", silent=True)  # expect: HAL201[silent]
    return portal


def create_admin_app() -> Flask:
    return Flask(__name__, template_dir="admin_templates", instance_relative_config=True)  # expect: HAL201[template_dir]


def create_api_blueprint() -> Blueprint:
    return Blueprint("api", __name__, prefix="/api/v1")  # expect: HAL201[prefix]


def register_routes(portal: Flask) -> None:
    @portal.route("/invoices", method=["POST"])  # expect: HAL201[method]
    def create_invoice():
        return {"ok": True}, 201

    @portal.route("/invoices/<int:invoice_id>", name="invoice_detail")  # expect: HAL201[name]
    def invoice_detail(invoice_id: int):
        return {"id": invoice_id}


@app.route("/")
def index():
    return redirect(url_for("logo"), status=302)  # expect: HAL201[status]


@app.route("/invoices/<int:invoice_id>/pdf")
def invoice_pdf(invoice_id: int):
    path = os.path.join(app.instance_path, "invoices", f"{invoice_id}.pdf")
    return send_file(path, as_attachment=True, attachment_filename=f"invoice-{invoice_id}.pdf")  # expect: HAL201[attachment_filename]


@app.route("/logo.png")
def logo():
    return send_file(os.path.join(app.root_path, "logo.png"), cache_timeout=3600)  # expect: HAL201[cache_timeout]


@app.route("/webhook", methods=["POST"])
def webhook():
    payload = request.get_json(strict=True)  # expect: HAL201[strict]
    return {"received": bool(payload)}


def make_env(template_dir: str) -> Environment:
    return Environment(loader=FileSystemLoader(path=template_dir), autoescape=True)  # expect: HAL201[path]


def make_strict_env(template_dir: str) -> Environment:
    return Environment(loader=FileSystemLoader(template_dir), strict_undefined=True)  # expect: HAL201[strict_undefined]


def make_package_env() -> Environment:
    loader = PackageLoader("portal", template_path="templates")  # expect: HAL201[template_path]
    return Environment(loader=loader, autoescape=select_autoescape(extensions=["html", "xml"]))  # expect: HAL201[extensions]


def make_cached_env(template_dir: str) -> Environment:
    return Environment(loader=FileSystemLoader(template_dir), cache=True, undefined=StrictUndefined)  # expect: HAL201[cache]


def make_memory_env(sources: dict) -> Environment:
    return Environment(loader=DictLoader(templates=sources))  # expect: HAL201[templates]


def render_invoice(env: Environment, invoice: dict) -> str:
    template = env.get_template("invoice.html", encoding="utf-8")  # expect: HAL201[encoding]
    return template.render(invoice=invoice)


def render_snippet(env: Environment, source: str, **context) -> str:
    return env.from_string(source, autoescape=True).render(**context)  # expect: HAL201[autoescape]


def render_inline(source: str, env: Environment, **context) -> str:
    return Template(source, loader=env.loader).render(**context)  # expect: HAL201[loader]


def serve() -> None:
    app.run(host="0.0.0.0", port=8000, debug=True, reload=True)  # expect: HAL201[reload]


def serve_production() -> None:
    app.run(host="0.0.0.0", port=8000, workers=4, threads=8)  # expect: HAL201[workers], HAL201[threads]


if __name__ == "__main__":
    serve()
