"""SNS subscription filter policies: a second front end onto the same IR and Machine.

A policy is validated with the EventBridge compiler restricted to the operators SNS allows
(SPEC 3.2, decisions D9 and D11), then with SNS's own limits: no nesting in attribute scope,
at most 5 keys, at most 150 combinations counted as SNS counts them (SPEC 6).

A message becomes one event with reserved top-level keys: its attributes under one, its JSON
body under another, plus two markers ("has attributes", "body is a JSON object"). A policy's
paths are moved under its scope's key, so attribute and payload policies, and EventBridge
rules, live side by side in one Machine. The markers carry SNS's own rules: ``exists: false``
never matches a message without attributes, and a body that is not a JSON object matches no
payload policy. A body nested too deeply is an InvalidEventError, as an event would be (one
level less deep than an event's limit allows: the message's event holds it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from .errors import InvalidEventError, InvalidFilterPolicyError, InvalidPatternError
from .eventbridge import compile_tree
from .events import TOO_DEEP, DuplicateKeyObject, parse_event, read_json
from .ir import PRESENT, Condition, Constant, Rule
from .jsontext import JsonObject, JsonValue, from_python, parse_pattern_text
from .number_model import number_key
from .pattern import check_depth
from .snapshot import rule_snapshot

__all__ = [
    "BODY_IS_OBJECT",
    "HAS_ATTRIBUTES",
    "MAX_COMBINATIONS",
    "MAX_KEYS",
    "SCOPES",
    "SCOPE_ROOTS",
    "FilterPolicy",
    "combinations",
    "compile_filter_policy",
    "compile_policy_rule",
    "message_event",
]

SCOPES: Final = ("MessageAttributes", "MessageBody")
MAX_KEYS: Final = 5
MAX_COMBINATIONS: Final = 150

# The reserved top-level keys of the event a message becomes (message_event), which the analysis
# reads too: each scope's root, and the two markers. SNS attribute names cannot contain "\0".
SCOPE_ROOTS: Final = {"MessageAttributes": "\0MessageAttributes", "MessageBody": "\0MessageBody"}
HAS_ATTRIBUTES: Final = "\0has-attributes"
BODY_IS_OBJECT: Final = "\0body-is-object"
_JSON_NUMBER: Final = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")


# -- policies ------------------------------------------------------------------------------------


def combinations(policy: JsonObject, depth: int = 1, product: int = 1) -> int:
    """SNS's combination count (SPEC 6): each value list multiplies by its length times the
    depth of its key; a ``$or`` sums over its branches."""
    for key, value in policy:
        if isinstance(value, JsonObject):
            product = combinations(value, depth + 1, product)
        elif key == "$or" and isinstance(value, list):
            product = sum(
                combinations(branch, depth, product) for branch in value if isinstance(branch, JsonObject)
            )
        elif isinstance(value, list):
            product *= len(value) * depth
    return product


def _is_nested(policy: JsonObject) -> bool:
    for key, value in policy:
        if key == "$or" and isinstance(value, list):
            if any(isinstance(branch, JsonObject) and _is_nested(branch) for branch in value):
                return True
        elif isinstance(value, JsonObject):
            return True
    return False


def _read(policy: object) -> JsonValue:
    if isinstance(policy, str | bytes | bytearray):
        try:
            return parse_pattern_text(
                policy if isinstance(policy, str) else bytes(policy), InvalidFilterPolicyError
            )
        except InvalidFilterPolicyError as error:
            raise InvalidFilterPolicyError(f"failed to parse JSON. {error.reason}") from None
    return from_python(policy, InvalidFilterPolicyError)


# What bytes.strip() strips: a text of these alone is empty, as its UTF-8 would be.
_BLANK: Final = " \t\n\r\x0b\x0c"


def _is_empty(policy: object) -> bool:
    # str.strip(_BLANK), not encoding: a str may hold lone surrogates, which UTF-8 cannot.
    if isinstance(policy, str):
        return not policy.strip(_BLANK)
    return isinstance(policy, bytes | bytearray) and not policy.strip()


def compile_policy_rule(policy: object, scope: str = "MessageAttributes") -> Rule:
    """Validate a filter policy and return its IR, with its paths under the scope's key.

    Raises :class:`~eventmatch.InvalidFilterPolicyError` with AWS's reason and the path.
    """
    if scope not in SCOPES:
        raise InvalidFilterPolicyError(
            f"FilterPolicyScope: Invalid value [{scope}]. Please use either MessageBody or MessageAttributes"
        )
    if _is_empty(policy):
        return ((),)  # an empty policy means no filtering: one alternative with nothing to meet
    try:
        return _scoped(_checked(_read(policy), scope), scope)
    except RecursionError:  # reading, compiling and counting recurse once per level
        raise InvalidFilterPolicyError("policy is too deeply nested") from None


def _checked(root: JsonValue, scope: str) -> Rule:
    """The IR of a parsed policy that passes the EventBridge compiler and SNS's own checks."""
    try:
        rule = check_depth(compile_tree(root, sns=True))
    except InvalidFilterPolicyError:
        raise
    except InvalidPatternError as error:
        raise InvalidFilterPolicyError(error.reason, error.path) from None
    assert isinstance(root, JsonObject)  # compile_tree refuses anything else
    if scope == "MessageAttributes" and _is_nested(root):
        raise InvalidFilterPolicyError(
            "Filter policy scope MessageAttributes does not support nested filter policy"
        )
    if len(root) > MAX_KEYS:
        raise InvalidFilterPolicyError(f"Filter policy can not have more than {MAX_KEYS} keys")
    if combinations(root) > MAX_COMBINATIONS:
        raise InvalidFilterPolicyError("Filter policy is too complex")
    return rule


def _scoped(rule: Rule, scope: str) -> Rule:
    root = SCOPE_ROOTS[scope]
    scoped = []
    for alternative in rule:
        conditions = [Condition(f"{root}.{condition.path}", condition.tests) for condition in alternative]
        if scope == "MessageBody":
            conditions.append(Condition(BODY_IS_OBJECT, (PRESENT,)))
        elif any(condition.allows_absence for condition in alternative):
            conditions.append(Condition(HAS_ATTRIBUTES, (PRESENT,)))
        scoped.append(tuple(sorted(conditions, key=lambda condition: condition.path)))
    return tuple(scoped)


# -- messages ------------------------------------------------------------------------------------


def _attribute_value(name: str, attribute: Any) -> Any:
    """An attribute as leaf values: String, Number (custom suffixes too), String.Array, Binary."""
    if not isinstance(attribute, Mapping):
        raise InvalidEventError(f"message attribute {name!r} is not an object with a type and a value")
    kind = attribute.get("Type", attribute.get("DataType"))
    value = attribute.get("Value", attribute.get("StringValue"))
    if not isinstance(kind, str):
        raise InvalidEventError(f"message attribute {name!r} has no Type (or DataType)")
    family = kind if kind == "String.Array" else kind.split(".", 1)[0]
    if family == "Binary" or not isinstance(value, str):
        return Constant.OPAQUE  # Binary values are ignored by filtering, but the attribute is there
    if family == "Number":
        return number_key(value) if _JSON_NUMBER.fullmatch(value) else Constant.OPAQUE
    if family == "String.Array":
        try:
            elements = read_json(value)  # numbers as the number model reads them (SPEC 1.4)
        except InvalidEventError:  # not JSON, or nested too deeply to read: matches no value
            return Constant.OPAQUE
        elements = elements if isinstance(elements, list) else [elements]
        return [element for element in elements if not isinstance(element, list | dict)] or Constant.OPAQUE
    # SNS compares attribute strings in their JSON-escaped form (SPEC 3.1).
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _body_object(body: object) -> Mapping[str, Any] | DuplicateKeyObject | None:
    if isinstance(body, Mapping):
        return body
    try:
        return parse_event(body)
    except InvalidEventError as error:
        if error.args == (TOO_DEEP,):
            raise  # as for a body given as a dict, which is found too deep while matching
        return None  # a body that is not a JSON object matches no payload policy


def message_event(message_attributes: Mapping[str, Any] | None = None, body: object = None) -> dict[str, Any]:
    """The event a message is matched as (attributes in either the Publish API shape
    ``{"DataType", "StringValue"}`` or the notification shape ``{"Type", "Value"}``)."""
    event: dict[str, Any] = {}
    if message_attributes:
        event[SCOPE_ROOTS["MessageAttributes"]] = {
            name: _attribute_value(name, attribute) for name, attribute in message_attributes.items()
        }
        event[HAS_ATTRIBUTES] = True
    if body is not None:
        parsed = _body_object(body)
        if parsed is not None:
            event[SCOPE_ROOTS["MessageBody"]] = parsed
            event[BODY_IS_OBJECT] = True
    return event


class FilterPolicy:
    """A validated SNS subscription filter policy. Build one with :func:`compile_filter_policy`."""

    __slots__ = ("_snapshot", "rule", "scope")

    def __init__(self, rule: Rule, scope: str) -> None:
        self.rule = rule
        self.scope = scope
        self._snapshot = rule_snapshot(rule)

    def matches(self, message_attributes: Mapping[str, Any] | None = None, body: object = None) -> bool:
        """Whether SNS delivers a message with these attributes and this body to the subscription."""
        return bool(self._snapshot.match(message_event(message_attributes, body)))

    def __repr__(self) -> str:
        return f"<FilterPolicy ({self.scope}) with {len(self.rule)} alternative(s)>"


def compile_filter_policy(policy: object, scope: str = "MessageAttributes") -> FilterPolicy:
    """Validate and compile an SNS filter policy (a dict, or JSON text) for a scope
    (``"MessageAttributes"`` or ``"MessageBody"``). An empty text means no filtering."""
    return FilterPolicy(compile_policy_rule(policy, scope), scope)
