"""ServiceConfig.from_env: documented variable names, defaults, and clear errors on bad values."""

from __future__ import annotations

import pytest

from services.kit.config import DEFAULT_PORTS, ConfigError, ServiceConfig

pytestmark = pytest.mark.unit


def test_defaults_apply_when_nothing_is_set() -> None:
    """With no variables a known service gets its default port (DESIGN.md section 2) on loopback."""
    config = ServiceConfig.from_env("CART", env={})
    assert config == ServiceConfig(service="cart", port=8001)
    assert config.host == "127.0.0.1"
    assert config.database_url is None


def test_every_documented_variable_is_read() -> None:
    """Each `<PREFIX>_<NAME>` variable sets its field, parsed to its type."""
    env = {
        "ORDER_HOST": "0.0.0.0",
        "ORDER_PORT": "9005",
        "ORDER_LOG_LEVEL": "debug",
        "ORDER_LOG_FORMAT": "JSON",
        "ORDER_DATABASE_URL": "mongodb://127.0.0.1:27018/orders",
        "ORDER_KAFKA_BOOTSTRAP": "127.0.0.1:29092",
        "ORDER_TIMEOUT_S": "2.5",
    }
    config = ServiceConfig.from_env("ORDER", env=env)
    assert config == ServiceConfig(
        service="order",
        host="0.0.0.0",
        port=9005,
        log_level="DEBUG",
        log_format="json",
        database_url="mongodb://127.0.0.1:27018/orders",
        kafka_bootstrap="127.0.0.1:29092",
        timeout_s=2.5,
    )


def test_variables_of_other_services_are_ignored() -> None:
    """A service reads only its own prefix: PAYMENT_PORT does not move the cart."""
    config = ServiceConfig.from_env("CART", env={"PAYMENT_PORT": "9999"})
    assert config.port == DEFAULT_PORTS["CART"]


def test_blank_value_counts_as_unset() -> None:
    """`CART_PORT=` (empty, as left by shell templates) keeps the default."""
    assert ServiceConfig.from_env("CART", env={"CART_PORT": "  "}).port == 8001


def test_non_integer_port_names_variable_and_value() -> None:
    """The error says which variable is wrong and what it contained."""
    with pytest.raises(ConfigError, match=r"^CART_PORT must be an integer, got 'abc'$"):
        ServiceConfig.from_env("CART", env={"CART_PORT": "abc"})


def test_port_out_of_range_is_rejected() -> None:
    """TCP ports are 1-65535."""
    with pytest.raises(ConfigError, match=r"^CART_PORT must be between 1 and 65535, got 70000$"):
        ServiceConfig.from_env("CART", env={"CART_PORT": "70000"})


def test_unknown_log_level_lists_the_choices() -> None:
    """LOG_LEVEL accepts the standard logging level names only."""
    with pytest.raises(ConfigError, match=r"CART_LOG_LEVEL must be one of DEBUG, INFO, .*'loud'"):
        ServiceConfig.from_env("CART", env={"CART_LOG_LEVEL": "loud"})


@pytest.mark.parametrize("raw", ["soon", "0", "-1"])
def test_timeout_must_be_a_positive_number(raw: str) -> None:
    """A timeout of zero or less would make every outgoing call fail; reject it at startup."""
    with pytest.raises(ConfigError, match=rf"^PSP_TIMEOUT_S must be .*{raw!r}"):
        ServiceConfig.from_env("PSP", env={"PSP_TIMEOUT_S": raw})


def test_unknown_service_must_set_its_port() -> None:
    """Only the services of DESIGN.md have default ports; others must say where to listen."""
    with pytest.raises(ConfigError, match=r"^LOYALTY_PORT is required"):
        ServiceConfig.from_env("LOYALTY", env={})
    assert ServiceConfig.from_env("LOYALTY", env={"LOYALTY_PORT": "8010"}).port == 8010


def test_prefix_must_be_an_upper_case_identifier() -> None:
    """A prefix like 'cart-' would silently read nothing; it is refused."""
    with pytest.raises(ConfigError, match="prefix must be upper-case"):
        ServiceConfig.from_env("cart-", env={})


def test_config_is_immutable() -> None:
    """Settings are frozen after startup (CONVENTIONS.md habit 8)."""
    config = ServiceConfig.from_env("CART", env={})
    with pytest.raises(AttributeError):
        config.port = 1  # type: ignore[misc]  # assigning on purpose to prove it is refused
