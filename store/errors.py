"""What the store refuses, as typed errors the API turns into 404, 409, 422 and 503."""

from core.errors import CallCenterError


class StoreError(CallCenterError):
    """A store operation that cannot be done as asked."""


class TicketNotFound(StoreError, LookupError):
    """No ticket with this id (or it was deleted)."""

    def __init__(self, ticket_id: int) -> None:
        super().__init__(f"ticket {ticket_id} not found")
        self.ticket_id = ticket_id


class VersionConflict(StoreError):
    """The caller changed a ticket from a stale read: someone else changed it first."""

    def __init__(self, ticket_id: int, expected: int, current: int | None) -> None:
        now = f"it is at version {current}" if current is not None else "it changed meanwhile"
        super().__init__(f"ticket {ticket_id}: you sent version {expected} but {now}; reload it and retry")
        self.ticket_id, self.expected, self.current = ticket_id, expected, current


class ExternalIdDeleted(StoreError):
    """A create under the helpdesk id of a deleted ticket: the id stays taken, the ticket stays gone."""

    def __init__(self, external_id: str, ticket_id: int) -> None:
        super().__init__(f"external_id {external_id!r} belonged to ticket {ticket_id}, which was deleted; send another")
        self.external_id, self.ticket_id = external_id, ticket_id


class InvalidField(StoreError, ValueError):
    """A value the store cannot accept, with the field named."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class StoreUnavailable(StoreError):
    """The database cannot be reached or is not writable; nothing of the request was written."""
