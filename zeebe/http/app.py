"""Flask application factory; each concern is a blueprint registered here."""

from __future__ import annotations

from flask import Flask

from zeebe.http.operate import operate_blueprint
from zeebe.http.ops import ops_blueprint
from zeebe.http.rest import rest_blueprint
from zeebe.readmodel import ReadModel
from zeebe.runtime.broker import Broker


def create_app(broker: Broker, read_model: ReadModel | None = None) -> Flask:
    """Build the engine's HTTP app around a running broker (nothing is created at import).

    `read_model` (an exporter of the same broker) answers the REST searches; without it they 503.
    """
    app = Flask("zeebe")
    app.extensions["zeebe_broker"] = broker
    app.extensions["zeebe_read_model"] = read_model
    app.register_blueprint(ops_blueprint())
    app.register_blueprint(rest_blueprint())
    app.register_blueprint(operate_blueprint())
    return app
