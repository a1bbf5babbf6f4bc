"""Property tests: SNS routing through one Machine against the reference interpreter."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import eventmatch
from eventmatch.flatten import PathSet, flatten
from eventmatch.reference import rule_matches
from eventmatch.sns import compile_policy_rule, message_event

from .strategies import bodies, filter_policies, message_attributes

subscriptions = st.lists(
    st.tuples(
        st.sampled_from([f"s{i}" for i in range(20)]),
        st.sampled_from(["MessageAttributes", "MessageBody"]).flatmap(
            lambda scope: st.tuples(st.just(scope), filter_policies(scope))
        ),
    ),
    min_size=1,
    max_size=60,
)


@settings(max_examples=1000)
@given(subs=subscriptions, attributes=message_attributes, body=bodies)
def test_machine_routes_messages_like_the_reference(
    subs: list[tuple[str, tuple[str, dict[str, Any]]]], attributes: dict[str, Any], body: Any
) -> None:
    machine = eventmatch.Machine()
    compiled = []
    for name, (scope, policy) in subs:
        machine.add_filter_policy(name, policy, scope)
        compiled.append((name, compile_policy_rule(policy, scope)))
    event = message_event(attributes, json.dumps(body) if not isinstance(body, str) else body)
    paths = PathSet(
        condition.path for _, rule in compiled for alternative in rule for condition in alternative
    )
    leaves = flatten(event, paths)
    expected = sorted({name for name, rule in compiled if rule_matches(rule, leaves)})
    assert machine.match_message(attributes, body if isinstance(body, str) else json.dumps(body)) == expected


@settings(max_examples=500)
@given(scope=st.sampled_from(["MessageAttributes", "MessageBody"]), data=st.data())
def test_filter_policy_agrees_with_a_one_policy_machine(scope: str, data: st.DataObject) -> None:
    policy = data.draw(filter_policies(scope))
    attributes = data.draw(message_attributes)
    body = json.dumps(data.draw(bodies))
    machine = eventmatch.Machine()
    machine.add_filter_policy("s", policy, scope)
    assert eventmatch.compile_filter_policy(policy, scope).matches(attributes, body) == bool(
        machine.match_message(attributes, body)
    )
