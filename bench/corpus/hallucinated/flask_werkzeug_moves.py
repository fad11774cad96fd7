"""File-sharing web app using Flask / Werkzeug names that moved or were removed.

Flask 2.3/3.0 dropped `escape`, `Markup`, `_app_ctx_stack`, `safe_join`,
`before_first_request`, `json_encoder` and `flask.json.JSONEncoder`; Werkzeug 1.0 - 3.0
dropped the top-level re-exports and `werkzeug.urls.url_quote`/`url_parse`,
`werkzeug.security.safe_str_cmp` and `werkzeug.contrib`.  `flask.ext` was removed in
Flask 1.0.  `request.*` is not labelled: the request proxy resolves attributes lazily.
"""

import os

from flask import Flask, jsonify, request, send_from_directory
from flask import escape, Markup  # expect: HAL002[escape], HAL002[Markup]
from flask import _app_ctx_stack  # expect: HAL002[_app_ctx_stack]
from flask.helpers import safe_join  # expect: HAL002[safe_join]
from flask.json import JSONEncoder  # expect: HAL002[JSONEncoder]
from werkzeug import secure_filename, cached_property  # expect: HAL002[secure_filename], HAL002[cached_property]
from werkzeug.urls import url_quote, url_parse  # expect: HAL002[url_quote], HAL002[url_parse]
from werkzeug.security import generate_password_hash, safe_str_cmp  # expect: HAL002[safe_str_cmp]
from werkzeug.contrib.fixers import ProxyFix  # expect: HAL001[werkzeug.contrib.fixers]
from flask.ext.sqlalchemy import SQLAlchemy  # expect: HAL001[flask.ext.sqlalchemy]

UPLOAD_DIR = os.environ.get("UPLOAD_DIR", "/tmp/uploads")

app = Flask(__name__)
app.wsgi_app = ProxyFix(app.wsgi_app)
db = SQLAlchemy(app)


class DecimalEncoder(JSONEncoder):
    def default(self, o):
        return str(o)



@app.before_first_request  # expect: HAL101[before_first_request]
def create_upload_dir():
    os.makedirs(UPLOAD_DIR, exist_ok=True)


@app.route("/upload", methods=["POST"])
def upload():
    file = request.files["file"]
    name = secure_filename(file.filename)
    file.save(safe_join(UPLOAD_DIR, name))
    return jsonify({"name": name, "url": url_quote(f"/files/{name}")})


@app.route("/files/<name>")
def download(name):
    return send_from_directory(UPLOAD_DIR, name)


@app.route("/hello/<name>")
def hello(name):
    return Markup("<b>Hello %s</b>") % escape(name)


def check_token(given, expected):
    return safe_str_cmp(given, expected)


def current_app_name():
    return _app_ctx_stack.top.app.name


def host_of(url):
    return url_parse(url).host


def settings():
    return {
        "encoder": app.json_encoder or DecimalEncoder,  # expect: HAL101[json_encoder]
        "async": app.run_async,  # expect: HAL101[run_async]
        "hash": generate_password_hash("secret"),
    }


if __name__ == "__main__":
    app.run(debug=True)
