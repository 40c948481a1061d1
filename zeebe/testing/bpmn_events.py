"""Event definitions of the test BPMN builder and the root elements they reference.

Each definition renders its `bpmn:*EventDefinition`; messages, errors, escalations and signals
register their root element in `Refs`, which `ProcessBuilder.to_xml` writes after the process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from zeebe.testing.bpmn_xml import attrs, extensions, safe_id


@dataclass(slots=True)
class Refs:
    """Root elements (messages, errors, signals, escalations) referenced by event definitions."""

    messages: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    signals: dict[str, str] = field(default_factory=dict)
    escalations: dict[str, str] = field(default_factory=dict)

    def message(self, name: str, correlation_key: str | None) -> str:
        """The id of the `bpmn:message` named `name` (one per name, one correlation key)."""
        message_id, known_key = self.messages.get(name, (f"Message_{safe_id(name)}", None))
        if known_key and correlation_key and known_key != correlation_key:
            raise ValueError(f"message {name!r} already has correlation key {known_key!r}")
        self.messages[name] = (message_id, correlation_key or known_key)
        return message_id

    def to_xml(self) -> str:
        """The root elements, Modeler-style."""
        parts = []
        for name, (message_id, key) in self.messages.items():
            subscription = (
                extensions(f"<zeebe:subscription{attrs({'correlationKey': key})} />") if key else ""
            )
            parts.append(
                f"<bpmn:message{attrs({'id': message_id, 'name': name})}>{subscription}"
                "</bpmn:message>"
            )
        for table, tag, attr in (
            (self.errors, "error", "errorCode"),
            (self.escalations, "escalation", "escalationCode"),
            (self.signals, "signal", "name"),
        ):
            parts.extend(
                f"<bpmn:{tag}{attrs({'id': ref_id, 'name': value, attr: value})} />"
                for value, ref_id in table.items()
            )
        return "".join(parts)


def _definition(tag: str, def_id: str, **values: str | None) -> str:
    return f"<bpmn:{tag}{attrs({'id': def_id, **values})} />"


@dataclass(frozen=True, slots=True)
class Message:
    """A message event definition; the correlation key goes on the `bpmn:message`."""

    name: str
    correlation_key: str | None = None

    def render(self, refs: Refs, def_id: str) -> str:
        """The event definition XML."""
        ref = refs.message(self.name, self.correlation_key)
        return _definition("messageEventDefinition", def_id, messageRef=ref)


@dataclass(frozen=True, slots=True)
class Timer:
    """A timer event definition: `Timer.duration("PT1M")`, `.date(...)` or `.cycle(...)`."""

    kind: str
    value: str

    @staticmethod
    def duration(value: str) -> Timer:
        """A `timeDuration` timer."""
        return Timer("timeDuration", value)

    @staticmethod
    def date(value: str) -> Timer:
        """A `timeDate` timer."""
        return Timer("timeDate", value)

    @staticmethod
    def cycle(value: str) -> Timer:
        """A `timeCycle` timer."""
        return Timer("timeCycle", value)

    def render(self, refs: Refs, def_id: str) -> str:
        """The event definition XML."""
        value = f'<bpmn:{self.kind} xsi:type="bpmn:tFormalExpression">{escape(self.value)}'
        return (
            f"<bpmn:timerEventDefinition{attrs({'id': def_id})}>{value}</bpmn:{self.kind}>"
            "</bpmn:timerEventDefinition>"
        )


@dataclass(frozen=True, slots=True)
class Error:
    """An error event definition; `code=None` on a catch event catches all errors."""

    code: str | None = None

    def render(self, refs: Refs, def_id: str) -> str:
        """The event definition XML."""
        ref = (
            refs.errors.setdefault(self.code, f"Error_{safe_id(self.code)}") if self.code else None
        )
        return _definition("errorEventDefinition", def_id, errorRef=ref)


@dataclass(frozen=True, slots=True)
class Escalation:
    """An escalation event definition; `code=None` on a catch event catches all."""

    code: str | None = None

    def render(self, refs: Refs, def_id: str) -> str:
        """The event definition XML."""
        ref = (
            refs.escalations.setdefault(self.code, f"Escalation_{safe_id(self.code)}")
            if self.code
            else None
        )
        return _definition("escalationEventDefinition", def_id, escalationRef=ref)


@dataclass(frozen=True, slots=True)
class Signal:
    """A signal event definition."""

    name: str

    def render(self, refs: Refs, def_id: str) -> str:
        """The event definition XML."""
        ref = refs.signals.setdefault(self.name, f"Signal_{safe_id(self.name)}")
        return _definition("signalEventDefinition", def_id, signalRef=ref)


@dataclass(frozen=True, slots=True)
class Compensation:
    """A compensation event definition (`activity_ref=None`: the whole scope)."""

    activity_ref: str | None = None

    def render(self, refs: Refs, def_id: str) -> str:
        """The event definition XML."""
        return _definition("compensateEventDefinition", def_id, activityRef=self.activity_ref)


@dataclass(frozen=True, slots=True)
class Terminate:
    """A terminate end event definition."""

    def render(self, refs: Refs, def_id: str) -> str:
        """The event definition XML."""
        return _definition("terminateEventDefinition", def_id)


@dataclass(frozen=True, slots=True)
class Link:
    """A link event definition, paired by name."""

    name: str

    def render(self, refs: Refs, def_id: str) -> str:
        """The event definition XML."""
        return _definition("linkEventDefinition", def_id, name=self.name)


EventDefinition = Message | Timer | Error | Escalation | Signal | Compensation | Terminate | Link
