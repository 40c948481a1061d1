"""Zeebe 8.7/8.8's rejection texts of process instance migration
(`ProcessInstanceMigrationPreconditions`), as `str.format` templates; the first placeholder of
most is the process instance key."""

from __future__ import annotations

PREFIX = "Expected to migrate process instance '{}' but "
DUPLICATE_SOURCES = PREFIX + "the mapping instructions contain duplicate source element ids '{}'."
MISSING_ELEMENT = (
    PREFIX + "mapping instructions contain a non-existing {side} element id '{}'. "
    "Elements provided in mapping instructions must exist in the {side} process definition."
)
EVENT_SUBPROCESS_IN_SOURCE = (
    PREFIX + "active process with id '{}' has one or more event subprocesses with start events "
    "of types '{}'. Migrating event subprocesses with start events of these types is not "
    "possible yet."
)
EVENT_SUBPROCESS_IN_TARGET = (
    PREFIX + "target process with id '{}' has one or more event subprocesses with start events "
    "of types '{}'. Migrating event subprocesses with start events of these types is not "
    "possible yet."
)
# Zeebe 8.8's `ProcessInstanceMigrationCatchEventBehaviour` texts for compensation
# subscriptions; the first placeholder is the SOURCE bpmn process id (Zeebe formats it so)
COMPENSATION_BOUNDARY_TYPE_CHANGED = (
    "Expected to migrate process instance with id '{}' but compensation boundary event '{}' is "
    "mapped to a target boundary event '{}' that has event type '{}' different than "
    "compensation boundary event type."
)
COMPENSATION_FLOW_SCOPE_CHANGED = (
    "Expected to migrate process instance with id '{}' but the flow scope of compensation "
    "boundary event is changed. Flow scope '{}' is not in the same level as '{}'. "
    "The flow scope of a compensation boundary event cannot be changed during migration yet."
)
UNSUPPORTED_TYPE = (
    PREFIX + "active element with id '{}' has an unsupported type. "
    "The migration of a {} is not supported."
)
UNMAPPED_ELEMENT = (
    PREFIX + "no mapping instruction defined for active element with id '{}'. "
    "Elements cannot be migrated without a mapping."
)
TYPE_CHANGED = (
    PREFIX + "active element with id '{}' and type '{}' is mapped to an element with id '{}' "
    "and different type '{}'. Elements must be mapped to elements of the same type."
)
USER_TASK_IMPLEMENTATION_CHANGED = (
    PREFIX + "active user task with id '{}' and implementation '{}' is mapped to an user task "
    "with id '{}' and different implementation '{}'. "
    "Elements must be mapped to elements of the same implementation."
)
FLOW_SCOPE_CHANGED = (
    PREFIX + "the flow scope of active element with id '{}' is changed. "
    "The flow scope of the active element is expected to be '{}' but was '{}'. "
    "The flow scope of an element cannot be changed during migration yet."
)
CATCH_EVENT = (
    PREFIX + "active element with id '{}' is intermediate catch event of type '{}'. "
    "Migrating active intermediate catch event of this type is not possible yet."
)
BOUNDARY_IN_SOURCE = (
    PREFIX + "active element with id '{}' has one or more boundary events of types '{}'. "
    "Migrating active elements with boundary events of these types is not possible yet."
)
BOUNDARY_IN_TARGET = (
    PREFIX + "target element with id '{}' has one or more boundary events of types '{}'. "
    "Migrating target elements with boundary events of these types is not possible yet."
)
CATCH_EVENT_DETACHED = (
    PREFIX + "active element with id '{}' is mapped to an element with id '{}' and has a catch "
    "event with id '{}' that is mapped to a catch event with id '{}'. These mappings detach the "
    "catch event from the element in the target process. Catch events must stay attached to the "
    "same element instance."
)
LOOP_CHANGED = (
    PREFIX + "active element with id '{}' has a different loop characteristics than the target "
    "element with id '{}'. Both elements must have either sequential or parallel loop "
    "characteristics."
)
CONCURRENT_COMMAND = (
    PREFIX + "a concurrent command was executed on the process instance. "
    "Please retry the migration."
)
ATTACHED_TO_EVENT_BASED_GATEWAY = (
    PREFIX + "active element with id '{}' is an intermediate catch event attached to an "
    "event-based gateway. Migrating active events attached to an event-based gateway is not "
    "possible yet."
)
ALREADY_SUBSCRIBED = (
    PREFIX + "active element with id '{}' attempts to subscribe to a message it is already "
    "subscribed to with name '{}'. Migrating active elements that subscribe to a message they "
    "are already subscribed to is not possible yet. Please provide a mapping instruction to "
    "message catch event with id '{}' to migrate the respective message subscription."
)
SUBSCRIPTION_FAILED = (
    PREFIX + "active element with id '{}' is mapped to element with id '{}' that must be "
    "subscribed to a catch event. {}"
)
# Zeebe 8.8's catch event mapping texts (requireNoDuplicateTargetsInCatchEventMappings,
# requireNoCatchEventMappingToChangeEventType)
CATCH_EVENTS_MERGED = (
    PREFIX + "active element with id '{}' has a catch event attached that is mapped to a catch "
    "event with id '{}'. There are multiple mapping instructions that target this catch event: "
    "'{}'. Catch events cannot be merged by process instance migration. Please ensure the "
    "mapping instructions target a catch event only once."
)
CATCH_EVENT_TYPE_CHANGED = (
    PREFIX + "active element with id '{}' has a catch event with id '{}' that is mapped to a "
    "catch event with id '{}'. These catch events have different event types: '{}' and '{}'. "
    "The event type of a catch event cannot be changed by process instance migration. Please "
    "ensure the event type of the catch event remains the same or remove the mapping "
    "instruction for these catch events."
)
# requireNoStartEventInstanceForTargetProcess: the second placeholder is the target process
# definition key
MESSAGE_START_CORRELATION_KEY_TAKEN = (
    "Expected to migrate process instance '{}' but target process definition '{}' has an active "
    "instance triggered by a message start event with correlation key '{}'. Only one instance "
    "per correlation key is allowed for message start events."
)
# joining gateways with taken incoming sequence flows (Zeebe's MigrateParallelGatewayTest texts;
# INVALID_ARGUMENT)
GATEWAY_NOT_MAPPED = (
    PREFIX + "gateway '{}' has at least one incoming sequence flow taken. Joining gateways with at "
    "least one incoming sequence flow taken must be mapped to a gateway of the same type in the "
    "target process definition."
)
GATEWAY_TOO_FEW_INCOMING = (
    PREFIX + "target gateway with id '{}' has less incoming sequence flows than the source "
    "gateway with id '{}'. Target gateway must have at least the same number of incoming "
    "sequence flows as the source gateway."
)
GATEWAY_TAKEN_FLOW_MISMATCH = (
    PREFIX + "gateway with id '{}' has a taken incoming sequence flow mismatch. Taken sequence "
    "flow with id '{}' must connect to the mapped target gateway with id '{}' in the target "
    "process definition."
)
# job worker -> Camunda user task (8.8.20+, `ProcessInstanceMigrationUserTaskBehavior`): the job
# text names element id, process instance key and job key; the form text names the source
# element, "external"/"internal", the reference, the target element and the failure
USER_TASK_JOB_NOT_FOUND = (
    "Expected to migrate a job for user task '{}' on process instance with key '{}', but could "
    "not find job with key '{}'. Please resolve any incidents on the user task before migrating "
    "the process instance."
)
USER_TASK_FORM_EVALUATION = (
    "Expected to migrate form of user task with id '{}' to {} form with reference '{}' defined "
    "in target element '{}', but reference evaluation failed with message: {}"
)
