"""The validator's measurements: the size AWS counts, whichever way it is computed; and the same
reports whether patterns are read one at a time or in a batch."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from hypothesis import given, reject, settings
from hypothesis import strategies as st

from eventmatch.cli.checks import PlainMeasures, check_entries, check_entry, compact_length
from eventmatch.cli.common import Where
from eventmatch.cli.entries import RuleEntry
from eventmatch.cli.placeholders import compact_json
from eventmatch.cli.rulefiles import Layout, ReadOptions, load_rules
from eventmatch.errors import InvalidPatternError
from eventmatch.jsontext import read_plain_texts
from eventmatch.pattern import compile_read, read_pattern

from .profiles import examples
from .strategies import patterns

_TEXT = st.text(st.characters(blacklist_characters='\\"', blacklist_categories=["Cs"]))
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | _TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_TEXT, children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=examples(1000))
@given(st.dictionaries(_TEXT, _JSON, min_size=1, max_size=5), st.sampled_from([None, 1, 4]))
def test_compact_length_is_the_compact_text_length(pattern: dict[str, object], indent: int | None) -> None:
    text = json.dumps(pattern, indent=indent, ensure_ascii=False)
    assert compact_length(text) == len(compact_json(read_pattern(text)))


# Ways a pattern's text can differ from what orjson writes back: spacing, a number spelled
# otherwise, a key written twice, a string escape, a number orjson cannot hold, a text that is not
# one object. The batch reading must notice each and leave the text to the exact reader.
_NUMBER_SPELLINGS = st.sampled_from(
    ["{}", "{}.0", "{}e0", "{}E+00", "{}e-7", "0{}", "{}0000000000000000000000"]
)


@st.composite
def _pattern_texts(draw: st.DrawFn) -> str:
    text = json.dumps(
        draw(patterns()), indent=draw(st.sampled_from([None, 1])), ensure_ascii=draw(st.booleans())
    )
    match draw(st.integers(0, 6)):
        case 0:
            spelling = draw(_NUMBER_SPELLINGS)
            text = re.sub(r"(?<=[\[ ])(\d+)(?=[,\]])", lambda number: spelling.format(number[1]), text)
        case 1:
            text = text.replace("{", '{"a": ["repeated"], ', 1).replace("{\n", '{\n"a": ["repeated"],\n', 1)
        case 2:
            text = text.replace('"x', '"\\u0078', 1)
        case 3:
            text = draw(
                st.sampled_from(["", "[]", "{}", "{} {}", '{"a": [1]}, {"b": [2]}', '{"a": [5e-324]}'])
            )
    return text


def _entries(texts: list[str]) -> list[RuleEntry]:
    return [
        RuleEntry(f"rule-{index}", Where("rules.json", 1, index + 1), text)
        for index, text in enumerate(texts)
    ]


@settings(max_examples=examples(500))
@given(st.lists(_pattern_texts(), max_size=8))
def test_reading_patterns_in_a_batch_changes_no_report(texts: list[str]) -> None:
    entries = _entries(texts)
    assert check_entries(entries) == [check_entry(entry) for entry in entries]


@settings(max_examples=examples(300))
@given(st.lists(_pattern_texts(), min_size=1, max_size=8))
def test_a_batch_read_compiles_as_each_text_read_exactly(texts: list[str]) -> None:
    values = read_plain_texts(texts)
    if values is None:
        reject()
    for text, value in zip(texts, values, strict=True):
        try:
            expected: object = compile_read(read_pattern(text))
        except InvalidPatternError as exc:
            expected = exc.reason
        try:
            got: object = compile_read(value)
        except InvalidPatternError as exc:
            got = exc.reason
        assert got == expected


@settings(max_examples=examples(500))
@given(st.lists(_pattern_texts().filter(lambda text: text.lstrip().startswith("{")), min_size=1, max_size=6))
def test_measuring_while_reading_a_rules_file_changes_no_report(texts: list[str]) -> None:
    document = "{" + ",\n".join(f'"rule-{index % 4}": {text}' for index, text in enumerate(texts)) + "}"
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "rules.json"
        path.write_text(document, encoding="utf-8")
        options = ReadOptions(layout=Layout.RULES)
        measures = PlainMeasures()
        measured = load_rules(str(path), options, measures.inspect)
        exact = load_rules(str(path), options)
    assert measured == exact
    assert check_entries(measured.entries, measures=measures) == [
        check_entry(entry) for entry in exact.entries
    ]
