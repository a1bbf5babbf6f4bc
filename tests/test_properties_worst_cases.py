"""Property tests on the engine's hard cases: the Machine against the reference interpreter.

Inputs are small, so that the reference (the spec, slow but plain) stays fast: wildcards with
many stars over a tiny alphabet, events whose arrays pin the walk to array elements, and
case-insensitive matching with characters whose case mappings are not one-to-one.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import eventmatch

from .profiles import examples
from .test_properties import machine_of, reference_names

Rules = list[tuple[str, dict[str, Any]]]


def valid(pattern: dict[str, Any]) -> dict[str, Any]:
    """``pattern``, or a rejected example when AWS would refuse it."""
    try:
        eventmatch.compile_pattern(pattern)
    except eventmatch.InvalidPatternError:
        assume(False)
    return pattern


def check(rules: Rules, events: list[dict[str, Any]]) -> None:
    """The machine of ``rules``, and each rule's compiled pattern, agree with the reference."""
    machine = machine_of(rules)
    for event in events:
        expected = reference_names(rules, event)
        assert machine.match(event) == expected, (rules, event)
        assert machine.match(json.dumps(event)) == expected, (rules, event)
        for name, pattern in rules:
            alone = bool(reference_names([(name, pattern)], event))
            assert eventmatch.compile_pattern(pattern).matches(event) == alone, (pattern, event)
    assert machine.match_many(events) == [reference_names(rules, event) for event in events]


# -- wildcards with many stars ------------------------------------------------------------------

_STAR = "*"
_TOKENS = ["a", "b", _STAR, "\\*", "\\\\"]  # a literal star and a literal backslash, escaped
_VALUE_ALPHABET = "ab*\\"
_MOST_STARS = 8  # keeps the reference's backtracking regex fast on 30 characters
values_text = st.text(alphabet=_VALUE_ALPHABET, max_size=30)
_star_text = st.text(alphabet=_VALUE_ALPHABET, max_size=5)


@st.composite
def wildcard_tokens(draw: st.DrawFn) -> list[str]:
    """A valid wildcard as tokens: no two stars touch."""
    tokens: list[str] = []
    for _ in range(draw(st.integers(0, 16))):
        choices = [token for token in _TOKENS if not (token == _STAR and tokens and tokens[-1] == _STAR)]
        tokens.append(draw(st.sampled_from(choices)))
    assume(tokens.count(_STAR) <= _MOST_STARS)
    return tokens


@st.composite
def value_for(draw: st.DrawFn, tokens: list[str]) -> str:
    """A value the wildcard accepts, or a near miss (one character changed, added or dropped)."""
    parts: list[str] = []
    for token in tokens:
        if token == _STAR:
            parts.append(draw(_star_text))
        else:
            parts.append(token[-1])  # "\\*" is a star, "\\\\" a backslash
    value = "".join(parts)
    change = draw(st.integers(0, 5))
    if value and change >= 3:
        at = draw(st.integers(0, len(value) - 1))
        replacement = draw(st.sampled_from(["", *_VALUE_ALPHABET]))
        extra = draw(st.sampled_from(_VALUE_ALPHABET)) if change == 5 else ""
        value = value[:at] + replacement + extra + value[at + 1 :]
    return value[:30]


def _wildcard_rule(draw: st.DrawFn, texts: list[str]) -> dict[str, Any]:
    form = draw(st.integers(0, 4))
    if form == 0 and len(texts) > 1:
        return {"f": [{"wildcard": text} for text in texts]}
    if form == 1:
        return {"f": [{"anything-but": {"wildcard": texts[0]}}]}
    if form == 2 and len(texts) > 1:
        return {"f": [{"anything-but": {"wildcard": texts}}]}
    if form == 3:
        return {"f": [{"wildcard": texts[0]}], "g": [{"exists": draw(st.booleans())}]}
    return {"f": [{"wildcard": texts[0]}]}


@st.composite
def wildcard_cases(draw: st.DrawFn) -> tuple[Rules, list[dict[str, Any]]]:
    """Several wildcard rules on one field, and events built from their wildcards."""
    all_tokens = draw(st.lists(wildcard_tokens(), min_size=1, max_size=4))
    texts = ["".join(tokens) for tokens in all_tokens]
    rules: Rules = []
    for index in range(draw(st.integers(1, 4))):
        chosen = draw(st.lists(st.sampled_from(texts), min_size=1, max_size=2, unique=True))
        rules.append((f"w{index}", valid(_wildcard_rule(draw, chosen))))
    field_values = [
        draw(values_text)
        if draw(st.integers(0, 3)) == 0
        else draw(value_for(draw(st.sampled_from(all_tokens))))
        for _ in range(draw(st.integers(1, 4)))
    ]
    events: list[dict[str, Any]] = [{"f": value} for value in field_values]
    events.append({"f": field_values, "g": 1})  # several values of the field at once
    return rules, events


@settings(max_examples=examples(300))
@given(case=wildcard_cases())
def test_wildcards_with_many_stars_match_as_the_reference(case: tuple[Rules, list[dict[str, Any]]]) -> None:
    check(*case)


@settings(max_examples=examples(200))
@given(tokens=wildcard_tokens(), data=st.data())
def test_one_wildcard_matches_as_the_reference(tokens: list[str], data: st.DataObject) -> None:
    text = "".join(tokens)
    values = [data.draw(value_for(tokens)), data.draw(values_text), data.draw(value_for(tokens))]
    events = [{"f": value} for value in values]
    check([("w", valid({"f": [{"wildcard": text}]}))], events)
    check([("n", valid({"f": [{"anything-but": {"wildcard": text}}]}))], events)


# Head, tail and middle segments that overlap, escapes next to stars: fixed cases the random
# ones should meet anyway, kept so that a regression names them.
_WILDCARD_EDGES = [
    ("a*a", ["a", "aa", "aaa", "aba", "ab"]),
    ("*a*a*", ["a", "aa", "aba", "baab", ""]),
    ("ab*ba", ["aba", "abba", "abbba", "ab"]),
    ("*ab*ab", ["ab", "abab", "aab", "ababb"]),
    ("\\*", ["*", "\\*", "a*", ""]),  # a literal star
    ("\\\\*", ["\\", "\\x", "\\\\", "*", ""]),  # a literal backslash, then a star
    ("\\\\*\\\\", ["\\", "\\\\", "\\\\\\", "\\a\\"]),
    ("\\**", ["*", "*a", "a*", "**"]),  # a literal star, then a star
    ("*\\*a", ["*a", "b*a", "*", "a"]),
    ("*\\\\\\**", ["\\*", "a\\*b", "\\", "*"]),
    ("b*b*b*b*b*b*b*b", ["b" * 7, "b" * 8, "b" * 30, "ab" * 15]),
    ("", ["", "a"]),
    ("*", ["", "*", "ab"]),
]


@pytest.mark.parametrize(("wildcard", "field_values"), _WILDCARD_EDGES)
def test_wildcard_edges_match_as_the_reference(wildcard: str, field_values: list[str]) -> None:
    events = [{"f": value} for value in field_values]
    check([("w", {"f": [{"wildcard": wildcard}]})], events)
    check([("n", {"f": [{"anything-but": {"wildcard": wildcard}}]})], events)
    check([("w", {"f": [{"wildcard": wildcard}]}), ("x", {"f": [{"wildcard": wildcard + "a"}]})], events)


# -- array consistency: the pinned walk ---------------------------------------------------------

VALUES: list[Any] = [0, 1, 2, "p", "q"]
values = st.sampled_from(VALUES)
_ELEMENT_KEYS = ["k", "v"]
_PATHS = ["x.k", "x.v", "x.sub.k", "x.sub.v", "y.k", "y.v", "y.sub.k", "z.k", "z.v"]

_small_objects = st.fixed_dictionaries({}, optional={key: values for key in _ELEMENT_KEYS})
_objects = st.fixed_dictionaries(
    {},
    optional={
        "k": st.one_of(values, st.lists(values, max_size=2)),
        "v": values,
        "sub": st.lists(_small_objects, max_size=3),
    },
)
_elements = st.one_of(
    _objects,
    _objects,
    st.lists(_objects, min_size=1, max_size=2),  # an array inside the array
    values,  # a scalar beside the objects
)
_arrays = st.lists(_elements, max_size=6)

array_events = st.fixed_dictionaries(
    {"x": _arrays, "y": _arrays},
    optional={
        "z": _arrays,
        # dotted keys: more leaves at the arrays' paths, outside (or in other) arrays
        "x.k": st.one_of(values, st.lists(values, max_size=2)),
        "x.sub": st.lists(_small_objects, min_size=1, max_size=2),
        "x.sub.k": values,
        "y.v": values,
    },
)


_array_matchers = st.lists(
    st.one_of(
        values,
        values,
        st.sampled_from([[">", 0], ["<", 2], ["=", 1], [">=", 1, "<=", 2]]).map(lambda n: {"numeric": n}),
        st.booleans().map(lambda present: {"exists": present}),
        values.map(lambda value: {"anything-but": value}),
        st.lists(values, min_size=1, max_size=2, unique=True).map(lambda vs: {"anything-but": vs}),
        st.sampled_from(["p", "q"]).map(lambda text: {"prefix": text}),
    ),
    min_size=1,
    max_size=2,
)


def nested(conditions: dict[str, list[Any]], dotted: bool) -> dict[str, Any]:
    """A pattern from ``{dotted path: value list}``: with dotted keys, or nested objects."""
    if dotted:
        return dict(conditions)
    pattern: dict[str, Any] = {}
    for path, matchers in conditions.items():
        *parents, last = path.split(".")
        target = pattern
        for part in parents:
            target = target.setdefault(part, {})
        target[last] = matchers
    return pattern


@st.composite
def array_rules(draw: st.DrawFn, paths: list[str], least: int, most: int) -> dict[str, Any]:
    chosen = draw(st.lists(st.sampled_from(paths), min_size=least, max_size=most, unique=True))
    conditions = {path: draw(_array_matchers) for path in chosen}
    return valid(nested(conditions, dotted=draw(st.booleans())))


def _named(patterns: list[dict[str, Any]]) -> Rules:
    return [(f"r{index}", pattern) for index, pattern in enumerate(patterns)]


def conditions_of(pattern: dict[str, Any], prefix: str = "") -> dict[str, list[Any]]:
    """A pattern's value lists by dotted path."""
    found: dict[str, list[Any]] = {}
    for key, value in pattern.items():
        path = prefix + key
        if isinstance(value, dict):
            found.update(conditions_of(value, path + "."))
        else:
            found[path] = value
    return found


def _satisfying(draw: st.DrawFn, matcher: Any) -> Any:
    """A value ``matcher`` accepts (None: the field is best left out), or sometimes any value."""
    if draw(st.integers(0, 7)) == 0:
        return draw(values)
    if not isinstance(matcher, dict):
        return matcher
    ((operator, operand),) = matcher.items()
    if operator == "exists":
        return draw(values) if operand else None
    if operator == "numeric":
        return {">": 1, "<": 0, "=": 1, ">=": 2}[operand[0]]
    if operator == "prefix":
        return operand
    excluded = operand if isinstance(operand, list) else [operand]
    return draw(st.sampled_from([value for value in VALUES if value not in excluded]))


@st.composite
def array_events_for(
    draw: st.DrawFn, rules: Rules, base: st.SearchStrategy[dict[str, Any]]
) -> dict[str, Any]:
    """An event from ``base`` in which one rule's values are put into one element of each
    array its paths lead through, or (a near miss) spread over two elements."""
    _, pattern = draw(st.sampled_from(rules))
    event = draw(base)
    witnesses: dict[str, list[dict[str, Any]]] = {}
    for path, matchers in conditions_of(pattern).items():
        array, *rest = path.split(".")
        value = _satisfying(draw, draw(st.sampled_from(matchers)))
        if value is None:
            continue
        elements = witnesses.setdefault(array, [{}])
        if draw(st.integers(0, 4)) == 0:
            elements.append({})  # this value goes into another element
        target = elements[-1]
        if len(rest) == 2:  # array.sub.key
            target = target.setdefault("sub", [{}])[0]
        target[rest[-1]] = value
    for array, elements in witnesses.items():
        noise = event.get(array)
        noise = list(noise) if isinstance(noise, list) else []
        for element in elements:
            noise.insert(draw(st.integers(0, len(noise))), element)
        event[array] = noise
    return event


@settings(max_examples=examples(200))
@given(data=st.data(), rules=st.lists(array_rules(_PATHS, 2, 4), min_size=1, max_size=5).map(_named))
def test_rules_over_several_arrays_match_as_the_reference(data: st.DataObject, rules: Rules) -> None:
    events = data.draw(
        st.lists(st.one_of(array_events, array_events_for(rules, array_events)), min_size=1, max_size=3)
    )
    check(rules, events)


_SAME_ARRAY_PATHS = ["x.k", "x.v", "x.w"]
_wide_elements = st.one_of(
    st.fixed_dictionaries({}, optional={"k": values, "v": values, "w": values}),
    st.fixed_dictionaries({"k": values, "v": values}),
)
same_array_events = st.fixed_dictionaries(
    {"x": st.lists(_wide_elements, max_size=12)},
    optional={"y": st.lists(_small_objects, max_size=3), "x.k": values},
)


@settings(max_examples=examples(200))
@given(
    data=st.data(),
    pinned=array_rules(_SAME_ARRAY_PATHS, 2, 3),
    others=st.lists(array_rules([*_SAME_ARRAY_PATHS, "y.k", "y.v"], 1, 3), max_size=3),
)
def test_conditions_on_one_arrays_elements_match_as_the_reference(
    data: st.DataObject, pinned: dict[str, Any], others: list[dict[str, Any]]
) -> None:
    rules = _named([pinned, *others])
    events = data.draw(
        st.lists(
            st.one_of(same_array_events, array_events_for(rules, same_array_events)), min_size=1, max_size=3
        )
    )
    check(rules, events)


# -- equals-ignore-case with case-tricky characters ------------------------------------------------

# ß (upper SS), ſ (long s, upper S), K (Kelvin sign, lower k), İ (lower i + combining dot),
# ı (dotless i, upper I), Σ σ ς (two lower sigmas), ﬀ (ligature, upper FF), and ASCII.
_CASE_CHARS = "ßſ\u212aİıΣσςﬀsSkKiIfFx"
case_text = st.text(alphabet=_CASE_CHARS, max_size=4)


@st.composite
def spelling_of(draw: st.DrawFn, text: str) -> str:
    """Another spelling of ``text``, character by character or as a whole, maybe extended."""
    whole = draw(st.integers(0, 3))
    if whole == 0:
        spelled = text.upper()
    elif whole == 1:
        spelled = text.lower()
    elif whole == 2:
        spelled = text.casefold()
    else:
        spelled = "".join(
            draw(st.sampled_from([char, char.lower(), char.upper(), char.casefold()])) for char in text
        )
    before = draw(st.sampled_from(["", "", "s", "ß", "\u212a"]))
    after = draw(st.sampled_from(["", "", "S", "ς", "ı"]))
    return before + spelled + after


def _case_rule(draw: st.DrawFn, texts: list[str]) -> dict[str, Any]:
    text = texts[0]
    forms: list[Any] = [
        {"equals-ignore-case": text},
        {"prefix": {"equals-ignore-case": text}},
        {"suffix": {"equals-ignore-case": text}},
        {"anything-but": {"equals-ignore-case": text}},
        {"anything-but": {"equals-ignore-case": texts}},
        {"prefix": text},
        {"suffix": text},
        text,
    ]
    return {"f": draw(st.lists(st.sampled_from(forms), min_size=1, max_size=2))}


@st.composite
def case_cases(draw: st.DrawFn) -> tuple[Rules, list[dict[str, Any]]]:
    texts = draw(st.lists(case_text, min_size=1, max_size=3))
    rules: Rules = []
    for index in range(draw(st.integers(1, 5))):
        chosen = draw(st.lists(st.sampled_from(texts), min_size=1, max_size=2, unique=True))
        rules.append((f"c{index}", valid(_case_rule(draw, chosen))))
    field_values = [
        draw(case_text) if draw(st.integers(0, 3)) == 0 else draw(spelling_of(draw(st.sampled_from(texts))))
        for _ in range(draw(st.integers(1, 4)))
    ]
    events: list[dict[str, Any]] = [{"f": value} for value in field_values]
    events.append({"f": field_values})
    return rules, events


@settings(max_examples=examples(300))
@given(case=case_cases())
def test_ignore_case_with_tricky_characters_matches_as_the_reference(
    case: tuple[Rules, list[dict[str, Any]]],
) -> None:
    check(*case)
