"""Reading CloudFormation / SAM templates written in YAML (needs PyYAML: the ``yaml`` extra).

:class:`TemplateLoader` is PyYAML's ``SafeLoader`` with three changes:

* any local tag is accepted and read as CloudFormation's long form: ``!Ref X`` is ``{"Ref": "X"}``,
  ``!Condition X`` is ``{"Condition": "X"}`` and every other ``!Name v`` is ``{"Fn::Name": v}``, so that
  ``!Sub``, ``!GetAtt``, ``!If``, ``!Join`` ... need no list of their own;
* mappings are :class:`~.located.LocatedDict`, which keep the line and column where each key is written;
* keys are kept as the text they were written as (YAML 1.1 would read ``on:`` as ``True``) and dates stay
  strings, as they do in JSON.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from .located import DocumentSyntaxError, LocatedDict, Position

__all__ = ["TemplateLoader", "load_yaml"]

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_SEQUENCE = "tag:yaml.org,2002:seq"
_MAPPING = "tag:yaml.org,2002:map"


class TemplateLoader(yaml.SafeLoader):
    """A SafeLoader for CloudFormation templates: short-form tags, positions, keys as written."""


TemplateLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


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
    """Parse one YAML document; :class:`~.located.DocumentSyntaxError` if it is malformed."""
    try:
        return yaml.load(text, Loader=TemplateLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise DocumentSyntaxError(exc.problem or str(exc), line, column) from None
    except yaml.YAMLError as exc:
        raise DocumentSyntaxError(str(exc), 1, 1) from None
    except RecursionError:
        raise DocumentSyntaxError("YAML is nested too deeply", 1, 1) from None
