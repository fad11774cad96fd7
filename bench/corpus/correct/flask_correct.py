"""Flask 3 application exercised offline with the test client."""

import os

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    g,
    jsonify,
    make_response,
    redirect,
    render_template_string,
    request,
    session,
    url_for,
)
from markupsafe import Markup, escape
from werkzeug.exceptions import NotFound
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.utils import secure_filename

api = Blueprint("api", __name__, url_prefix="/api")


@api.before_app_request
def load_user() -> None:
    g.user = request.headers.get("X-User", "anonymous")


@api.route("/items", methods=["GET", "POST"])
def items():
    if request.method == "POST":
        payload = request.get_json(silent=True) or {}
        return jsonify({"created": payload.get("name"), "by": g.user}), 201
    limit = request.args.get("limit", default=10, type=int)
    return jsonify({"limit": limit, "debug": current_app.config["DEBUG"], "ua": request.user_agent.string})


@api.route("/items/<int:item_id>")
def item(item_id: int):
    if item_id > 100:
        abort(404)
    resp = make_response(jsonify({"id": item_id}))
    resp.headers["X-Item"] = str(item_id)
    resp.set_cookie("last", str(item_id))
    return resp


@api.errorhandler(NotFound)
def not_found(exc: NotFound):
    return jsonify({"error": exc.description, "code": exc.code}), 404


def create_app() -> Flask:
    app = Flask(__name__)
    app.config.update(SECRET_KEY=os.environ.get("SECRET_KEY", "dev"), DEBUG=False)
    app.register_blueprint(api)

    @app.route("/")
    def index():
        session["visits"] = session.get("visits", 0) + 1
        return render_template_string("<p>{{ name }} {{ n }}</p>", name=escape("<ann>"), n=session["visits"])

    @app.get("/go")
    def go():
        return redirect(url_for("api.items", limit=5))

    @app.post("/upload")
    def upload():
        name = secure_filename(request.files["file"].filename or "x")
        return {"name": name, "markup": str(Markup("<b>%s</b>") % name)}

    @app.teardown_appcontext
    def cleanup(exc):
        g.pop("user", None)

    app.json.sort_keys = False
    return app


def main() -> None:
    app = create_app()
    client = app.test_client()
    print(client.get("/").get_data(as_text=True))
    print(client.get("/api/items?limit=3", headers={"X-User": "kim"}).get_json())
    print(client.post("/api/items", json={"name": "pen"}).status_code)
    r = client.get("/api/items/5")
    print(r.headers["X-Item"], r.json, r.status, r.mimetype)
    print(client.get("/api/items/500").get_json(), client.get("/go").location)
    with app.app_context():
        print(current_app.name, current_app.config["SECRET_KEY"] != "")
    with app.test_request_context("/?q=x"):
        print(request.args["q"], request.path, request.method)
    pw = generate_password_hash("s3cret")
    print(check_password_hash(pw, "s3cret"), app.url_map.bind("localhost").match("/api/items"))


if __name__ == "__main__":
    main()
