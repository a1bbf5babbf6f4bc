"""The SNS side of the CLI: compiling filter policies and reading messages from JSON Lines.

A message line is an *envelope* when it is a JSON object whose keys are all among ``attributes``,
``MessageAttributes`` (the two are one thing: give one of them) and ``body``: the attributes are SNS
message attributes (``{"name": {"Type": "String", "Value": "..."}}``) and the body is the message text
(a JSON value other than a string is turned into its JSON text). Any other line is a raw message body.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import orjson

from ..errors import InvalidEventError

if TYPE_CHECKING:
    from ..sns import FilterPolicy

__all__ = ["compile_policy", "message_parts"]

_ATTRIBUTE_KEYS: Final = ("attributes", "MessageAttributes")
_ENVELOPE_KEYS: Final = frozenset({*_ATTRIBUTE_KEYS, "body"})


def compile_policy(policy: object, scope: str) -> FilterPolicy:
    """Compile an SNS filter policy; InvalidFilterPolicyError when SNS would reject it.

    The import waits until a policy is compiled, so that the EventBridge commands work without it.
    """
    from .. import compile_filter_policy

    return compile_filter_policy(policy, scope)


def message_parts(line: bytes) -> tuple[Any, str | None]:
    """``(message_attributes, body)`` of one input line; InvalidEventError when it cannot be a message."""
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        value = None
    else:
        if isinstance(value, dict) and value and _ENVELOPE_KEYS.issuperset(value):
            return _envelope(value)
    try:
        return None, line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidEventError(f"message is not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _envelope(value: dict[str, Any]) -> tuple[Any, str | None]:
    given = [key for key in _ATTRIBUTE_KEYS if key in value]
    if len(given) > 1:
        raise InvalidEventError('give "attributes" or "MessageAttributes", not both')
    attributes = value[given[0]] if given else None
    if attributes is not None and not isinstance(attributes, dict):
        raise InvalidEventError(f'"{given[0]}" must be a JSON object')
    body = value.get("body")
    if body is not None and not isinstance(body, str):
        body = orjson.dumps(body).decode()
    return attributes, body
