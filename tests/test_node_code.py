"""The generated code of compiled nodes (eventmatch.node_code): the shapes the property
tests reach rarely, checked against the reference interpreter."""

from __future__ import annotations

from typing import Any

from eventmatch.node_code import MAX_WRITTEN_PATHS

from .test_properties import machine_of, reference_names


def test_a_node_with_more_paths_than_are_written_reads_only_the_events_paths() -> None:
    # Every rule starts with the same source step, so the node after it has one path a rule.
    count = MAX_WRITTEN_PATHS + 8
    rules: list[tuple[str, dict[str, Any]]] = [
        (f"r{index}", {"source": ["s"], f"f{index}": [f"v{index}", {"prefix": "p"}]})
        for index in range(count)
    ]
    rules.append(("absent", {"source": ["s"], "f0": [{"exists": False}]}))
    machine = machine_of(rules)
    events: list[dict[str, Any]] = [
        {"source": "s", "f3": "v3"},
        {"source": "s", "f1": "pp", "f2": ["x", "v2"]},
        {"source": "s", **{f"f{index}": f"v{index}" for index in range(count)}},
        {"source": "s", **{f"f{index}": "nope" for index in range(1, count)}},
        {"source": "t", "f3": "v3"},
    ]
    for event in events:
        assert machine.match(event) == reference_names(rules, event), event


def test_one_value_passing_a_node_s_exact_and_prefix_steps_to_one_child_visits_it_once() -> None:
    # Each field's two tests lead to one child, and "ab" passes both. Visiting that child once
    # per passed test would double the work at every level: 2**40 visits for this event.
    depth = 40
    pattern: dict[str, Any] = {f"f{level:02d}": ["ab", {"prefix": "a"}] for level in range(depth)}
    other: dict[str, Any] = {"f00": [{"prefix": "a"}], "f01": ["x"]}
    rules: list[tuple[str, dict[str, Any]]] = [("deep", pattern), ("other", other)]
    machine = machine_of(rules)
    event = {f"f{level:02d}": "ab" for level in range(depth)}
    assert machine.match(event) == reference_names(rules, event) == ["deep"]


def test_checks_written_inline_answer_as_the_reference_at_their_bounds() -> None:
    rules: list[tuple[str, dict[str, Any]]] = [
        ("closed", {"n": [{"numeric": [">=", 1, "<=", 2]}]}),
        ("open", {"n": [{"numeric": [">", 1, "<", 2]}]}),
        ("suffix", {"s": [{"suffix": "ed"}]}),
        ("prefix", {"s": [{"prefix": "ok"}]}),
        ("not", {"s": [{"anything-but": ["ok", "fine"]}]}),
        ("there", {"s": [{"exists": True}], "n": [0]}),
    ]
    machine = machine_of(rules)
    for event in (
        {"n": 1},
        {"n": 2},
        {"n": 1.5},
        {"n": "1.5"},
        {"s": "okayed"},
        {"s": "ok"},
        {"s": 5, "n": 0},
    ):
        assert machine.match(event) == reference_names(rules, event), event


def test_a_chain_s_entries_answer_alike_before_and_after_the_walk_settles_them() -> None:
    # The chain a, b, c ends at a reach with a name and a node; the one for x, y at one node.
    rules: list[tuple[str, dict[str, Any]]] = [
        ("abc", {"a": ["1"], "b": ["2"], "c": ["3"]}),
        ("abcd", {"a": ["1"], "b": ["2"], "c": ["3"], "d": ["4"]}),
        ("abce", {"a": ["1"], "b": ["2"], "c": ["3"], "e": [{"prefix": "p"}]}),
        ("xy", {"x": ["1"], "y": ["2"], "z": [{"numeric": [">", 0]}]}),
    ]
    machine = machine_of(rules)
    events: list[dict[str, Any]] = [
        {"a": "1", "b": "2", "c": "3", "d": "4", "e": "pp"},
        {"a": "1", "b": "2", "c": "3"},
        {"x": "1", "y": "2", "z": 5},
        {"x": "1", "y": "2", "z": -5},
    ]
    for _ in range(3):  # the first time takes the compiled reaches, later ones their functions
        for event in events:
            assert machine.match(event) == reference_names(rules, event), event
