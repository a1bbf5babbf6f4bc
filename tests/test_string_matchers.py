"""The engine's wildcard and ignore-case matchers (:mod:`eventmatch.matchers.glob`,
:mod:`eventmatch.matchers.case_spellings`) against the reference interpreter's regular
expressions on random small inputs, and the worst cases of issue #8 through a Machine."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import eventmatch
from eventmatch.casefold import case_alternatives, ignore_case_regex, is_foldable_by_lower
from eventmatch.ir import EqualsIgnoreCase, PrefixIgnoreCase, SuffixIgnoreCase, Wildcard
from eventmatch.matchers.case_spellings import CaseSpellings
from eventmatch.matchers.glob import Glob
from eventmatch.reference import passes
from eventmatch.wildcard import WildcardSyntaxError, literal_segments, wildcard_regex

checks = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- wildcards ------------------------------------------------------------------------------

# Few characters, so stars, escapes and repeated letters are common.
WILDCARD_ALPHABET = "ab*\\"


def _is_valid_wildcard(text: str) -> bool:
    try:
        literal_segments(text)
    except WildcardSyntaxError:
        return False
    return True


def _escaped(literal: str) -> str:
    return literal.replace("\\", "\\\\").replace("*", "\\*")


# Wildcards built from their segments (stars and repeats are common), and raw texts (which
# also try the escape rules).
structured_wildcards = st.builds(
    lambda head, middle, tail: "*".join(_escaped(segment) for segment in [head, *middle, tail]),
    st.text(WILDCARD_ALPHABET, max_size=3),
    st.lists(st.text(WILDCARD_ALPHABET, min_size=1, max_size=3), max_size=3),
    st.text(WILDCARD_ALPHABET, max_size=3),
) | st.text(WILDCARD_ALPHABET, max_size=3).map(_escaped)
wildcard_texts = structured_wildcards | st.text(WILDCARD_ALPHABET, max_size=10).filter(_is_valid_wildcard)
values = st.text(WILDCARD_ALPHABET, max_size=12)


def _regex_accepts(wildcard: str, value: str) -> bool:
    return wildcard_regex(wildcard).fullmatch(value) is not None


@checks
@given(wildcard_texts, values)
def test_glob_agrees_with_the_reference_regex(wildcard: str, value: str) -> None:
    assert Glob.from_text(wildcard).matches(value) == _regex_accepts(wildcard, value)


@checks
@given(wildcard_texts, st.data())
def test_glob_agrees_on_strings_built_from_the_segments(wildcard: str, data: st.DataObject) -> None:
    # Random strings rarely fit a wildcard: build near-fits from its segments and fillers,
    # sometimes leaving one segment out so that only an overlapping reading could fit.
    segments = literal_segments(wildcard)
    dropped = data.draw(st.integers(-1, len(segments) - 1))
    value = ""
    for index, segment in enumerate(segments):
        if index:  # nothing before the head
            value += data.draw(st.text("ab*", max_size=3))
        if index != dropped:
            value += segment
    value = data.draw(st.sampled_from([value, value[1:], value[:-1], value + "a", "b" + value]))
    assert Glob.from_text(wildcard).matches(value) == _regex_accepts(wildcard, value)


@pytest.mark.parametrize(
    ("wildcard", "value", "expected"),
    [
        ("*ab*b", "ab", False),  # the tail may not reuse the middle segment's "b"
        ("*ab*b", "abb", True),
        ("*aa*a", "aa", False),
        ("*aa*a", "aaa", True),
        ("a*a", "a", False),  # the head and the tail may not overlap
        ("ab*ba", "aba", False),
        ("ab*ba", "abba", True),
        ("*a*a*", "a", False),
        ("a*a*", "ab", False),  # a middle segment may not reuse the head's "a"
        ("ab*b*", "abx", False),
        ("ab*b*", "abxb", True),
        ("*a*a*", "aa", True),
        ("a\\*b*", "a*bxyz", True),  # an escaped star is a literal one
        ("a\\*b*", "axb", False),
        ("\\\\*", "\\x", True),
        ("", "", True),
        ("", "a", False),
        ("*", "", True),
        ("abc", "abc", True),
        ("abc", "abcd", False),
    ],
)
def test_glob_edge_cases(wildcard: str, value: str, expected: bool) -> None:
    assert _regex_accepts(wildcard, value) == expected  # the expectation is the spec's
    assert Glob.from_text(wildcard).matches(value) == expected


def _machine(*rules: tuple[str, Any]) -> eventmatch.Machine:
    machine = eventmatch.Machine()
    for name, pattern in rules:
        machine.add_rule(name, pattern)
    return machine


def test_wildcard_worst_case_repeated_letters() -> None:
    machine = _machine(("r", {"a": [{"wildcard": "*a*a*b*"}]}))
    assert machine.match({"a": "b" + "a" * 4000}) == []
    assert machine.match({"a": "b" + "a" * 4000 + "b"}) == ["r"]


def test_wildcard_worst_case_more_stars() -> None:
    machine = _machine(("r", {"a": [{"wildcard": "*a*a*a*b*"}]}))
    assert machine.match({"a": "a" * 1000}) == []
    assert machine.match({"a": "a" * 1000 + "b"}) == ["r"]
    assert machine.match({"a": "aa" + "b" * 1000}) == []


def test_wildcard_worst_case_many_floating_rules() -> None:
    machine = _machine(*((f"r{i}", {"a": [{"wildcard": f"*a*b*c{i}*"}]}) for i in range(10_000)))
    assert machine.match({"a": "ab" * 500 + "c42"}) == ["r4", "r42"]
    assert machine.match({"a": "c42" + "ab" * 500}) == []
    assert machine.match({"a": "x" * 1024}) == []


def test_wildcard_worst_case_inside_anything_but() -> None:
    machine = _machine(("r", {"a": [{"anything-but": {"wildcard": "*a*a*b*"}}]}))
    assert machine.match({"a": "b" + "a" * 4000}) == ["r"]
    assert machine.match({"a": "b" + "a" * 4000 + "b"}) == []
    machine = _machine(("r", {"a": [{"anything-but": {"wildcard": "*a*a*a*b*"}}]}))
    assert machine.match({"a": "a" * 1000}) == ["r"]
    assert machine.match({"a": "a" * 1000 + "b"}) == []


# --- ignore case ----------------------------------------------------------------------------

# Characters whose case mapping is tricky: one-to-two (ß, İ, ﬀ, ΐ, ŉ), sigma in its three forms,
# the Kelvin sign, dotless i, characters outside the BMP (which spell only themselves) and a
# quote (the prefix and suffix forms see the quotes around a string).
CASE_ALPHABET = 'aAsSßkK\u212aiIıİ\u0307fFﬀΣσςΐŉ\u02bcN𐐀𐐨"1'
operands = st.text(CASE_ALPHABET, max_size=6)


@st.composite
def spelt(draw: st.DrawFn, operand: str) -> str:
    """A string near ``operand``: some spelling of it, perhaps cut, extended or altered."""
    value = "".join(draw(st.sampled_from(case_alternatives(char))) for char in operand)
    edit = draw(st.sampled_from(["none", "cut-start", "cut-end", "add-start", "add-end", "swap"]))
    extra = draw(st.text(CASE_ALPHABET, min_size=1, max_size=2))
    if edit == "cut-start":
        value = value[1:]
    elif edit == "cut-end":
        value = value[:-1]
    elif edit == "add-start":
        value = extra + value
    elif edit == "add-end":
        value += extra
    elif edit == "swap" and value:
        index = draw(st.integers(0, len(value) - 1))
        value = value[:index] + extra[0] + value[index + 1 :]
    return value


def _agrees_with_regexes(spellings: CaseSpellings, value: str) -> None:
    text = spellings.text
    assert spellings.equals(value) == (ignore_case_regex(text).fullmatch(value) is not None)
    assert spellings.is_prefix_of(value) == (ignore_case_regex(text).match(value) is not None)
    assert spellings.is_suffix_of(value) == (
        ignore_case_regex(text, reverse=True).match(value[::-1]) is not None
    )


@checks
@given(operands, st.data())
def test_case_spellings_agree_with_the_reference_regexes(operand: str, data: st.DataObject) -> None:
    value = data.draw(st.one_of(spelt(operand), st.text(CASE_ALPHABET, max_size=8)))
    _agrees_with_regexes(CaseSpellings(operand), value)


@checks
@given(operands, st.data())
def test_position_set_simulation_agrees_with_the_reference_regexes(operand: str, data: st.DataObject) -> None:
    # No character has a spelling that begins or ends with its other one, so the set of
    # positions is never needed today: force it, to check it gives the same answers.
    spellings = CaseSpellings(operand)
    spellings._ambiguous_forward = spellings._ambiguous_backward = True
    value = data.draw(st.one_of(spelt(operand), st.text(CASE_ALPHABET, max_size=8)))
    _agrees_with_regexes(spellings, value)


def test_position_set_simulation_follows_every_reading() -> None:
    # A made-up character spelt "a" or "ab", then a run "b": "abb" is only "ab" + "b".
    spellings = CaseSpellings("xy")
    spellings.steps = ((False, "a", "ab"), (True, "b", "B"))
    spellings.lower, spellings.upper = "ab", "abB"
    spellings.min_length, spellings.max_length = 2, 3
    spellings._ambiguous_forward = spellings._ambiguous_backward = True
    assert spellings.equals("abb")
    assert spellings.equals("abB")
    assert spellings.equals("aB")
    assert not spellings.equals("abbb")
    assert spellings.is_suffix_of("xabb")
    assert spellings.is_prefix_of("aBx")
    assert not spellings.is_suffix_of("xb")


@checks
@given(st.text(CASE_ALPHABET + "bcXY", max_size=8))
def test_foldable_by_lower_is_the_casefold_one(operand: str) -> None:
    assert CaseSpellings(operand).foldable_by_lower() == is_foldable_by_lower(operand)


def test_every_bmp_character_alone() -> None:
    surrogates = range(0xD800, 0xE000)
    for code in range(0x10000):
        if code in surrogates:
            continue
        char = chr(code)
        spellings = CaseSpellings(char)
        assert spellings.foldable_by_lower() == is_foldable_by_lower(char), hex(code)
        for spelling in case_alternatives(char):
            assert spellings.equals(spelling), hex(code)
        assert not spellings.equals(char + char), hex(code)


@pytest.mark.parametrize(
    ("operand", "value"),
    [
        ("bßb", "SSb"),  # read from the end, "SS" leaves no room for the first "b"
        ("bßb", "bSS"),
        ("bßb", "bSSb"),
        ("aß", "SS"),
        ("ßa", "aSS"),
        ("İi", "i\u0307I"),
        ("xΣ", "XΣ"),
        ("xΣ", "xσ"),
        ("xΣ", "xς"),  # a capital sigma spells only σ or Σ, whatever its place
        ("xσ", "xΣ"),
        ("ς", "Σ"),
        ("ς", "σ"),
        ("\u212a", "k"),  # the Kelvin sign lower-cases to k
        ("k", "\u212a"),
        ("ab", "aBc"),
        ("ab", "cAb"),
    ],
)
def test_case_spelling_edge_cases(operand: str, value: str) -> None:
    _agrees_with_regexes(CaseSpellings(operand), value)
    spellings = CaseSpellings(operand)
    spellings._ambiguous_forward = spellings._ambiguous_backward = True
    _agrees_with_regexes(spellings, value)


def test_case_spelling_expectations() -> None:
    assert not CaseSpellings("bßb").is_suffix_of("SSb")
    assert CaseSpellings("bßb").is_suffix_of("xbSSb")
    assert CaseSpellings("xΣ").equals("Xσ")
    assert not CaseSpellings("xΣ").equals("xς")
    assert CaseSpellings("\u212a").equals("k")  # the Kelvin sign
    assert not CaseSpellings("k").equals("\u212a")
    assert CaseSpellings("ab").is_prefix_of("aBc")
    assert not CaseSpellings("ab").is_suffix_of("aBc")


def test_characters_outside_the_bmp_spell_only_themselves() -> None:
    spellings = CaseSpellings("a𐐀")
    assert spellings.equals("A𐐀")
    assert not spellings.equals("a𐐨")  # its lower case, which D12 does not accept
    assert spellings.foldable_by_lower() == is_foldable_by_lower("a𐐀")


def test_ir_tests_hold_no_regular_expressions() -> None:
    for test in (EqualsIgnoreCase("a"), PrefixIgnoreCase("a"), SuffixIgnoreCase("a"), Wildcard("a*")):
        assert not hasattr(test, "regex")


@checks
@given(operands, st.data())
def test_machine_ignore_case_agrees_with_the_reference(operand: str, data: st.DataObject) -> None:
    value = data.draw(st.one_of(spelt(operand), st.text(CASE_ALPHABET, max_size=8)))
    machine = _machine(
        ("equals", {"a": [{"equals-ignore-case": operand}]}),
        ("prefix", {"a": [{"prefix": {"equals-ignore-case": operand}}]}),
        ("suffix", {"a": [{"suffix": {"equals-ignore-case": operand}}]}),
        ("not", {"a": [{"anything-but": {"equals-ignore-case": operand}}]}),
    )
    expected = [
        name
        for name, test in (
            ("equals", EqualsIgnoreCase(operand)),
            ("not", EqualsIgnoreCase(operand)),
            ("prefix", PrefixIgnoreCase(operand)),
            ("suffix", SuffixIgnoreCase(operand)),
        )
        if passes(test, value) != (name == "not")
    ]
    assert machine.match({"a": value}) == sorted(expected)


@checks
@given(wildcard_texts, values)
def test_machine_wildcard_agrees_with_the_reference(wildcard: str, value: str) -> None:
    machine = _machine(
        ("is", {"a": [{"wildcard": wildcard}]}),
        ("not", {"a": [{"anything-but": {"wildcard": wildcard}}]}),
    )
    accepted = passes(Wildcard(wildcard), value)
    assert machine.match({"a": value}) == (["is"] if accepted else ["not"])


# A long operand mixing every kind of character: plain runs, one-to-two characters, sigma in
# all its forms, characters outside the BMP.
VARIED = ("aßİΣσςKkﬀÿ€zΐŉ𐐀" * 7000)[:100_000]


def _mixed_spelling(operand: str) -> str:
    """A spelling of ``operand`` alternating between the characters' spellings."""
    return "".join(
        case_alternatives(char)[index % len(case_alternatives(char))] for index, char in enumerate(operand)
    )


@pytest.mark.parametrize("operand", ["x" * 100_000, VARIED], ids=["plain", "varied"])
def test_long_ignore_case_operands_through_a_machine(operand: str) -> None:
    machine = _machine(
        ("equals", {"a": [{"equals-ignore-case": operand}]}),
        ("prefix", {"a": [{"prefix": {"equals-ignore-case": operand}}]}),
        ("suffix", {"a": [{"suffix": {"equals-ignore-case": operand}}]}),
    )
    value = _mixed_spelling(operand)
    assert machine.match({"a": value}) == ["equals", "prefix", "suffix"]
    assert machine.match({"a": value + "!"}) == ["prefix"]
    assert machine.match({"a": "!" + value}) == ["suffix"]
    wrong = value[:50_000] + "#" + value[50_001:]
    assert machine.match({"a": wrong}) == []


@pytest.mark.parametrize("offset", [0, 63, 64, 65, 150, 999])
def test_long_runs_are_checked_to_the_end(offset: int) -> None:
    spellings = CaseSpellings("k" * 1000)
    value = "kK" * 500
    assert spellings.equals(value)
    wrong = value[:offset] + "\u212a" + value[offset + 1 :]  # the Kelvin sign lower-cases to k
    assert not spellings.equals(wrong)
    assert not spellings.is_prefix_of(wrong + "k")
    assert not spellings.is_suffix_of("k" + wrong)
    # Through a machine the lowered lookup finds the operand; its spellings must say no.
    machine = _machine(
        ("equals", {"a": [{"equals-ignore-case": "k" * 1000}]}),
        ("prefix", {"a": [{"prefix": {"equals-ignore-case": "k" * 1000}}]}),
        ("suffix", {"a": [{"suffix": {"equals-ignore-case": "k" * 1000}}]}),
    )
    assert machine.match({"a": value}) == ["equals", "prefix", "suffix"]
    assert machine.match({"a": wrong}) == []


def test_ignore_case_is_per_character_and_asymmetric() -> None:
    machine = _machine(
        ("lower", {"a": [{"equals-ignore-case": "straße"}]}),
        ("upper", {"a": [{"equals-ignore-case": "STRASSE"}]}),
    )
    assert machine.match({"a": "STRASSE"}) == ["lower", "upper"]
    assert machine.match({"a": "straße"}) == ["lower"]
    assert machine.match({"a": "StraSSe"}) == ["lower", "upper"]
    assert machine.match({"a": "StraSse"}) == ["upper"]  # "Ss" is not a spelling of ß
