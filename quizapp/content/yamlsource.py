"""Safe YAML loading that remembers the line of every key and list item.

Instructors edit these files by hand, so every error must name a line. The
loader builds plain dicts and lists (subclasses that carry line numbers), only
from YAML's safe tags, refuses aliases (no "billion laughs") and refuses files
too large to be hand-written content.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from .errors import ContentError

MAX_FILE_BYTES = 2 * 1024 * 1024
# Quizzes need four or five levels; a deeper file is a mistake or an attack, and would
# otherwise exhaust Python's recursion limit while it is read.
MAX_NESTING = 40
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Larger numbers fit no database column; no quiz setting comes near them.
MAX_INTEGER = 10**15
_QUOTED_TAG = re.compile(r"'([^']+)'")


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
    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                "while reading the file",
                None,
                "aliases (*name) are not allowed in content files; write the value out",
                event.start_mark,
            )
        if self._depth >= MAX_NESTING:
            raise yaml.MarkedYAMLError(
                "while reading the file",
                None,
                f"lists and mappings are nested more than {MAX_NESTING} levels deep here; "
                "a quiz needs only a few levels",
                self.peek_event().start_mark,
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


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
                "while reading a mapping",
                None,
                f"the key '{key}' appears twice",
                key_node.start_mark,
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


def _construct_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    text = loader.construct_scalar(node)
    if _SURROGATE.search(text):
        # An escape such as "\\ud800" is half a character: it cannot be stored as UTF-8.
        raise yaml.constructor.ConstructorError(
            None,
            None,
            "the text holds an escaped surrogate (\\ud800 to \\udfff), which is not a character; "
            "type the character itself",
            node.start_mark,
        )
    control = _CONTROL.search(text)
    if control:
        # Only an escape ("\\x00", "\\a") can put one here; it would show as garbage on the page.
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"the text holds the control character #x{ord(control.group()):04x}; delete the escape",
            node.start_mark,
        )
    return text


def _construct_integer(loader: _Loader, node: yaml.ScalarNode) -> int:
    try:
        number = yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    except ValueError:  # more digits than Python converts
        number = None
    if number is None or abs(number) >= MAX_INTEGER:
        raise yaml.constructor.ConstructorError(
            None, None, "this number is far too large; no quiz setting needs it", node.start_mark
        )
    return number


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)
_Loader.add_constructor("tag:yaml.org,2002:str", _construct_text)
_Loader.add_constructor("tag:yaml.org,2002:int", _construct_integer)


def _tag_refused(problem: str) -> str:
    quoted = _QUOTED_TAG.search(problem)
    tag = quoted.group(1) if quoted else "used here"
    if tag.startswith("tag:yaml.org,2002:"):
        tag = "!!" + tag.removeprefix("tag:yaml.org,2002:")
    return f"the tag {tag} is not allowed; content files hold only plain text, numbers, lists and mappings"


def parse_yaml(text: str, filename: str) -> tuple[object | None, list[ContentError]]:
    """Parse YAML text; return the data (or None) and the errors that stopped it."""
    try:
        return yaml.load(text, Loader=_Loader), []  # noqa: S506 - _Loader derives from SafeLoader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problem = error.problem or error.context or "the file is not valid YAML"
        if isinstance(error, yaml.constructor.ConstructorError) and "could not determine a constructor" in str(error):
            problem = _tag_refused(error.problem or "")
        return None, [ContentError(filename, line, f"YAML syntax error: {problem}")]
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        return None, [
            ContentError(
                filename,
                line,
                f"the character #x{error.character:04x} (a control character) is not allowed "
                "in a content file; delete it",
            )
        ]
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
            ContentError(
                display_name,
                1,
                f"the file is not UTF-8 text (byte {error.start}); save it as UTF-8",
            )
        ]
    except OSError as error:
        return None, [ContentError(display_name, 1, f"cannot read the file: {error.strerror}")]
    return parse_yaml(text, display_name)
