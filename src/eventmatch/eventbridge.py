"""The EventBridge front end: pattern JSON -> validated IR (SPEC section 2).

It walks the pattern in document order, the way AWS's streaming compiler reads it, so that
the first fault found is the one AWS reports, with AWS's reason text. Like event-ruler's
``Machine.addRule``, a pattern the current compiler rejects is read again by the older
compiler, for which ``$or`` is an ordinary field name (decision D4); when both reject it,
the current compiler's reason is reported, as AWS's services do.
"""

from __future__ import annotations

from typing import Final

from .errors import InvalidPatternError
from .ipaddr import CidrError, IpRange, parse_cidr, parse_ip
from .ir import (
    ABSENT,
    PRESENT,
    AnythingBut,
    Cidr,
    Condition,
    Constant,
    EqualsIgnoreCase,
    Exact,
    ExclusionTest,
    Numeric,
    Prefix,
    PrefixIgnoreCase,
    Rule,
    Suffix,
    SuffixIgnoreCase,
    Test,
    Wildcard,
)
from .jsontext import JsonNumber, JsonObject, JsonValue
from .number_model import comparable_value, number_key
from .wildcard import WildcardSyntaxError, literal_segments

__all__ = ["MAX_OR_COMBINATIONS", "RESERVED_IN_OR", "compile_tree", "rule_from_fields"]

MAX_OR_COMBINATIONS: Final = 1000
MAX_FIELDS: Final = 256  # fields in one alternative; event-ruler refuses larger rules
TOO_MANY_COMBINATIONS: Final = f"The pattern has more than {MAX_OR_COMBINATIONS} $or combinations"

RESERVED_IN_OR: Final = frozenset(
    {
        "exactly", "equals-ignore-case", "prefix", "suffix", "anything-but", "exists", "wildcard",
        "numeric", "cidr", "=", "<", "<=", ">", ">=", "regex", "not-wildcard", "not-equals-ignore-case",
        "date-after", "date-on-or-after", "date-before", "date-on-or-before", "in-date-range",
        "ip-address-in-range", "ip-address-not-in-range",
    }
)  # fmt: skip

_ONE_KEY: Final = "Only one key allowed in match expression"
_MIXED_LIST: Final = (
    "Inside anything but list, either all values are number or string, mixed type is not supported"
)
_NOT_IGNORE_CASE: Final = (
    "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported."
)
_TOO_MANY: Final = "Too many elements in numeric expression"
_ANYTHING_BUT_FORMS: Final = ("equals-ignore-case", "prefix", "suffix", "wildcard")

Fields = dict[str, tuple[Test, ...]]


class _FinalError(InvalidPatternError):
    """A rejection the older compiler must not get a second look at."""


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _token_text(value: JsonValue | None, missing: str = "]") -> str:
    """What AWS's parser prints for the token standing where a value was expected."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, JsonNumber):
        return value.text
    if isinstance(value, str):
        return value
    return "{" if isinstance(value, JsonObject) else "["


_END: Final = object()  # stands for the end of an array while reading it like a token stream


class _Compiler:
    """One reading of a pattern; ``legacy`` selects event-ruler's older compiler, ``sns`` the
    operator set SNS filter policies allow (SPEC 3.2, decisions D9 and D11)."""

    def __init__(self, legacy: bool, sns: bool = False) -> None:
        self.legacy = legacy
        self.sns = sns

    # -- structure ---------------------------------------------------------------------------

    def pattern(self, root: JsonValue) -> list[Fields]:
        if not isinstance(root, JsonObject):
            raise InvalidPatternError("Filter is not an object")
        return self.object_fields(root, (), [{}], "", inside_or=False)

    def object_fields(
        self, obj: JsonObject, stack: tuple[str, ...], alternatives: list[Fields], where: str, inside_or: bool
    ) -> list[Fields]:
        if not obj:
            raise InvalidPatternError("Empty objects are not allowed", where)
        for key, value in obj:
            here = _join(where, key)
            if key == "$or" and not self.legacy:
                alternatives = self.or_branches(value, stack, alternatives, here)
                continue
            if inside_or and key in RESERVED_IN_OR:
                raise InvalidPatternError(
                    f"{key} is Ruler reserved fieldName which cannot be used inside $or.", here
                )
            if isinstance(value, JsonObject):
                alternatives = self.object_fields(value, (*stack, key), alternatives, here, inside_or)
            elif isinstance(value, list):
                tests = self.values(value, here)
                # event-ruler's Path: no separator after a parent path that joins to "".
                parent = ".".join(stack)
                path = f"{parent}.{key}" if parent else key
                for fields in alternatives:
                    fields[path] = tests  # a later occurrence of a path wins
            else:
                raise InvalidPatternError(f'"{key}" must be an object or an array', here)
        return alternatives

    def or_branches(
        self, value: JsonValue, stack: tuple[str, ...], alternatives: list[Fields], where: str
    ) -> list[Fields]:
        if not isinstance(value, list):
            raise InvalidPatternError("It must be an Array followed with $or.", where)
        expanded: list[Fields] = []
        for index, branch in enumerate(value):
            if not isinstance(branch, JsonObject):
                raise InvalidPatternError("Only JSON object is allowed in array of $or relationship.", where)
            copies = [dict(fields) for fields in alternatives]
            expanded.extend(self.object_fields(branch, stack, copies, f"{where}[{index}]", inside_or=True))
            if len(expanded) > MAX_OR_COMBINATIONS:
                raise _FinalError(TOO_MANY_COMBINATIONS, where)
        if len(value) < 2:
            raise InvalidPatternError("There must have at least 2 Objects in $or relationship.", where)
        return expanded

    def values(self, items: list[JsonValue], where: str) -> tuple[Test, ...]:
        tests: list[Test] = []
        for index, item in enumerate(items):
            kind = type(item)
            if kind is str:
                text: str = item  # type: ignore[assignment]
                address = parse_ip(text)
                tests.append(
                    Exact(text) if address is None else Cidr(IpRange(address[0], address[1], address[1]))
                )
            elif kind is JsonObject:
                tests.append(self.match_expression(item, f"{where}[{index}]"))  # type: ignore[arg-type]
            elif kind is JsonNumber:
                tests.append(Exact(number_key(item.text)))  # type: ignore[union-attr]
            elif kind is bool:
                tests.append(Exact(Constant.TRUE if item else Constant.FALSE))
            elif item is None:
                tests.append(Exact(Constant.NULL))
            else:
                raise InvalidPatternError(
                    "Match value must be String, number, true, false, or null", f"{where}[{index}]"
                )
        if not tests:
            raise InvalidPatternError("Empty arrays are not allowed", where)
        return tuple(dict.fromkeys(tests)) if len(tests) > 1 else (tests[0],)

    # -- match expressions ---------------------------------------------------------------------

    def match_expression(self, expression: JsonObject, where: str) -> Test:
        if not expression:
            raise InvalidPatternError("Match expression name not found", where)
        name, operand = expression[0]
        here = _join(where, name)
        extra_keys = len(expression) > 1
        test: Test
        if name == "exactly" and not self.sns:
            test = Exact(self.string(operand, "exact match pattern must be a string", here))
        elif name in ("prefix", "suffix"):
            if isinstance(operand, JsonObject) and not self.sns:
                return self.affix_ignore_case(name, operand, extra_keys, here)
            text = self.string(operand, f"{name} match pattern must be a string", here)
            test = Prefix(text) if name == "prefix" else Suffix(text)
        elif name == "numeric":
            if not isinstance(operand, list):
                raise InvalidPatternError("Value of numeric must be an array.", here)
            test = self.numeric(operand, here)
            if extra_keys:
                raise InvalidPatternError(_TOO_MANY, where)
            return test
        elif name == "anything-but":
            return self.anything_but(operand, extra_keys, here)
        elif name == "exists":
            if not isinstance(operand, bool):
                raise InvalidPatternError("exists match pattern must be either true or false.", here)
            test = PRESENT if operand else ABSENT
        elif name == "cidr":
            text = self.string(operand, "prefix match pattern must be a string", here)
            try:
                test = Cidr(parse_cidr(text))
            except CidrError as exc:
                raise InvalidPatternError(str(exc), here) from None
        elif name == "equals-ignore-case":
            test = EqualsIgnoreCase(
                self.string(operand, "equals-ignore-case match pattern must be a string", here)
            )
        elif name == "wildcard":
            text = self.string(operand, "wildcard match pattern must be a string", here)
            self.check_wildcard(text, here)
            test = Wildcard(text)
        else:
            raise InvalidPatternError(f"Unrecognized match type {name}", where)
        if extra_keys:
            raise InvalidPatternError(_ONE_KEY, where)
        return test

    @staticmethod
    def string(operand: JsonValue, reason: str, where: str) -> str:
        if not isinstance(operand, str):
            raise InvalidPatternError(reason, where)
        return operand

    @staticmethod
    def check_wildcard(text: str, where: str) -> None:
        try:
            literal_segments(text)
        except WildcardSyntaxError as exc:
            raise InvalidPatternError(str(exc), where) from None

    def affix_ignore_case(self, name: str, inner: JsonObject, extra_keys: bool, where: str) -> Test:
        if not inner:
            raise InvalidPatternError(f"{name.capitalize()} expression name not found", where)
        inner_name, operand = inner[0]
        if inner_name != "equals-ignore-case":
            raise InvalidPatternError(f"Unsupported {name} pattern: {inner_name}", where)
        text = self.string(operand, "equals-ignore-case match pattern must be a string", where)
        if len(inner) > 1 or extra_keys:
            raise InvalidPatternError(_ONE_KEY, where)
        return PrefixIgnoreCase(text) if name == "prefix" else SuffixIgnoreCase(text)

    # -- numeric -------------------------------------------------------------------------------

    def numeric(self, items: list[JsonValue], where: str) -> Numeric:
        def item(index: int) -> JsonValue | object:
            return items[index] if index < len(items) else _END

        first = item(0)
        if not isinstance(first, str):
            raise InvalidPatternError(f"Invalid member in numeric match: {self.shown(first)}", where)
        operand = item(1)
        if first in ("=", "<", "<="):
            if not isinstance(operand, JsonNumber):
                raise InvalidPatternError(
                    f"Value of {'equals' if first == '=' else first} must be numeric", where
                )
            if len(items) > 2:
                raise InvalidPatternError(_TOO_MANY, where)
            value = self.comparable(operand, where)
            if first == "=":
                return Numeric(value, False, value, False)
            return Numeric(float("-inf"), True, value, first == "<")
        if first in (">", ">="):
            if not isinstance(operand, JsonNumber):
                raise InvalidPatternError(f"Value of {first} must be numeric", where)
            if len(items) == 2:
                return Numeric(self.comparable(operand, where), first == ">", float("inf"), True)
            return self.numeric_range(operand, first == ">", items[2:], where)
        raise InvalidPatternError(f"Unrecognized numeric range operator: {first}", where)

    def numeric_range(
        self, bottom: JsonNumber, open_bottom: bool, rest: list[JsonValue], where: str
    ) -> Numeric:
        operator = rest[0]
        if not isinstance(operator, str):
            raise InvalidPatternError(f"Bad value in numeric range: {self.shown(operator)}", where)
        if operator not in ("<", "<="):
            raise InvalidPatternError(f"Bad numeric range operator: {operator}", where)
        top = rest[1] if len(rest) > 1 else _END
        if not isinstance(top, JsonNumber):
            raise InvalidPatternError(f"Value of {operator} must be numeric", where)
        if len(rest) > 2:
            raise InvalidPatternError("Too many terms in numeric range expression", where)
        low, high = self.comparable(bottom, where), self.comparable(top, where)
        if not low < high:
            raise InvalidPatternError("Bottom must be less than top", where)
        return Numeric(low, open_bottom, high, operator == "<")

    @staticmethod
    def shown(value: JsonValue | object) -> str:
        return "]" if value is _END else _token_text(value)  # type: ignore[arg-type]

    @staticmethod
    def comparable(number: JsonNumber, where: str) -> float:
        value = comparable_value(number.text)
        if value is None:
            raise InvalidPatternError(f"Cannot compare number : {number.text}", where)
        return value

    # -- anything-but --------------------------------------------------------------------------

    def anything_but(self, operand: JsonValue, extra_keys: bool, where: str) -> AnythingBut:
        form = ""
        inner_extra_keys = False
        if isinstance(operand, JsonObject):
            if not operand:
                raise InvalidPatternError("Anything-But expression name not found", where)
            form, value = operand[0]
            inner_extra_keys = len(operand) > 1
            if self.sns:
                return self.sns_anything_but_form(form, value, inner_extra_keys or extra_keys, where)
            if self.legacy:
                return self.legacy_anything_but_form(form, value, inner_extra_keys or extra_keys, where)
            if form not in _ANYTHING_BUT_FORMS:
                raise InvalidPatternError(f"Unsupported anything-but pattern: {form}", where)
            operand = value
        if not isinstance(operand, list | str | JsonNumber):
            raise InvalidPatternError(
                "Value of anything-but must be an array or single string/number value.", where
            )
        items: list[JsonValue] = operand if isinstance(operand, list) else [operand]
        excluded = self.exclusion_set(form, items, where) if form else self.exclusion_values(items, where)
        if inner_extra_keys or extra_keys:
            raise InvalidPatternError(_TOO_MANY, where)
        return AnythingBut(excluded)

    def exclusion_values(self, items: list[JsonValue], where: str) -> tuple[ExclusionTest, ...]:
        """Plain anything-but: all strings or all (comparable) numbers."""
        excluded: list[ExclusionTest] = []
        kinds: set[type] = set()
        for item in items:
            if isinstance(item, str):
                excluded.append(Exact(item))
            elif isinstance(item, JsonNumber):
                excluded.append(Exact(self.comparable(item, where)))
            else:
                raise InvalidPatternError(
                    "Inside anything but list, start|null|boolean is not supported.", where
                )
            kinds.add(type(item))
        if len(kinds) != 1:
            raise InvalidPatternError(_MIXED_LIST, where)
        return tuple(dict.fromkeys(excluded))

    def exclusion_set(self, form: str, items: list[JsonValue], where: str) -> tuple[ExclusionTest, ...]:
        """anything-but with prefix / suffix / equals-ignore-case / wildcard, one or a list."""
        texts: list[str] = []
        for item in items:
            if not isinstance(item, str):
                if form == "equals-ignore-case":
                    raise InvalidPatternError(_NOT_IGNORE_CASE, where)
                if form == "wildcard":
                    raise InvalidPatternError("wildcard match pattern must be a string", where)
                raise InvalidPatternError("prefix/suffix match pattern must be a string", where)
            if form in ("prefix", "suffix") and not item:
                raise InvalidPatternError("Null prefix/suffix not allowed", where)
            texts.append(item)
        if not texts:
            # event-ruler accepts the empty list and then fails while adding the rule.
            raise _FinalError("Empty arrays are not allowed", where)
        if form == "wildcard":
            for text in texts:
                self.check_wildcard(text, where)
        return tuple(dict.fromkeys(_exclusion(form, text) for text in texts))

    def legacy_anything_but_form(
        self, form: str, value: JsonValue, extra_keys: bool, where: str
    ) -> AnythingBut:
        """The older compiler knows anything-but prefix and suffix (one string) and equals-ignore-case."""
        if form == "equals-ignore-case":
            items = value if isinstance(value, list) else [value]
            if not isinstance(value, list | str | JsonNumber):
                raise InvalidPatternError(
                    "Value of anything-but must be an array or single string/number value.", where
                )
            for item in items:
                if not isinstance(item, str):
                    raise InvalidPatternError(
                        "Inside anything-but/ignore-case list, number|start|null|boolean is not supported.",
                        where,
                    )
            if extra_keys:
                raise InvalidPatternError(_TOO_MANY, where)
            if not items:
                raise InvalidPatternError("Empty arrays are not allowed", where)
            return AnythingBut(tuple(dict.fromkeys(_exclusion(form, item) for item in items)))  # type: ignore[arg-type]
        if form not in ("prefix", "suffix"):
            raise InvalidPatternError(f"Unsupported anything-but pattern: {form}", where)
        if not isinstance(value, str):
            raise InvalidPatternError("prefix/suffix match pattern must be a string", where)
        if not value:
            raise InvalidPatternError("Null prefix/suffix not allowed", where)
        if extra_keys:
            raise InvalidPatternError(_ONE_KEY, where)
        return AnythingBut((_exclusion(form, value),))

    @staticmethod
    def sns_anything_but_form(form: str, value: JsonValue, extra_keys: bool, where: str) -> AnythingBut:
        """SNS knows one anything-but form: a single prefix (AWS rejects suffix, SPEC 3.2)."""
        if form != "prefix":
            raise InvalidPatternError(f"Unsupported anything-but pattern: {form}", where)
        if not isinstance(value, str):
            raise InvalidPatternError("prefix match pattern must be a string", where)
        if not value:
            raise InvalidPatternError("Null prefix/suffix not allowed", where)
        if extra_keys:
            raise InvalidPatternError(_ONE_KEY, where)
        return AnythingBut((Prefix(value),))


def _exclusion(form: str, text: str) -> ExclusionTest:
    if form == "prefix":
        return Prefix(text)
    if form == "suffix":
        return Suffix(text)
    if form == "wildcard":
        return Wildcard(text)
    return EqualsIgnoreCase(text)


def rule_from_fields(alternatives: list[Fields]) -> Rule:
    """Freeze the compiler's alternatives into the IR: conditions sorted by path, no repeats."""
    frozen = [
        tuple(Condition(path, tests) for path, tests in sorted(fields.items())) for fields in alternatives
    ]
    return tuple(dict.fromkeys(frozen)) if len(frozen) > 1 else (frozen[0],)


def compile_tree(root: JsonValue, *, sns: bool = False) -> Rule:
    """Validate a parsed EventBridge pattern (or, with ``sns``, the operators of an SNS filter
    policy) and return its IR; InvalidPatternError if AWS rejects it."""
    if sns:
        return rule_from_fields(_Compiler(legacy=False, sns=True).pattern(root))
    try:
        alternatives = _Compiler(legacy=False).pattern(root)
    except _FinalError:
        raise
    except InvalidPatternError as error:
        # event-ruler's Machine.addRule gives the older compiler a second look; when it too
        # refuses, the current compiler's reason is the one AWS's services report.
        try:
            alternatives = _Compiler(legacy=True).pattern(root)
        except InvalidPatternError:
            raise error from None
    if any(len(fields) > MAX_FIELDS for fields in alternatives):
        raise InvalidPatternError(f"Size of rule exceeds max value of {MAX_FIELDS}")
    return rule_from_fields(alternatives)
