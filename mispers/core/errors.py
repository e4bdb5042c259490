"""Expected failures: services raise them, views turn them into form errors or 4xx answers."""


class DomainError(Exception):
    """An expected refusal with a message fit to show the user. `field` names the input at fault."""

    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field


class NotFound(DomainError):
    """The record does not exist, or the user may not know it exists (answered as 404)."""


class PermissionDenied(DomainError):
    """The user is known and may see the record but may not do this (answered as 403)."""
