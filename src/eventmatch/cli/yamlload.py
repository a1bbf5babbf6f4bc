"""Reading CloudFormation / SAM templates written in YAML.

:class:`TemplateLoader` is PyYAML's ``SafeLoader`` with three changes:

* any local tag is accepted and read as CloudFormation's long form: ``!Ref X`` is ``{"Ref": "X"}``,
  ``!Condition X`` is ``{"Condition": "X"}`` and every other ``!Name v`` is ``{"Fn::Name": v}``, so that
  ``!Sub``, ``!GetAtt``, ``!If``, ``!Join`` ... need no list of their own;
* mappings are :class:`~.located.LocatedDict`, which keep the line and column where each key is written;
* keys are kept as the text they were written as (YAML 1.1 would read ``on:`` as ``True``) and dates stay
  strings, as they do in JSON.

:func:`load_yaml` also refuses a document whose aliases would expand it far beyond what is written
(:class:`AliasExpansionError`): PyYAML shares an aliased value rather than copying it, but whoever
walks the document visits it once per alias, and nine levels of nine aliases ("billion laughs") make
387 million values out of a few lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Final

import yaml

from .located import DocumentSyntaxError, LocatedDict, Position

__all__ = ["ALIAS_RATIO", "MIN_NODE_BUDGET", "AliasExpansionError", "TemplateLoader", "load_yaml"]

#: With its aliases expanded, a document may have this many times the nodes written in it ...
ALIAS_RATIO: Final = 10
#: ... or this many nodes, whichever is more.
MIN_NODE_BUDGET: Final = 100_000

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SEQUENCE = "tag:yaml.org,2002:seq"
_MAPPING = "tag:yaml.org,2002:map"


class TemplateLoader(yaml.SafeLoader):
    """A SafeLoader for CloudFormation templates: short-form tags, positions, keys as written."""


TemplateLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class AliasExpansionError(ValueError):
    """A YAML document whose aliases expand it beyond the node budget, or into itself."""


def _children(node: yaml.Node) -> Iterable[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return node.value  # type: ignore[no-any-return]
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]  # a merge key's value counts in full
    return ()


def _check_expansion(root: yaml.Node) -> None:
    """Refuse (:class:`AliasExpansionError`) a document that, with its aliases expanded, has more than
    :data:`ALIAS_RATIO` times its written nodes and more than :data:`MIN_NODE_BUDGET` nodes.

    Each written node's expanded size is counted once (aliases are shared nodes), in a walk without
    recursion, so that this takes time in proportion to what is written.
    """
    sizes: dict[int, int] = {}  # id of a node: its size with aliases expanded
    open_nodes: set[int] = set()  # the nodes whose children are being counted
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, counted = stack.pop()
        key = id(node)
        if counted:
            open_nodes.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
        elif key in open_nodes:
            raise AliasExpansionError("a YAML alias refers to a node that holds it")
        elif key not in sizes:
            open_nodes.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node))
    budget = max(MIN_NODE_BUDGET, ALIAS_RATIO * len(sizes))
    if sizes[id(root)] > budget:
        raise AliasExpansionError(f"its YAML aliases expand its {len(sizes):,} nodes to more than {budget:,}")


def _position(node: yaml.Node) -> Position:
    return Position(node.start_mark.line + 1, node.start_mark.column + 1)


def _key_text(loader: TemplateLoader, node: yaml.Node) -> str:
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    return str(loader.construct_object(node, deep=True))


def _construct_mapping(loader: TemplateLoader, node: yaml.MappingNode) -> Iterator[LocatedDict]:
    data = LocatedDict()
    yield data
    loader.flatten_mapping(node)  # resolves "<<" merge keys
    for key_node, value_node in node.value:
        data.add(
            _key_text(loader, key_node), loader.construct_object(value_node, deep=True), _position(key_node)
        )


def _construct_tagged(loader: TemplateLoader, tag: str, node: yaml.Node) -> LocatedDict:
    name = tag if tag in ("Ref", "Condition") else f"Fn::{tag}"
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_object(yaml.SequenceNode(_SEQUENCE, node.value), deep=True)
    else:
        value = loader.construct_object(yaml.MappingNode(_MAPPING, node.value), deep=True)
    result = LocatedDict()
    result.add(name, value, _position(node))
    return result


TemplateLoader.add_constructor(_MAPPING, _construct_mapping)
TemplateLoader.add_multi_constructor("!", _construct_tagged)


def load_yaml(text: str) -> Any:
    """Parse one YAML document; :class:`~.located.DocumentSyntaxError` if it is malformed,
    :class:`AliasExpansionError` if its aliases expand it too far (:func:`_check_expansion`)."""
    try:
        loader = TemplateLoader(text)  # what yaml.load does, with the check between composing and building
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            _check_expansion(node)
            return loader.construct_document(node)
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise DocumentSyntaxError(exc.problem or str(exc), line, column) from None
    except yaml.YAMLError as exc:
        raise DocumentSyntaxError(str(exc), 1, 1) from None
    except RecursionError:
        raise DocumentSyntaxError("YAML is nested too deeply", 1, 1) from None
