"""Sample processes written with the test BPMN builder (parsed and linted by the tests)."""

from __future__ import annotations

from collections.abc import Callable

from zeebe.testing.bpmn_builder import (
    Compensation,
    Error,
    Link,
    Message,
    MultiInstance,
    ProcessBuilder,
    Signal,
    Terminate,
    Timer,
)

PAYMENT_CONFIRMED = Message("payment-confirmed", "= paymentId")


def saga() -> bytes:
    """Forward steps with compensation handlers, an error path and a timed message wait."""
    return (
        ProcessBuilder("saga", name="Checkout saga", version_tag="v1")
        .start("placed")
        .service_task(
            "reserve",
            type="cart.reserve",
            retries=5,
            headers={"service": "cart"},
            inputs=[("= cart.items", "items")],
            outputs=[("= reservationId", "reservationId")],
        )
        .compensation("reserve", handler="release", handler_type="cart.release")
        .service_task("capture", type="payment.capture")
        .compensation("capture", handler="refund", handler_type="payment.refund")
        .intermediate_catch("confirmed", event=PAYMENT_CONFIRMED)
        .end("completed")
        .boundary("declined", attached_to="capture", event=Error("PAYMENT_DECLINED"))
        .end("undo-all", event=Compensation())
        .boundary("confirmation-timeout", attached_to="reserve", event=Timer.duration("PT10M"))
        .intermediate_throw("undo-reserve", event=Compensation("reserve"))
        .end("timed-out", event=Error("TIMEOUT"))
        .to_xml()
    )


def gateways() -> bytes:
    """Exclusive (conditions + default), parallel, inclusive and event-based gateways."""
    return (
        ProcessBuilder("gateways")
        .start()
        .exclusive_gateway("check-amount")
        .condition("= amount > 100", name="large")
        .service_task("review", type="review")
        .exclusive_gateway("amount-checked")
        .parallel_gateway("fork")
        .task("left")
        .parallel_gateway("join")
        .inclusive_gateway("options")
        .condition("= gift")
        .manual_task("wrap")
        .inclusive_gateway("options-done")
        .event_based_gateway("wait")
        .intermediate_catch("paid", event=Message("paid", "= orderId"))
        .end("done")
        .move_to("wait")
        .intermediate_catch("expired", event=Timer.duration("PT1H"))
        .end("expired-end")
        .move_to("options")
        .default_flow()
        .connect_to("options-done")
        .move_to("fork")
        .task("right")
        .connect_to("join")
        .move_to("check-amount")
        .default_flow()
        .connect_to("amount-checked")
        .to_xml()
    )


def containers() -> bytes:
    """Subprocess, event subprocesses, multi-instance, call activity and other task kinds."""
    return (
        ProcessBuilder("containers")
        .start()
        .sub_process("items", inputs=[("= order.items", "items")])
        .start("items-start")
        .service_task(
            "pick",
            type="inventory.pick",
            loop=MultiInstance(
                "= items",
                input_element="item",
                output_collection="picked",
                output_element="= result",
                completion_condition="= numberOfCompletedInstances >= 2",
            ),
        )
        .end("items-end")
        .sub_process_end()
        .call_activity("ship", process_id="shipping", propagate_all_child_variables=False)
        .script_task("total", expression="= sum(prices)", result_variable="total")
        .user_task("approve")
        .user_task("legacy-approve", job_based=True)
        .receive_task("receipt", message=Message("receipt", "= orderId"))
        .send_task("notify", type="notify")
        .intermediate_throw("jump", event=Link("to-end"))
        .intermediate_catch("land", event=Link("to-end"))
        .intermediate_throw("announce", event=Signal("order-done"))
        .end()
        .event_sub_process("on-cancel")
        .start("cancel", event=Message("cancel", "= orderId"), interrupting=False)
        .end("cancelled")
        .sub_process_end()
        .event_sub_process("on-failure")
        .start("failure", event=Error())
        .end("terminated", event=Terminate())
        .sub_process_end()
        .to_xml()
    )


SAMPLES: dict[str, Callable[[], bytes]] = {
    "saga": saga,
    "gateways": gateways,
    "containers": containers,
}
