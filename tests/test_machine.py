"""The Machine's API beyond matching: names, removal, bulk adding, pickling, threads."""

from __future__ import annotations

import pickle
import threading

import pytest

import eventmatch

EC2 = {"source": ["aws.ec2"]}
EVENT = {"source": "aws.ec2"}


def test_names_length_and_membership() -> None:
    machine = eventmatch.Machine()
    machine.add_rule("b", EC2)
    machine.add_rule("a", {"source": ["aws.s3"]})
    machine.add_rule("b", {"source": ["aws.s3"]})  # same name again: OR
    assert machine.rule_names() == ["b", "a"]
    assert (len(machine), "a" in machine, "c" in machine) == (2, True, False)
    assert machine.match({"source": "aws.s3"}) == ["a", "b"]


def test_removing_an_unknown_name_is_a_key_error() -> None:
    machine = eventmatch.Machine()
    with pytest.raises(KeyError):
        machine.remove_rule("nope")


def test_an_invalid_pattern_leaves_the_machine_unchanged() -> None:
    machine = eventmatch.Machine()
    machine.add_rule("ec2", EC2)
    before = pickle.dumps(machine)
    with pytest.raises(eventmatch.InvalidPatternError):
        machine.add_rule("bad", {"source": [{"numeric": [">", 5, "<", 1]}]})
    with pytest.raises(eventmatch.InvalidPatternError):
        machine.add_rules([("ok", {"x": ["1"]}), ("bad", {"x": []})])
    assert pickle.dumps(machine) == before
    assert machine.rule_names() == ["ec2"]


def test_add_rules_is_add_rule_in_bulk() -> None:
    rules = [(f"r{i}", {"n": [i], "source": ["aws.ec2"]}) for i in range(50)]
    one_by_one = eventmatch.Machine()
    for name, pattern in rules:
        one_by_one.add_rule(name, pattern)
    bulk = eventmatch.Machine()
    bulk.add_rules(rules)
    assert bulk == one_by_one
    assert bulk.match({"source": "aws.ec2", "n": 7}) == ["r7"]


def test_matching_while_another_thread_changes_the_rules() -> None:
    machine = eventmatch.Machine()
    machine.add_rule("ec2", EC2)
    errors: list[BaseException] = []
    done = threading.Event()

    def churn() -> None:
        try:
            for i in range(300):
                machine.add_rule(f"r{i}", {"source": [f"s{i}"], "detail": {"n": [{"numeric": [">", i]}]}})
                if i % 3 == 0:
                    machine.remove_rule(f"r{i}")
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            done.set()

    worker = threading.Thread(target=churn)
    worker.start()
    while not done.is_set():
        assert machine.match(EVENT) == ["ec2"]
    worker.join()
    assert not errors
    assert len(machine) == 1 + 200


def test_a_machine_emptied_by_removal_matches_nothing() -> None:
    # Found by the removal property test: the emptied root has no fields and no names.
    machine = eventmatch.Machine()
    machine.add_rule("r0", {"c": ["ab"]})
    machine.remove_rule("r0")
    assert machine.match({}) == []
    assert machine.match({"c": "ab"}) == []


def test_machines_of_one_shape_keep_their_own_values() -> None:
    # Rule sets of one shape share the compiled code of their plain match; each must still
    # read its own dicts and chains.
    first, second = eventmatch.Machine(), eventmatch.Machine()
    first.add_rule("one", {"source": ["a"], "detail": {"kind": ["x"]}})
    second.add_rule("two", {"source": ["b"], "detail": {"kind": ["y"]}})
    assert first.match({"source": "a", "detail": {"kind": "x"}}) == ["one"]
    assert second.match({"source": "a", "detail": {"kind": "x"}}) == []
    assert second.match({"source": "b", "detail": {"kind": "y"}}) == ["two"]
    assert first.match({"source": "b", "detail": {"kind": "y"}}) == []
