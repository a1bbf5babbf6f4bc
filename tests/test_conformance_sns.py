"""The shared SNS filter-policy conformance corpus (AWS recordings, AWS docs, generated cases).

Every case must agree, through ``compile_filter_policy`` and through a Machine, except those
``docs/deviations.md`` lists. Skips cleanly when ``../shared`` is absent.
"""

from __future__ import annotations

from typing import Any

import pytest

import eventmatch

from . import conformance

pytestmark = pytest.mark.skipif(not conformance.available(), reason=conformance.MISSING_REASON)

CASES = [conformance.case(line) for line in conformance.lines("sns")]
MATCH_CASES = [case for case in CASES if "messages" in case]
VALIDATION_CASES = [case for case in CASES if "valid" in case]
DEVIATIONS = conformance.documented_deviations()


def _message(message: dict[str, Any]) -> dict[str, Any]:
    return {"message_attributes": message.get("attributes"), "body": message.get("body")}


def _check(case_id: str, wrong: list[str]) -> None:
    if case_id in DEVIATIONS:
        assert wrong, f"{case_id} now agrees with the reference: remove it from docs/deviations.md"
    else:
        assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("case", MATCH_CASES, ids=lambda case: case["id"])
def test_match_case_through_compile_filter_policy(case: dict[str, Any]) -> None:
    policy = eventmatch.compile_filter_policy(case["policy"], case["scope"])
    got = [policy.matches(**_message(message)) for message in case["messages"]]
    _check(case["id"], [f"expected {case['expected']}, got {got}"] if got != case["expected"] else [])


@pytest.mark.parametrize("case", MATCH_CASES, ids=lambda case: case["id"])
def test_match_case_through_a_machine(case: dict[str, Any]) -> None:
    machine = eventmatch.Machine()
    machine.add_filter_policy("subscription", case["policy"], case["scope"])
    got = [machine.match_message(**_message(message)) == ["subscription"] for message in case["messages"]]
    _check(case["id"], [f"expected {case['expected']}, got {got}"] if got != case["expected"] else [])


def _validation_outcome(case: dict[str, Any]) -> list[str]:
    try:
        eventmatch.compile_filter_policy(case["policy"], case["scope"])
    except eventmatch.InvalidFilterPolicyError as error:
        if case["valid"]:
            return [f"rejected ({error.reason}) but AWS accepts it"]
        expected = case.get("aws_error")
        if expected and expected.startswith("failed to parse JSON."):
            ok = error.reason.startswith("failed to parse JSON.")
        else:
            ok = not expected or error.reason == expected
        return [] if ok else [f"reason {error.reason!r}, AWS's is {expected!r}"]
    return [] if case["valid"] else [f"accepted, but AWS rejects it: {case.get('aws_error')}"]


@pytest.mark.parametrize("case", VALIDATION_CASES, ids=lambda case: case["id"])
def test_validation_case(case: dict[str, Any]) -> None:
    _check(case["id"], _validation_outcome(case))


@pytest.mark.parametrize("case", VALIDATION_CASES, ids=lambda case: case["id"])
def test_invalid_policy_leaves_a_machine_unchanged(case: dict[str, Any]) -> None:
    machine = eventmatch.Machine()
    try:
        machine.add_filter_policy("subscription", case["policy"], case["scope"])
    except eventmatch.InvalidFilterPolicyError:
        assert machine == eventmatch.Machine()
    else:
        assert "subscription" in machine
