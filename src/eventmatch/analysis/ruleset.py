"""Analysing a rule set before it ships: what never matches, what matches everything, what is written
twice, what duplicates, is subsumed by or overlaps another rule, and what a sample of events misses.

Pairwise questions are asked of candidates only, found with one :class:`~eventmatch.Machine` of all the
rules: a rule A can only be within a rule B (every event that matches A matches B) when B matches each
of A's example events, so ``Machine.match`` of A's examples gives every candidate B at once, and a rule
of an exclusive group that matches another member's example overlaps it, with that example as witness.
Other members of an exclusive group are compared pair by pair (:func:`~.relations.overlap`). Each pair
question gets its own step budget; one it cannot settle is reported as unknown.

Rules of different *groups* (EventBridge patterns and SNS policies; patterns of different services)
never see the same events and are not compared.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from ..events import parse_event
from ..explain import explain
from ..flatten import PathSet, flatten
from ..ir import Condition, Rule
from ..machine import Machine
from ..pattern import Pattern
from ..reference import witness
from .budget import DEFAULT_STEPS, Budget, Unknown
from .conditions import describe
from .examples import dead_condition, rule_examples, world_of
from .messages import MARKERS
from .normal_form import normal_form
from .overrides import overridden
from .relations import overlap, rule_within, universal_alternative
from .worlds import World

__all__ = ["NEAREST_AMONG", "Exclusive", "FindingKind", "RuleFinding", "Sample", "Subject", "analyze"]

#: The nearest miss of a rule the sample never matches is looked for among this many sample events.
NEAREST_AMONG: Final = 1000


class FindingKind(enum.Enum):
    """What was found about a rule."""

    NEVER = "never-matches"
    DEAD_ALTERNATIVE = "dead-alternative"
    EVERY = "matches-everything"
    OVERRIDDEN = "overridden-condition"
    DUPLICATE = "duplicate"
    SUBSUMED = "subsumed"
    OVERLAP = "overlap"
    UNMATCHED = "unmatched-in-sample"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Subject:
    """A rule to analyse: its IR, whether it is an SNS policy, its group (rules of different groups see
    different events) and the pattern as written (for overridden conditions; None when not known)."""

    name: str
    rule: Rule
    sns: bool = False
    group: str = ""
    written: object = None


@dataclass(frozen=True, slots=True)
class Exclusive:
    """Rules (indexes into the subjects) meant never to match the same event, and why (``label``, e.g.
    the target they are routed to)."""

    label: str
    members: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Sample:
    """A sample event: where it comes from (``events.jsonl:3``), the event it is matched as (a dict or
    JSON text; for an SNS message, the event :func:`~eventmatch.sns.message_event` makes), and what to
    show (the event, or the message)."""

    label: str
    event: object
    shown: Any


@dataclass(frozen=True, slots=True)
class RuleFinding:
    """One finding about the subject at index ``subject``: the other rules it is about (``others``) and
    an event that shows it (an overlap's witness, a nearest miss), when there is one."""

    kind: FindingKind
    subject: int
    message: str
    others: tuple[int, ...] = ()
    event: Any = None


@dataclass(slots=True)
class _Facts:
    """What is worked out once per rule."""

    world: World
    live: Rule
    dead: list[tuple[int, Condition]]  # each dead alternative's position, and a condition no event meets
    universal: bool = False
    examples: list[Any] = field(default_factory=list)
    form: Hashable = None


class _Analysis:
    def __init__(self, subjects: Sequence[Subject], steps: int) -> None:
        self.subjects = subjects
        self.steps = steps
        self.findings: list[RuleFinding] = []
        self.facts = [self.facts_of(index, subject) for index, subject in enumerate(subjects)]

    def budget(self) -> Budget:
        return Budget(self.steps)

    def add(
        self, kind: FindingKind, subject: int, message: str, others: Sequence[int] = (), event: Any = None
    ) -> None:
        self.findings.append(RuleFinding(kind, subject, message, tuple(others), event))

    def name(self, index: int) -> str:
        return self.subjects[index].name

    # -- one rule at a time ------------------------------------------------------------------------------

    def facts_of(self, index: int, subject: Subject) -> _Facts:
        # Leaves for one test at a time take a step or two each: not a question for the user's budget.
        budget = Budget()
        world = world_of(subject.rule, subject.sns)
        live, dead = [], []
        for position, alternative in enumerate(subject.rule):
            condition = dead_condition(alternative, budget)
            if condition is None:
                live.append(alternative)
            else:
                dead.append((position, condition))
        facts = _Facts(world, tuple(live), dead)
        self.report_dead(index, facts)
        for override in overridden(subject.written) if subject.written is not None else ():
            self.add(FindingKind.OVERRIDDEN, index, str(override))
        if live:
            facts.universal = self.report_universal(index, facts)
            facts.examples = rule_examples(facts.live, world, budget)
            facts.form = (subject.sns, subject.group, normal_form(facts.live, world, self.budget()))
        return facts

    def report_dead(self, index: int, facts: _Facts) -> None:
        total = len(self.subjects[index].rule)
        place = facts.world.place
        texts = [
            f"{place(condition.path)}: no value passes {describe(condition)}" for _, condition in facts.dead
        ]
        if not facts.live:
            named = (
                texts[0]
                if total == 1
                else f"none of its {total} $or alternatives can match: " + "; ".join(texts)
            )
            self.add(FindingKind.NEVER, index, f"never matches: {named}")
            return
        for (position, _), text in zip(facts.dead, texts, strict=True):
            self.add(
                FindingKind.DEAD_ALTERNATIVE,
                index,
                f"$or alternative {position + 1} of {total} never matches: {text}",
            )

    def report_universal(self, index: int, facts: _Facts) -> bool:
        ways: list[tuple[tuple[str, ...], str]] = [((), "every event")]
        if self.subjects[index].sns:
            ways = [((), "every message"), *(((path,), text) for path, text in MARKERS.items())]
        try:
            for ignored, text in ways:
                found = universal_alternative(facts.live, facts.world, self.budget(), ignored)
                if found is not None:
                    shown = [c for c in found if c.path not in ignored]
                    why = (
                        "; ".join(f"{facts.world.place(c.path)}: {describe(c)}" for c in shown)
                        or "no conditions"
                    )
                    self.add(FindingKind.EVERY, index, f"matches {text} ({why})")
                    return not ignored
        except Unknown:
            self.add(
                FindingKind.UNKNOWN, index, "unknown whether it matches every event (the step budget ran out)"
            )
        return False

    # -- pairs ---------------------------------------------------------------------------------------------

    def groups(self) -> dict[tuple[bool, str], list[int]]:
        groups: dict[tuple[bool, str], list[int]] = {}
        for index, subject in enumerate(self.subjects):
            if self.facts[index].live:
                groups.setdefault((subject.sns, subject.group), []).append(index)
        return groups

    def matched(self, members: list[int]) -> dict[int, list[set[int]]]:
        """For each member, the members each of its examples matches, by one machine of them all."""
        machine = Machine()
        machine.add_rules((str(index), Pattern(self.facts[index].live)) for index in members)
        matched = {}
        for index in members:
            facts = self.facts[index]
            events = [facts.world.event(example) for example in facts.examples]
            matched[index] = [{int(name) for name in names} for names in machine.match_many(events)]
        return matched

    def duplicates_and_subsumed(self, members: list[int], matched: dict[int, list[set[int]]]) -> None:
        # Rules of one normal form have one meaning: the first stands for all of them, so that only
        # the first rule of each form is compared with the others.
        forms: dict[Hashable, int] = {}
        first = {index: forms.setdefault(self.facts[index].form, index) for index in members}
        within: dict[int, set[int]] = {}
        for index in sorted(set(first.values())):
            facts = self.facts[index]
            if facts.universal:
                continue
            candidates = {first[other] for other in set.intersection(*matched[index])} - {index}
            for other in sorted(candidates):
                if self.facts[other].universal:
                    continue
                try:
                    if rule_within(facts.live, self.facts[other].live, facts.world, self.budget()):
                        within.setdefault(index, set()).add(other)
                except Unknown:
                    self.add(
                        FindingKind.UNKNOWN,
                        index,
                        f"unknown whether it is subsumed by {self.name(other)} (the step budget ran out)",
                        [other],
                    )
        meaning = _Meanings(first)
        for index, others in within.items():
            for other in others:
                if index in within.get(other, ()):  # each within the other: one meaning
                    meaning.join(index, other)
        wider: dict[int, set[int]] = {}
        for index, others in within.items():
            wider.setdefault(meaning.of(index), set()).update(meaning.of(other) for other in others)
        what = {
            False: "every event it matches, they match too",
            True: "every message it accepts, they do too",
        }
        for index in members:
            root = meaning.of(index)
            if root != index:
                message = f"duplicate of {self.name(root)}: the same meaning"
                self.add(FindingKind.DUPLICATE, index, message, [root])
                continue
            bigger = sorted(wider.get(index, set()) - {index})
            if bigger:
                names = ", ".join(self.name(other) for other in bigger)
                message = f"subsumed by {names}: {what[self.subjects[index].sns]}"
                self.add(FindingKind.SUBSUMED, index, message, bigger)

    def overlaps(self, exclusive: Sequence[Exclusive], matched: dict[int, list[set[int]]]) -> None:
        seen: set[tuple[int, int]] = set()
        for group in exclusive:
            members = sorted({index for index in group.members if self.facts[index].live})
            for position, first in enumerate(members):
                for second in members[position + 1 :]:
                    same_world = (self.subjects[first].sns, self.subjects[first].group) == (
                        self.subjects[second].sns,
                        self.subjects[second].group,
                    )
                    if (first, second) in seen or not same_world:
                        continue
                    seen.add((first, second))
                    self.overlap(first, second, group.label, matched)

    def overlap(self, first: int, second: int, label: str, matched: dict[int, list[set[int]]]) -> None:
        shown = None
        for one, other in ((first, second), (second, first)):
            for example, names in zip(self.facts[one].examples, matched.get(one, []), strict=True):
                if other in names and shown is None:
                    shown = example
        if shown is None:
            rules = (self.facts[first].live, self.facts[second].live)
            world = world_of(rules[0] + rules[1], self.subjects[first].sns)
            try:
                found = overlap(*rules, world, self.budget())
            except Unknown:
                message = (
                    f"unknown whether it overlaps {self.name(second)} ({label}; the step budget ran out)"
                )
                self.add(FindingKind.UNKNOWN, first, message, [second])
                return
            if found is None:
                return
            shown = world.render(found)
        message = f"overlaps {self.name(second)} ({label}): an event that matches both"
        self.add(FindingKind.OVERLAP, first, message, [second], shown)

    # -- a sample of events --------------------------------------------------------------------------------

    def unmatched(self, sample: Sequence[Sample], sns: bool) -> None:
        members = [
            index
            for index, subject in enumerate(self.subjects)
            if subject.sns == sns and self.facts[index].live
        ]
        if not members or not sample:
            return
        machine = Machine()
        machine.add_rules((str(index), Pattern(self.facts[index].live)) for index in members)
        hit = {int(name) for names in machine.match_many([item.event for item in sample]) for name in names}
        missed = [index for index in members if index not in hit]
        nearby = sample[:NEAREST_AMONG]
        paths = PathSet(
            c.path for index in missed for alternative in self.facts[index].live for c in alternative
        )
        leaves = [flatten(parse_event(item.event), paths) for item in nearby]
        for index in missed:
            facts = self.facts[index]
            scores = [_misses(facts.live, event_leaves) for event_leaves in leaves]
            nearest = min(range(len(scores)), key=scores.__getitem__)
            item = nearby[nearest]
            explanation = explain(Pattern(facts.live), item.event)
            alternative = min(explanation.alternatives, key=lambda alt: alt.failures)
            failing = "; ".join(
                f"{facts.world.place(condition.path)}: {condition.note}"
                f" (tests: {' | '.join(condition.tests)})"
                for condition in alternative.conditions
                if not condition.passed
            )
            message = (
                f"matched none of the {len(sample)} sample events;"
                f" the nearest miss is {item.label}: {failing}"
            )
            self.add(FindingKind.UNMATCHED, index, message, event=item.shown)


class _Meanings:
    """Rules grouped by meaning (union-find), each group named by its first rule."""

    def __init__(self, first: dict[int, int]) -> None:
        self.parent = dict(first)

    def of(self, index: int) -> int:
        """The first rule of ``index``'s meaning."""
        while self.parent[index] != index:
            self.parent[index] = self.parent[self.parent[index]]
            index = self.parent[index]
        return index

    def join(self, one: int, other: int) -> None:
        """Record that two rules mean the same."""
        roots = sorted((self.of(one), self.of(other)))
        self.parent[roots[1]] = roots[0]


def _misses(rule: Rule, leaves: Mapping[str, Any]) -> int:
    """How far an event is from matching: the fewest conditions of an alternative that fail on their
    own (one, when each holds alone but not together)."""
    best = None
    for alternative in rule:
        failing = sum(witness((condition,), leaves) is None for condition in alternative)
        if not failing and witness(alternative, leaves) is None:
            failing = 1
        best = failing if best is None else min(best, failing)
    return best or 0


def analyze(
    subjects: Sequence[Subject],
    exclusive: Sequence[Exclusive] = (),
    sample: Sequence[Sample] = (),
    *,
    sample_sns: bool = False,
    steps: int = DEFAULT_STEPS,
) -> list[RuleFinding]:
    """Every finding about ``subjects``: per rule, in the order above (see :class:`FindingKind`).

    ``exclusive`` groups are checked for overlaps; ``sample`` events (SNS messages with
    ``sample_sns``) are matched to find the rules they all miss. ``steps`` is the budget of each
    question about a rule or a pair of rules.
    """
    analysis = _Analysis(subjects, steps)
    matched: dict[int, list[set[int]]] = {}
    for members in analysis.groups().values():
        group_matched = analysis.matched(members)
        matched.update(group_matched)
        analysis.duplicates_and_subsumed(members, group_matched)
    analysis.overlaps(exclusive, matched)
    analysis.unmatched(sample, sample_sns)
    order = list(FindingKind)
    return sorted(analysis.findings, key=lambda finding: (finding.subject, order.index(finding.kind)))
