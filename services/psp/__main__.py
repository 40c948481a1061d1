"""`python -m services.psp`: serve the simulator on PSP_HOST:PSP_PORT (threaded)."""

from __future__ import annotations

from services.psp.app import PspConfig, create_app


def main() -> None:
    """Run the simulator until interrupted."""
    config = PspConfig.from_env()
    create_app(config).run(host=config.host, port=config.port, threaded=True)


if __name__ == "__main__":
    main()
