"""Safe YAML loading that remembers the line of every key and list item.

Instructors edit these files by hand, so every error must name a line. The
loader builds plain dicts and lists (subclasses that carry line numbers), only
from YAML's safe tags, refuses aliases (no "billion laughs") and refuses files
too large to be hand-written content.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .errors import ContentError

MAX_FILE_BYTES = 2 * 1024 * 1024


class LineDict(dict):
    """A mapping from a YAML file; ``line`` is where it starts, ``key_lines`` where each key is."""

    line: int = 0
    key_lines: dict

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A sequence from a YAML file; ``item_lines[i]`` is the line of item ``i``."""

    line: int = 0
    item_lines: list

    def line_of(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


class _Loader(yaml.SafeLoader):
    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                "while reading the file",
                None,
                "aliases (*name) are not allowed in content files; write the value out",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    result = LineDict()
    result.line = node.start_mark.line + 1
    result.key_lines = {}
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            raise yaml.MarkedYAMLError(
                "while reading a mapping", None, f"the key '{key}' appears twice", key_node.start_mark
            )
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LineList:
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.item_lines = [child.start_mark.line + 1 for child in node.value]
    return result


def _construct_timestamp_as_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    # Dates like 2023-12-21 stay text: the manifest stores what the source says, not a datetime.
    return loader.construct_scalar(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)


def parse_yaml(text: str, filename: str) -> tuple[object | None, list[ContentError]]:
    """Parse YAML text; return the data (or None) and the errors that stopped it."""
    try:
        return yaml.load(text, Loader=_Loader), []  # noqa: S506 - _Loader derives from SafeLoader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problem = error.problem or error.context or "the file is not valid YAML"
        if isinstance(error, yaml.constructor.ConstructorError) and "could not determine a constructor" in str(error):
            problem = f"the tag {error.problem.split('tag')[-1].strip()} is not allowed; content files hold only plain text, numbers, lists and mappings"
        return None, [ContentError(filename, line, f"YAML syntax error: {problem}")]
    except yaml.YAMLError as error:
        return None, [ContentError(filename, 1, f"YAML syntax error: {error}")]


def read_yaml_file(path: Path, display_name: str) -> tuple[object | None, list[ContentError]]:
    """Read and parse one content file, refusing oversized or non-UTF-8 files with a clear error."""
    try:
        size = path.stat().st_size
    except OSError as error:
        return None, [ContentError(display_name, 1, f"cannot read the file: {error.strerror}")]
    if size > MAX_FILE_BYTES:
        return None, [
            ContentError(
                display_name,
                1,
                f"the file is {size // 1024} KiB; content files may be at most "
                f"{MAX_FILE_BYTES // 1024} KiB (split it into several quizzes)",
            )
        ]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return None, [
            ContentError(display_name, 1, f"the file is not UTF-8 text (byte {error.start}); save it as UTF-8")
        ]
    return parse_yaml(text, display_name)
