"""The EventBridge front end: pattern JSON -> validated IR (SPEC section 2).

It walks the pattern in document order, the way AWS's streaming compiler reads it, so that
the first fault found is the one AWS reports, with AWS's reason text. Like event-ruler's
``Machine.addRule``, a pattern the current compiler rejects is read again by the older
compiler, for which ``$or`` is an ordinary field name (decision D4); when both reject it,
the current compiler's reason is reported, as AWS's services do.

Besides the JSON values ``jsontext`` makes, it reads a plain pattern (dicts, ints, floats...:
see ``jsontext``) as it is, with exact type checks, so that whatever a plain pattern holds
that JSON has no exact counterpart for (a tuple, a ``str`` subclass, a key that is not a
``str``) is refused rather than compiled; a refused plain pattern is then read again through
``from_python``, whose faults AWS's parser would meet first.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Final, TypeAlias, TypeGuard

from .errors import InvalidPatternError
from .ipaddr import CidrError, IpRange, parse_cidr, parse_ip
from .ir import (
    ABSENT,
    PRESENT,
    Alternative,
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
from .jsontext import JsonObject, PatternValue, from_python, key_fault, number_text
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

_CACHED_LITERALS: Final = 1 << 14  # entries of each cache below: patterns repeat their literals
_TRUE: Final = Exact(Constant.TRUE)
_FALSE: Final = Exact(Constant.FALSE)
_NULL: Final = Exact(Constant.NULL)

Fields = dict[str, Condition]  # one alternative's conditions by path
PatternObject: TypeAlias = "JsonObject | dict[str, PatternValue]"


class _FinalError(InvalidPatternError):
    """A rejection the older compiler must not get a second look at."""


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _is_object(value: object) -> TypeGuard[PatternObject]:
    return type(value) is dict or type(value) is JsonObject


def _first(obj: PatternObject, where: str) -> tuple[str, PatternValue]:
    """The first (key, value) pair of a non-empty object."""
    pair: tuple[str, PatternValue] = next(iter(obj.items()))
    if type(pair[0]) is not str:  # only a plain dict's keys can be anything
        raise InvalidPatternError(key_fault(pair[0]), where)
    return pair


def _is_listable(value: object) -> bool:
    """Whether value is what anything-but takes: an array, a string or a number."""
    return type(value) is list or type(value) is str or number_text(value) is not None


def _token_text(value: PatternValue) -> str:
    """What AWS's parser prints for the token standing where a value was expected."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    text = number_text(value)
    if text is not None:
        return text
    if type(value) is str:
        return value
    return "{" if _is_object(value) else "["


@lru_cache(maxsize=_CACHED_LITERALS)
def _string_test(text: str) -> Exact | Cidr:
    """The test of an exact string value: an IP address literal matches as a block of one."""
    address = parse_ip(text)
    return Exact(text) if address is None else Cidr(IpRange(address[0], address[1], address[1]))


@lru_cache(maxsize=_CACHED_LITERALS)
def _exact_condition(path: str, text: str) -> Condition:
    """The condition of a path that one exact string value is given for."""
    return Condition(path, (_string_test(text),))


@lru_cache(maxsize=_CACHED_LITERALS)
def _number_test(text: str) -> Exact:
    """The test of an exact number value, by its literal text."""
    return Exact(number_key(text))


# Numeric bounds repeat too; a literal's comparable value never changes.
_comparable_value: Final = lru_cache(maxsize=_CACHED_LITERALS)(comparable_value)


_END: Final = object()  # stands for the end of an array while reading it like a token stream


class _Compiler:
    """One reading of a pattern; ``legacy`` selects event-ruler's older compiler, ``sns`` the
    operator set SNS filter policies allow (SPEC 3.2, decisions D9 and D11)."""

    def __init__(self, legacy: bool, sns: bool = False) -> None:
        self.legacy = legacy
        self.sns = sns

    # -- structure ---------------------------------------------------------------------------

    def pattern(self, root: PatternValue) -> list[Fields]:
        if not _is_object(root):
            raise InvalidPatternError("Filter is not an object")
        return self.object_fields(root, None, [{}], "", inside_or=False)

    def object_fields(
        self, obj: PatternObject, parent: str | None, alternatives: list[Fields], where: str, inside_or: bool
    ) -> list[Fields]:
        """Read an object's fields into every alternative. ``parent`` is the dotted path of the
        enclosing keys, None at the root (event-ruler's Path: it is "" under a root key "")."""
        if not obj:
            raise InvalidPatternError("Empty objects are not allowed", where)
        for key, value in obj.items():
            if type(key) is not str:  # only a plain dict's keys can be anything
                raise InvalidPatternError(key_fault(key), where)
            # The key's location, _join(where, key), is made only where it is needed: the
            # commonest field, one exact string, needs none.
            if key == "$or" and not self.legacy:
                alternatives = self.or_branches(value, parent, alternatives, _join(where, key))
                continue
            if inside_or and key in RESERVED_IN_OR:
                raise InvalidPatternError(
                    f"{key} is Ruler reserved fieldName which cannot be used inside $or.", _join(where, key)
                )
            if type(value) is list:
                # event-ruler's Path: no separator after a parent path that joins to "".
                path = f"{parent}.{key}" if parent else key
                if len(value) == 1 and type(value[0]) is str:  # by far the commonest shape
                    condition = _exact_condition(path, value[0])
                else:
                    condition = Condition(path, self.values(value, _join(where, key)))
                for fields in alternatives:
                    fields[path] = condition  # a later occurrence of a path wins
            elif _is_object(value):
                inner = key if parent is None else f"{parent}.{key}"
                alternatives = self.object_fields(value, inner, alternatives, _join(where, key), inside_or)
            else:
                raise InvalidPatternError(f'"{key}" must be an object or an array', _join(where, key))
        return alternatives

    def or_branches(
        self, value: PatternValue, parent: str | None, alternatives: list[Fields], where: str
    ) -> list[Fields]:
        if type(value) is not list:
            raise InvalidPatternError("It must be an Array followed with $or.", where)
        expanded: list[Fields] = []
        for index, branch in enumerate(value):
            if not _is_object(branch):
                raise InvalidPatternError("Only JSON object is allowed in array of $or relationship.", where)
            copies = [dict(fields) for fields in alternatives]
            expanded.extend(self.object_fields(branch, parent, copies, f"{where}[{index}]", inside_or=True))
            if len(expanded) > MAX_OR_COMBINATIONS:
                raise _FinalError(TOO_MANY_COMBINATIONS, where)
        if len(value) < 2:
            raise InvalidPatternError("There must have at least 2 Objects in $or relationship.", where)
        return expanded

    def values(self, items: Sequence[PatternValue], where: str) -> tuple[Test, ...]:
        tests: list[Test] = []
        for index, item in enumerate(items):
            if type(item) is str:
                tests.append(_string_test(item))
            elif _is_object(item):
                tests.append(self.match_expression(item, f"{where}[{index}]"))
            elif item is None:
                tests.append(_NULL)
            elif item is True or item is False:
                tests.append(_TRUE if item else _FALSE)
            else:
                text = number_text(item)
                if text is None:
                    raise InvalidPatternError(
                        "Match value must be String, number, true, false, or null", f"{where}[{index}]"
                    )
                tests.append(_number_test(text))
        if not tests:
            raise InvalidPatternError("Empty arrays are not allowed", where)
        return tuple(dict.fromkeys(tests)) if len(tests) > 1 else (tests[0],)

    # -- match expressions ---------------------------------------------------------------------

    def match_expression(self, expression: PatternObject, where: str) -> Test:
        if not expression:
            raise InvalidPatternError("Match expression name not found", where)
        name, operand = _first(expression, where)
        here = _join(where, name)
        extra_keys = len(expression) > 1
        test: Test
        if name == "exactly" and not self.sns:
            test = Exact(self.string(operand, "exact match pattern must be a string", here))
        elif name in ("prefix", "suffix"):
            if _is_object(operand) and not self.sns:
                return self.affix_ignore_case(name, operand, extra_keys, here)
            text = self.string(operand, f"{name} match pattern must be a string", here)
            test = Prefix(text) if name == "prefix" else Suffix(text)
        elif name == "numeric":
            if type(operand) is not list:
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
    def string(operand: PatternValue, reason: str, where: str) -> str:
        if type(operand) is not str:
            raise InvalidPatternError(reason, where)
        return operand

    @staticmethod
    def check_wildcard(text: str, where: str) -> None:
        try:
            literal_segments(text)
        except WildcardSyntaxError as exc:
            raise InvalidPatternError(str(exc), where) from None

    def affix_ignore_case(self, name: str, inner: PatternObject, extra_keys: bool, where: str) -> Test:
        if not inner:
            raise InvalidPatternError(f"{name.capitalize()} expression name not found", where)
        inner_name, operand = _first(inner, where)
        if inner_name != "equals-ignore-case":
            raise InvalidPatternError(f"Unsupported {name} pattern: {inner_name}", where)
        text = self.string(operand, "equals-ignore-case match pattern must be a string", where)
        if len(inner) > 1 or extra_keys:
            raise InvalidPatternError(_ONE_KEY, where)
        return PrefixIgnoreCase(text) if name == "prefix" else SuffixIgnoreCase(text)

    # -- numeric -------------------------------------------------------------------------------

    def numeric(self, items: Sequence[PatternValue], where: str) -> Numeric:
        def item(index: int) -> PatternValue | object:
            return items[index] if index < len(items) else _END

        first = item(0)
        if type(first) is not str:
            raise InvalidPatternError(f"Invalid member in numeric match: {self.shown(first)}", where)
        operand = number_text(item(1))
        if first in ("=", "<", "<="):
            if operand is None:
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
            if operand is None:
                raise InvalidPatternError(f"Value of {first} must be numeric", where)
            if len(items) == 2:
                return Numeric(self.comparable(operand, where), first == ">", float("inf"), True)
            return self.numeric_range(operand, first == ">", items[2:], where)
        raise InvalidPatternError(f"Unrecognized numeric range operator: {first}", where)

    def numeric_range(
        self, bottom: str, open_bottom: bool, rest: Sequence[PatternValue], where: str
    ) -> Numeric:
        """The rest of ``[">", bottom, "<", top]``; ``bottom`` is a number's literal text."""
        operator = rest[0]
        if type(operator) is not str:
            raise InvalidPatternError(f"Bad value in numeric range: {self.shown(operator)}", where)
        if operator not in ("<", "<="):
            raise InvalidPatternError(f"Bad numeric range operator: {operator}", where)
        top = number_text(rest[1]) if len(rest) > 1 else None
        if top is None:
            raise InvalidPatternError(f"Value of {operator} must be numeric", where)
        if len(rest) > 2:
            raise InvalidPatternError("Too many terms in numeric range expression", where)
        low, high = self.comparable(bottom, where), self.comparable(top, where)
        if not low < high:
            raise InvalidPatternError("Bottom must be less than top", where)
        return Numeric(low, open_bottom, high, operator == "<")

    @staticmethod
    def shown(value: PatternValue | object) -> str:
        return "]" if value is _END else _token_text(value)  # type: ignore[arg-type]

    @staticmethod
    def comparable(text: str, where: str) -> float:
        """The value of a number literal a numeric condition or anything-but compares with."""
        value = _comparable_value(text)
        if value is None:
            raise InvalidPatternError(f"Cannot compare number : {text}", where)
        return value

    # -- anything-but --------------------------------------------------------------------------

    def anything_but(self, operand: PatternValue, extra_keys: bool, where: str) -> AnythingBut:
        form = ""
        inner_extra_keys = False
        if _is_object(operand):
            if not operand:
                raise InvalidPatternError("Anything-But expression name not found", where)
            form, value = _first(operand, where)
            inner_extra_keys = len(operand) > 1
            if self.sns:
                return self.sns_anything_but_form(form, value, inner_extra_keys or extra_keys, where)
            if self.legacy:
                return self.legacy_anything_but_form(form, value, inner_extra_keys or extra_keys, where)
            if form not in _ANYTHING_BUT_FORMS:
                raise InvalidPatternError(f"Unsupported anything-but pattern: {form}", where)
            operand = value
        if not _is_listable(operand):
            raise InvalidPatternError(
                "Value of anything-but must be an array or single string/number value.", where
            )
        items: Sequence[PatternValue] = operand if type(operand) is list else [operand]
        excluded = self.exclusion_set(form, items, where) if form else self.exclusion_values(items, where)
        if inner_extra_keys or extra_keys:
            raise InvalidPatternError(_TOO_MANY, where)
        return AnythingBut(excluded)

    def exclusion_values(self, items: Sequence[PatternValue], where: str) -> tuple[ExclusionTest, ...]:
        """Plain anything-but: all strings or all (comparable) numbers."""
        excluded: list[ExclusionTest] = []
        kinds: set[bool] = set()  # whether each item is a string
        for item in items:
            if type(item) is str:
                excluded.append(Exact(item))
            else:
                text = number_text(item)
                if text is None:
                    raise InvalidPatternError(
                        "Inside anything but list, start|null|boolean is not supported.", where
                    )
                excluded.append(Exact(self.comparable(text, where)))
            kinds.add(type(item) is str)
        if len(kinds) != 1:
            raise InvalidPatternError(_MIXED_LIST, where)
        return tuple(dict.fromkeys(excluded))

    def exclusion_set(
        self, form: str, items: Sequence[PatternValue], where: str
    ) -> tuple[ExclusionTest, ...]:
        """anything-but with prefix / suffix / equals-ignore-case / wildcard, one or a list."""
        texts: list[str] = []
        for item in items:
            if type(item) is not str:
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
        self, form: str, value: PatternValue, extra_keys: bool, where: str
    ) -> AnythingBut:
        """The older compiler knows anything-but prefix and suffix (one string) and equals-ignore-case."""
        if form == "equals-ignore-case":
            items = value if type(value) is list else [value]
            if not _is_listable(value):
                raise InvalidPatternError(
                    "Value of anything-but must be an array or single string/number value.", where
                )
            for item in items:
                if type(item) is not str:
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
        if type(value) is not str:
            raise InvalidPatternError("prefix/suffix match pattern must be a string", where)
        if not value:
            raise InvalidPatternError("Null prefix/suffix not allowed", where)
        if extra_keys:
            raise InvalidPatternError(_ONE_KEY, where)
        return AnythingBut((_exclusion(form, value),))

    @staticmethod
    def sns_anything_but_form(form: str, value: PatternValue, extra_keys: bool, where: str) -> AnythingBut:
        """SNS knows one anything-but form: a single prefix (AWS rejects suffix, SPEC 3.2)."""
        if form != "prefix":
            raise InvalidPatternError(f"Unsupported anything-but pattern: {form}", where)
        if type(value) is not str:
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


def _frozen(fields: Fields) -> Alternative:
    return tuple(map(fields.__getitem__, sorted(fields)))  # the conditions sorted by path


def rule_from_fields(alternatives: list[Fields]) -> Rule:
    """Freeze the compiler's alternatives into the IR: conditions sorted by path, no repeats."""
    if len(alternatives) == 1:
        return (_frozen(alternatives[0]),)
    return tuple(dict.fromkeys(map(_frozen, alternatives)))


# The compilers hold no state of their own: one of each serves every pattern.
_CURRENT: Final = _Compiler(legacy=False)
_LEGACY: Final = _Compiler(legacy=True)
_SNS: Final = _Compiler(legacy=False, sns=True)


def compile_tree(root: PatternValue, *, sns: bool = False) -> Rule:
    """Validate a parsed EventBridge pattern (or, with ``sns``, the operators of an SNS filter
    policy) and return its IR; InvalidPatternError if AWS rejects it.

    ``root`` is what ``parse_pattern_text`` or ``from_python`` make, or a plain dict, which
    compiles exactly as its ``from_python`` reading does, only faster.
    """
    if type(root) is dict:
        try:
            return _compile(root, sns)
        except InvalidPatternError:
            # The plain reading refuses what from_python converts or rejects too; only the
            # converted pattern tells which fault AWS's parser would meet first.
            root = from_python(root)
    return _compile(root, sns)


def _compile(root: PatternValue, sns: bool) -> Rule:
    if sns:
        return rule_from_fields(_SNS.pattern(root))
    try:
        alternatives = _CURRENT.pattern(root)
    except _FinalError as final:
        raise InvalidPatternError(final.reason, final.path) from None  # the private class stays inside
    except InvalidPatternError as error:
        # event-ruler's Machine.addRule gives the older compiler a second look; when it too
        # refuses, the current compiler's reason is the one AWS's services report.
        try:
            alternatives = _LEGACY.pattern(root)
        except InvalidPatternError:
            raise error from None
    for fields in alternatives:
        if len(fields) > MAX_FIELDS:
            raise InvalidPatternError(f"Size of rule exceeds max value of {MAX_FIELDS}")
    return rule_from_fields(alternatives)
