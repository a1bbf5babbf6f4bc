"""The validator's measurements: the size AWS counts, whichever way it is computed."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from eventmatch.cli.checks import compact_length
from eventmatch.cli.placeholders import compact_json
from eventmatch.pattern import read_pattern

_TEXT = st.text(st.characters(blacklist_characters='\\"', blacklist_categories=("Cs",)))
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | _TEXT,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_TEXT, children, max_size=4),
    max_leaves=20,
)


@given(st.dictionaries(_TEXT, _JSON, min_size=1, max_size=5), st.sampled_from([None, 1, 4]))
def test_compact_length_is_the_compact_text_length(pattern: dict[str, object], indent: int | None) -> None:
    text = json.dumps(pattern, indent=indent, ensure_ascii=False)
    assert compact_length(text) == len(compact_json(read_pattern(text)))
