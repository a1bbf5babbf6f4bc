"""SNS messages for chosen leaves: attributes and bodies that SNS reads as exactly those leaves.

A filter policy compiles to the IR with its paths under reserved root keys of the event a message
becomes (:func:`eventmatch.sns.message_event`), plus two markers: "has attributes" and "the body is a
JSON object". Going back, a leaf under the attribute root is a message attribute, typed so that SNS
reads it as that leaf (SPEC 3.1): a string is a ``String`` attribute, whose value SNS compares in its
JSON-escaped form, so the value given is the unescaped text (or a one-element ``String.Array`` when no
text escapes to it); a number is a ``Number``; ``true``, ``false`` and ``null`` are ``String.Array``
elements; an opaque value is a ``Binary`` attribute. Leaves under the body root make a JSON body.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Final

from ..ir import Constant, Key
from ..number_model import NumberLiteral
from ..sns import BODY_IS_OBJECT, HAS_ATTRIBUTES, SCOPE_ROOTS, message_event
from .numbers import number_text
from .render import Assignment, event_of, json_text, json_value
from .values import FILLER

__all__ = ["ATTRIBUTES", "BODY", "MARKERS", "Message", "MessageWorld", "message_of", "message_world"]

ATTRIBUTES: Final = SCOPE_ROOTS["MessageAttributes"] + "."  # the prefix of an attribute's path
BODY: Final = SCOPE_ROOTS["MessageBody"] + "."  # the prefix of a body leaf's path
_PLACES: Final = {HAS_ATTRIBUTES: "(any attribute)", BODY_IS_OBJECT: "(a JSON object body)"}
#: The conditions SNS adds to a policy, with the messages they leave in.
MARKERS: Final = {
    HAS_ATTRIBUTES: "every message with attributes",
    BODY_IS_OBJECT: "every message whose body is a JSON object",
}
_BINARY: Final = {"Type": "Binary", "Value": "ZXhhbXBsZQ=="}  # base64 of "example"


@dataclass(frozen=True, slots=True)
class Message:
    """An SNS message: attributes in the notification shape (``{"Type": ..., "Value": ...}``), and a
    body. ``as_json()`` is the line ``eventmatch match --sns`` reads."""

    attributes: dict[str, dict[str, str]] | None
    body: str | None

    def as_json(self) -> dict[str, Any]:
        """``{"attributes": ..., "body": ...}``, leaving out what the message does not have."""
        shown: dict[str, Any] = {}
        if self.attributes is not None:
            shown["attributes"] = self.attributes
        if self.body is not None:
            shown["body"] = self.body
        return shown


def _unescaped(text: str) -> str | None:
    """The attribute value SNS escapes to ``text`` (backslash and quote get a backslash), if any."""
    chars = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and text[index + 1 : index + 2] in ("\\", '"'):
            chars.append(text[index + 1])
            index += 2
            continue
        if char in '\\"':
            return None
        chars.append(char)
        index += 1
    return "".join(chars)


def _attribute(key: Key) -> dict[str, str]:
    if key is Constant.OPAQUE:
        return dict(_BINARY)
    if isinstance(key, str):
        value = _unescaped(key)
        if value is not None:
            return {"Type": "String", "Value": value}
    elif isinstance(key, NumberLiteral):
        return {"Type": "Number", "Value": key.text}
    elif isinstance(key, int | float):
        return {"Type": "Number", "Value": number_text(key)}
    return {"Type": "String.Array", "Value": json_text([json_value(key)])}


def message_of(assignment: Assignment, names: Collection[str], body_policy: bool) -> Message:
    """The message holding the leaves of ``assignment``. ``names`` are the attribute names the
    policies look at (a filler attribute, when the message needs one, avoids them); with
    ``body_policy`` a message whose body is no JSON object gets a plain-text body."""
    attributes = {
        path[len(ATTRIBUTES) :]: _attribute(key)
        for path, key in assignment.items()
        if path.startswith(ATTRIBUTES)
    }
    if HAS_ATTRIBUTES in assignment and not attributes:
        filler = next(
            name for index in range(len(names) + 1) if (name := f"{FILLER}{index or ''}") not in names
        )
        attributes[filler] = {"Type": "String", "Value": FILLER}
    body_leaves = {path[len(BODY) :]: key for path, key in assignment.items() if path.startswith(BODY)}
    body = None
    if body_leaves or BODY_IS_OBJECT in assignment:
        body = json_text(event_of(body_leaves))
    elif body_policy:
        body = FILLER  # not JSON: a body that matches no payload policy
    return Message(attributes or None, body)


class MessageWorld:
    """SNS messages, for policies that look at the attribute ``names`` (and at the body, with
    ``body_policy``)."""

    def __init__(self, names: Collection[str], body_policy: bool) -> None:
        self.names = names
        self.body_policy = body_policy

    def render(self, assignment: Assignment) -> Message:
        """The message holding the leaves."""
        return message_of(assignment, self.names, self.body_policy)

    def event(self, rendered: Any) -> Mapping[str, Any]:
        """The event SNS matches the message as."""
        return message_event(rendered.attributes, rendered.body)

    def opaque(self, path: str) -> bool:
        """Attributes may be Binary."""
        return path.startswith(ATTRIBUTES)

    def place(self, path: str) -> str:
        """An attribute's name, a path in the body, or what a marker stands for."""
        for prefix in (ATTRIBUTES, BODY):
            if path.startswith(prefix):
                return path[len(prefix) :]
        return _PLACES.get(path, path)


def message_world(paths: Collection[str]) -> MessageWorld:
    """The world of policies whose conditions are at ``paths``."""
    names = {path[len(ATTRIBUTES) :] for path in paths if path.startswith(ATTRIBUTES)}
    return MessageWorld(names, BODY_IS_OBJECT in paths)
