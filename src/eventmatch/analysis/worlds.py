"""Where examples live: EventBridge events, or SNS messages (:mod:`.messages`).

Examples are chosen as leaves at the IR's paths (an :data:`~.render.Assignment`); a *world* turns them
into what a user is given (an event, a message), says what that is matched as (the event a message
becomes), which paths may hold SNS's opaque Binary values, and how a path is shown to a reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from .render import Assignment, event_of

__all__ = ["EVENTS", "EventWorld", "World"]


class World(Protocol):
    """How examples are given and matched (EventBridge events or SNS messages)."""

    def render(self, assignment: Assignment) -> Any:
        """What holds the leaves of ``assignment``: an event, or a message."""

    def event(self, rendered: Any) -> Mapping[str, Any]:
        """The event ``rendered`` is matched as."""

    def opaque(self, path: str) -> bool:
        """Whether a leaf at ``path`` may be an opaque value (an SNS Binary attribute)."""

    def place(self, path: str) -> str:
        """``path`` as a reader knows it."""


class EventWorld:
    """EventBridge events: an assignment is an event."""

    def render(self, assignment: Assignment) -> dict[str, Any]:
        """The event holding the leaves."""
        return event_of(assignment)

    def event(self, rendered: Any) -> Mapping[str, Any]:
        """An event is matched as itself."""
        return rendered  # type: ignore[no-any-return]

    def opaque(self, path: str) -> bool:
        """Events hold JSON values only."""
        return False

    def place(self, path: str) -> str:
        """A dotted path as it is."""
        return path


EVENTS = EventWorld()
