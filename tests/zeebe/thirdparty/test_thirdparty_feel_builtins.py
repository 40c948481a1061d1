"""FEEL built-ins that real Camunda 8 models use in mappings and that Zeebe accepts at
deployment (zeebe-spec §7: Zeebe evaluates FEEL with FEEL-Scala, whose built-in function set
includes `random number()` and the deprecated context names `put` / `put all`)."""

from __future__ import annotations

import pytest

from tests.zeebe.engine.engine_support import Driver, bpmn, chain, service_task

pytestmark = pytest.mark.unit


def _mapped_task(source: str) -> bytes:
    """start -> task (input mapping `source` -> local `mapped`, output back to `result`) -> end."""
    mappings = (
        f'<zeebe:ioMapping><zeebe:input source="{source}" target="mapped"/>'
        '<zeebe:output source="=mapped" target="result"/></zeebe:ioMapping>'
    )
    return bpmn(
        "feel-builtins",
        '<bpmn:startEvent id="start"/>'
        + service_task("task", "work", extensions=mappings)
        + '<bpmn:endEvent id="end"/>'
        + chain("start", "task", "end"),
    )


def test_random_number_in_an_input_mapping_deploys_and_evaluates() -> None:
    """§7.1/§7.3: an expression using `random number()` inside another call is valid FEEL, so
    the deployment is accepted and the mapping yields a number in [0, 100000)."""
    driver = Driver()
    deployed = driver.deploy(_mapped_task("=round down(random number() * 100000, 0)"))
    assert deployed.rejection is None, deployed.rejection
    instance = driver.create("feel-builtins")
    job = driver.job("work")
    driver.complete(int(job["key"]))
    result = driver.written_variables(instance)["result"]
    assert isinstance(result, int) and 0 <= result < 100000


def test_deprecated_put_all_merges_contexts_in_a_mapping() -> None:
    """§7.3 context functions: FEEL-Scala registers `put all` as the deprecated name of
    `context merge`, so a model written against it deploys and merges."""
    driver = Driver()
    deployed = driver.deploy(_mapped_task("=put all({a: 1}, put({b: 1}, &quot;b&quot;, 2))"))
    assert deployed.rejection is None, deployed.rejection
    instance = driver.create("feel-builtins")
    driver.complete(int(driver.job("work")["key"]))
    assert driver.written_variables(instance)["result"] == {"a": 1, "b": 2}
