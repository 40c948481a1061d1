"""Flask application factory; each concern is a blueprint registered here."""

from __future__ import annotations

from flask import Flask

from zeebe.http.ops import ops_blueprint
from zeebe.runtime.broker import Broker


def create_app(broker: Broker) -> Flask:
    """Build the engine's HTTP app around a running broker (nothing is created at import)."""
    app = Flask("zeebe")
    app.extensions["zeebe_broker"] = broker
    app.register_blueprint(ops_blueprint())
    return app
