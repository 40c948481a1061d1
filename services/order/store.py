"""Order document store: the port, the MongoDB (FerretDB) adapter and an in-memory fake.

Every method is ONE single-document operation, the only atomicity FerretDB v1 offers.
Documents carry a top-level `outbox_pending` flag (indexed): set by the write that appends an
event, cleared by the write that marks the last one sent. The relay queries the flag because
FerretDB v1 answers `{"outbox.sent": false}` by scanning every order ever created.

Update filters address outbox entries by position (`outbox.2.sent`), never through the array
(`outbox.sent`): FerretDB v1.24 on PostgreSQL evaluates an array path wrongly in updates (an
equality never matches, `$ne` matches a document with an unsent entry), which would clear the
flag of an unrelayed event. `find` evaluates array paths correctly.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Mapping
from typing import Any, Protocol

from pymongo import ASCENDING, MongoClient
from pymongo.collection import Collection
from pymongo.errors import DuplicateKeyError

Document = dict[str, Any]
PENDING = "outbox_pending"
COLLECTION = "orders"


def _flagged(document: Mapping[str, Any]) -> Document:
    """The document to insert, its flag saying whether any outbox event is unsent."""
    return {**document, PENDING: any(not e["sent"] for e in document["outbox"])}


class OrderStore(Protocol):
    """Port of the order documents."""

    def insert(self, document: Document) -> bool:
        """Insert; False if a document with the same idempotency key exists."""
        ...

    def get(self, key: str) -> Document | None:
        """The document of an idempotency key."""
        ...

    def transition(
        self, order_id: str, *, expected_status: str, changes: Mapping[str, Any], event: Document
    ) -> bool:
        """Set `changes` and append `event` iff the status is still `expected_status`."""
        ...

    def unsent(self, limit: int) -> list[Document]:
        """Documents with at least one unsent outbox event."""
        ...

    def unsent_count(self) -> int:
        """How many documents have at least one unsent outbox event (the relay's backlog)."""
        ...

    def mark_sent(
        self, document_id: str, index: int, event_id: str, *, settle_length: int | None = None
    ) -> bool:
        """Mark outbox entry `index` sent iff it is still that unsent event; with
        `settle_length`, only if the outbox still has that many entries, and clear the flag."""
        ...

    def settle(self, document_id: str, outbox_length: int) -> bool:
        """Clear the flag iff the outbox still has `outbox_length` entries, all sent."""
        ...

    def ping(self) -> None:
        """One real round trip (health)."""
        ...


def _no_entry_beyond(length: int) -> Document:
    """The outbox has at most `length` entries (it only grows, so: still exactly `length`).
    Positional, not `{"outbox": {"$size": n}}`, which FerretDB v1 does not push down to SQL."""
    return {f"outbox.{length}": {"$exists": False}}


class MongoOrderStore:
    """OrderStore on a MongoDB-compatible server (FerretDB v1 in this project)."""

    def __init__(self, client: MongoClient[Document], database: str) -> None:
        self._client = client
        self._orders: Collection[Document] = client[database][COLLECTION]

    def init(self) -> None:
        """Create the indexes: the unique idempotency key makes creates and tombstones race-safe."""
        self._orders.create_index([("idempotency_key", ASCENDING)], unique=True)
        self._orders.create_index([("outbox_pending", ASCENDING)])
        # Documents written before the flag existed: flag their unsent events once (found by
        # `find`, then updated by id: see the module docstring on array paths in updates).
        unflagged = self._orders.find(
            {"outbox_pending": {"$exists": False}, "outbox.sent": False}, {"_id": 1}
        )
        ids = [document["_id"] for document in unflagged]
        if ids:
            self._orders.update_many({"_id": {"$in": ids}}, {"$set": {PENDING: True}})

    def insert(self, document: Document) -> bool:
        """insert_one; the unique index turns a concurrent duplicate into False."""
        try:
            self._orders.insert_one(_flagged(document))
        except DuplicateKeyError:
            return False
        return True

    def get(self, key: str) -> Document | None:
        """find_one by idempotency key."""
        return self._orders.find_one({"idempotency_key": key})

    def transition(
        self, order_id: str, *, expected_status: str, changes: Mapping[str, Any], event: Document
    ) -> bool:
        """Conditional update_one: state change and event in one atomic document write."""
        result = self._orders.update_one(
            {"_id": order_id, "status": expected_status},
            {"$set": {**changes, PENDING: True}, "$push": {"outbox": event}},
        )
        return result.modified_count == 1

    def unsent(self, limit: int) -> list[Document]:
        """Flagged documents, oldest first (the flag's index keeps idle polls cheap)."""
        return list(self._orders.find({PENDING: True}).sort("created_at", ASCENDING).limit(limit))

    def unsent_count(self) -> int:
        """Same filter as `unsent`, counted by the server."""
        return int(self._orders.count_documents({PENDING: True}))

    def mark_sent(
        self, document_id: str, index: int, event_id: str, *, settle_length: int | None = None
    ) -> bool:
        """Conditional update of one array entry, addressed by index and checked by event id;
        the length check makes clearing the flag lose against a concurrent append."""
        entry = f"outbox.{index}"
        query: Document = {
            "_id": document_id,
            f"{entry}.event_id": event_id,
            f"{entry}.sent": False,
        }
        update: Document = {f"{entry}.sent": True}
        if settle_length is not None:
            query.update(_no_entry_beyond(settle_length))
            update[PENDING] = False
        return self._orders.update_one(query, {"$set": update}).modified_count == 1

    def settle(self, document_id: str, outbox_length: int) -> bool:
        """Conditional clear: same size, and every entry sent (checked one by one, by position)."""
        every_entry_sent = {f"outbox.{index}.sent": True for index in range(outbox_length)}
        result = self._orders.update_one(
            {"_id": document_id, **_no_entry_beyond(outbox_length), **every_entry_sent},
            {"$set": {PENDING: False}},
        )
        return result.modified_count == 1

    def ping(self) -> None:
        """`ping` admin command."""
        self._client.admin.command("ping")


class FakeOrderStore:
    """OrderStore in memory with the same single-document atomicity (one lock)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.documents: dict[str, Document] = {}

    def insert(self, document: Document) -> bool:
        """Insert unless the key exists."""
        with self._lock:
            if document["idempotency_key"] in self.documents:
                return False
            self.documents[document["idempotency_key"]] = copy.deepcopy(_flagged(document))
            return True

    def get(self, key: str) -> Document | None:
        """A copy of the document of `key`."""
        with self._lock:
            found = self.documents.get(key)
            return copy.deepcopy(found) if found is not None else None

    def transition(
        self, order_id: str, *, expected_status: str, changes: Mapping[str, Any], event: Document
    ) -> bool:
        """Compare-and-set on status plus append."""
        with self._lock:
            doc = next((d for d in self.documents.values() if d["_id"] == order_id), None)
            if doc is None or doc["status"] != expected_status:
                return False
            doc.update(copy.deepcopy(dict(changes)))
            doc["outbox"].append(copy.deepcopy(event))
            doc[PENDING] = True
            return True

    def unsent(self, limit: int) -> list[Document]:
        """Documents with an unsent event, oldest first."""
        with self._lock:
            found = [d for d in self.documents.values() if d[PENDING]]
            return copy.deepcopy(sorted(found, key=lambda d: d["created_at"])[:limit])

    def unsent_count(self) -> int:
        """Documents with an unsent event."""
        with self._lock:
            return sum(bool(d[PENDING]) for d in self.documents.values())

    def mark_sent(
        self, document_id: str, index: int, event_id: str, *, settle_length: int | None = None
    ) -> bool:
        """Compare-and-set on one outbox entry (and on the outbox size when settling)."""
        with self._lock:
            doc = self._by_id(document_id)
            if doc is None or index >= len(doc["outbox"]):
                return False
            entry = doc["outbox"][index]
            if entry["event_id"] != event_id or entry["sent"]:
                return False
            if settle_length is not None and len(doc["outbox"]) != settle_length:
                return False
            entry["sent"] = True
            if settle_length is not None:
                doc[PENDING] = False
            return True

    def settle(self, document_id: str, outbox_length: int) -> bool:
        """Compare-and-set of the flag on size and all-sent."""
        with self._lock:
            doc = self._by_id(document_id)
            if doc is None or len(doc["outbox"]) != outbox_length:
                return False
            if not doc[PENDING] or any(not e["sent"] for e in doc["outbox"]):
                return False
            doc[PENDING] = False
            return True

    def _by_id(self, document_id: str) -> Document | None:
        return next((d for d in self.documents.values() if d["_id"] == document_id), None)

    def ping(self) -> None:
        """Always reachable."""
