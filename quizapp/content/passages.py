"""The passage manifest (``seeds/passages.yaml``) and the cleaning of raw seed articles.

Seed files are kept byte for byte as received; everything that is not the
article's own text is removed here, by rules written in the manifest.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ContentError
from .text import normalise_quotes_and_space, split_sentences
from .yamlsource import LineDict, LineList, read_yaml_file

MANIFEST_NAME = "passages.yaml"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
GENRES = ("news-report", "news-analysis", "opinion", "essay")
PUBLISHED = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
NOT_STATED = "not stated in the source"
WORDS_PER_MINUTE = 230

PASSAGE_KEYS = {
    "id": "required",
    "file": "required",
    "title": "required",
    "outlet": "optional",
    "author": "optional",
    "published": "optional",
    "genre": "required",
    "note": "optional",
    "drop": "optional",
    "standfirst": "optional",
    "pull_quotes": "optional",
}
DROP_KINDS = ("line", "match", "from", "until")


@dataclass
class Passage:
    """A cleaned article: metadata plus numbered paragraphs, each a list of sentences."""

    id: str
    file: str
    title: str
    genre: str
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    note: str | None = None
    standfirst: str | None = None
    pull_quotes: list[str] = field(default_factory=list)
    paragraphs: list[list[str]] = field(default_factory=list)

    @property
    def sentences(self) -> list[str]:
        return [sentence for paragraph in self.paragraphs for sentence in paragraph]

    @property
    def word_count(self) -> int:
        return sum(len(sentence.split()) for sentence in self.sentences)

    @property
    def reading_minutes(self) -> int:
        return max(1, math.ceil(self.word_count / WORDS_PER_MINUTE))

    def sentences_touched_by(self, quote: str) -> list[int]:
        """Return the 1-based numbers of the sentences a verbatim quote overlaps, or [] if absent.

        Only differences of white space and of curly vs straight quotes are ignored.
        """
        needle = normalise_quotes_and_space(quote)
        if not needle:
            return []
        spans, text = self._normalised_spans()
        start = text.find(needle)
        if start < 0:
            return []
        end = start + len(needle)
        return [number for number, (s, e) in enumerate(spans, start=1) if s < end and e > start]

    def _normalised_spans(self) -> tuple[list[tuple[int, int]], str]:
        spans = []
        parts = []
        offset = 0
        for sentence in self.sentences:
            normal = normalise_quotes_and_space(sentence)
            spans.append((offset, offset + len(normal)))
            parts.append(normal)
            offset += len(normal) + 1
        return spans, " ".join(parts)


# --- cleaning ---------------------------------------------------------------------------

_MARKDOWN_RULES = [
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\s*\*{0,2}\(<https?://[^>]*>\)\*{0,2}"), ""),  # bare link targets "(<url>)"
    (re.compile(r"\[([^\]]*?)\s*\\\(\S*?\\\)\]\([^)]*\)"), r"\1"),  # [text \(url\)](target)
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # [text](target)
    (re.compile(r"^\s*#{1,6}\s*"), ""),  # headings
    (re.compile(r"^\s*>\s*"), ""),  # block quotes
    (re.compile(r"\*\*|__"), ""),  # bold
    (re.compile(r"(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])"), ""),  # italics
    (re.compile(r"\\([()\[\]*_#])"), r"\1"),  # escaped punctuation
    (re.compile(r"\s*[❖■]\s*$"), ""),  # end-of-article marks
]
_ENDS_PARAGRAPH = re.compile(r"""[.?!…:;"'”’)\]]$""")
_CONTINUES_PARAGRAPH = re.compile(r"^[a-z,;:—–)]")


def strip_markdown(line: str) -> str:
    """Remove markdown markup and link targets, keeping the words a reader sees."""
    for pattern, replacement in _MARKDOWN_RULES:
        line = pattern.sub(replacement, line)
    return re.sub(r"[ \t\u00a0\u2009\u202f]+", " ", line).strip()  # no-break and thin spaces too


def _join(previous: str, current: str) -> str:
    glue = "" if current[:1] in ",;:)" else " "
    return previous + glue + current


def clean_lines(lines: list[str]) -> list[str]:
    """Turn kept raw lines into paragraphs, mending paragraphs that the source broke in two."""
    paragraphs: list[str] = []
    for raw in lines:
        text = strip_markdown(raw)
        if not text:
            continue
        if paragraphs and not _ENDS_PARAGRAPH.search(paragraphs[-1]) and _CONTINUES_PARAGRAPH.match(text):
            paragraphs[-1] = _join(paragraphs[-1], text)
        else:
            paragraphs.append(text)
    return paragraphs


# --- manifest ---------------------------------------------------------------------------


@dataclass
class _DropRules:
    lines: set[int] = field(default_factory=set)
    matches: list[re.Pattern] = field(default_factory=list)
    from_patterns: list[re.Pattern] = field(default_factory=list)
    until_patterns: list[re.Pattern] = field(default_factory=list)


def _compile(pattern: object, where: str, line: int, errors: list[ContentError], field_name: str):
    if not isinstance(pattern, str):
        errors.append(ContentError(where, line, f"{field_name}: expected a regular expression in quotes"))
        return None
    try:
        return re.compile(pattern)
    except re.error as error:
        errors.append(
            ContentError(where, line, f"{field_name}: '{pattern}' is not a valid regular expression ({error.msg})")
        )
        return None


def _text_or_none(entry: LineDict, key: str, where: str, errors: list[ContentError]) -> str | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        text = str(value).strip()
        return text or None
    errors.append(ContentError(where, entry.line_of(key), f"{key}: expected text, got {type(value).__name__}"))
    return None


def _parse_drop(entry: LineDict, where: str, errors: list[ContentError]) -> _DropRules:
    rules = _DropRules()
    drops = entry.get("drop")
    if drops is None:
        return rules
    if not isinstance(drops, LineList):
        errors.append(
            ContentError(
                where,
                entry.line_of("drop"),
                "drop: expected a list of rules (- line: N, - match: REGEX or - from: REGEX)",
            )
        )
        return rules
    for index, rule in enumerate(drops):
        line = drops.line_of(index)
        if not isinstance(rule, LineDict) or len(rule) != 1:
            errors.append(
                ContentError(
                    where,
                    line,
                    "drop: each rule is exactly one of 'line: N', 'match: REGEX', 'from: REGEX', 'until: REGEX'",
                )
            )
            continue
        ((kind, value),) = rule.items()
        if kind not in DROP_KINDS:
            errors.append(ContentError(where, line, f"drop: unknown rule '{kind}' (use line, match, from or until)"))
        elif kind == "line":
            if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
                rules.lines.add(value)
            else:
                errors.append(ContentError(where, line, "drop: 'line' needs a line number of 1 or more"))
        else:
            pattern = _compile(value, where, line, errors, f"drop {kind}")
            if pattern is not None:
                target = {"match": rules.matches, "from": rules.from_patterns, "until": rules.until_patterns}
                target[kind].append(pattern)
    return rules


def _select_lines(
    raw_lines: list[str], rules: _DropRules, standfirst, pull_quotes
) -> tuple[list[str], str | None, list[str]]:
    kept: list[str] = []
    found_standfirst = None
    found_pull_quotes: list[str] = []
    first_kept = 1
    for pattern in rules.until_patterns:
        for number, line in enumerate(raw_lines, start=1):
            if pattern.search(line):
                first_kept = max(first_kept, number + 1)
                break
    for number, line in enumerate(raw_lines, start=1):
        if number < first_kept or number in rules.lines:
            continue
        if any(pattern.search(line) for pattern in rules.from_patterns):
            break
        if any(pattern.search(line) for pattern in rules.matches):
            continue
        if standfirst is not None and found_standfirst is None and standfirst.search(line):
            found_standfirst = strip_markdown(line)
            continue
        if any(pattern.search(line) for pattern in pull_quotes):
            found_pull_quotes.append(strip_markdown(line))
            continue
        kept.append(line)
    return kept, found_standfirst, found_pull_quotes


def _parse_entry(entry: object, line: int, seeds_dir: Path, where: str, errors: list[ContentError]) -> Passage | None:
    if not isinstance(entry, LineDict):
        errors.append(ContentError(where, line, "each passage must be a mapping with id, file, title, genre, …"))
        return None
    before = len(errors)
    for key in entry:
        if key not in PASSAGE_KEYS:
            allowed = ", ".join(PASSAGE_KEYS)
            errors.append(ContentError(where, entry.line_of(key), f"unknown key '{key}' (allowed: {allowed})"))
    for key, need in PASSAGE_KEYS.items():
        if need == "required" and entry.get(key) in (None, ""):
            errors.append(ContentError(where, entry.line, f"passage is missing the required field '{key}'"))
    passage_id = entry.get("id")
    if passage_id is not None and (not isinstance(passage_id, str) or not SLUG.match(passage_id)):
        errors.append(
            ContentError(
                where,
                entry.line_of("id"),
                f"id: '{passage_id}' must be a slug of lower-case letters, digits and hyphens",
            )
        )
    genre = entry.get("genre")
    if genre is not None and genre not in GENRES:
        errors.append(
            ContentError(where, entry.line_of("genre"), f"genre: '{genre}' is not one of {', '.join(GENRES)}")
        )
    published = _text_or_none(entry, "published", where, errors)
    if published is not None and not PUBLISHED.match(published):
        errors.append(
            ContentError(
                where, entry.line_of("published"), f"published: '{published}' must be YYYY, YYYY-MM or YYYY-MM-DD"
            )
        )
    file_name = entry.get("file")
    raw_text = None
    if isinstance(file_name, str):
        path = seeds_dir / file_name
        if "/" in file_name or "\\" in file_name or file_name.startswith("."):
            errors.append(
                ContentError(
                    where,
                    entry.line_of("file"),
                    f"file: '{file_name}' must be a file name inside seeds/, without folders",
                )
            )
        elif not path.is_file():
            errors.append(ContentError(where, entry.line_of("file"), f"file: '{file_name}' is not a file in seeds/"))
        else:
            try:
                raw_text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                errors.append(ContentError(where, entry.line_of("file"), f"file: '{file_name}' is not UTF-8 text"))
    elif file_name is not None:
        errors.append(ContentError(where, entry.line_of("file"), "file: expected a file name"))
    rules = _parse_drop(entry, where, errors)
    standfirst = None
    if entry.get("standfirst") is not None:
        standfirst = _compile(entry["standfirst"], where, entry.line_of("standfirst"), errors, "standfirst")
    pull_quotes = []
    quotes = entry.get("pull_quotes")
    if quotes is not None:
        if isinstance(quotes, LineList):
            for index, value in enumerate(quotes):
                pattern = _compile(value, where, quotes.line_of(index), errors, "pull_quotes")
                if pattern is not None:
                    pull_quotes.append(pattern)
        else:
            errors.append(
                ContentError(where, entry.line_of("pull_quotes"), "pull_quotes: expected a list of regular expressions")
            )
    if len(errors) > before or raw_text is None:
        return None
    kept, standfirst_text, pull_quote_texts = _select_lines(raw_text.splitlines(), rules, standfirst, pull_quotes)
    paragraphs = [split_sentences(paragraph) for paragraph in clean_lines(kept)]
    if not paragraphs:
        errors.append(ContentError(where, entry.line, f"passage '{passage_id}': the drop rules leave no text"))
        return None
    return Passage(
        id=passage_id,
        file=file_name,
        title=_text_or_none(entry, "title", where, errors),
        genre=genre,
        outlet=_text_or_none(entry, "outlet", where, errors),
        author=_text_or_none(entry, "author", where, errors),
        published=published,
        note=_text_or_none(entry, "note", where, errors),
        standfirst=standfirst_text,
        pull_quotes=pull_quote_texts,
        paragraphs=paragraphs,
    )


def load_passages(content_dir: Path) -> tuple[list[Passage], list[ContentError]]:
    """Load and clean every passage named in ``seeds/passages.yaml``; return them and all errors."""
    seeds_dir = content_dir / "seeds"
    where = f"seeds/{MANIFEST_NAME}"
    data, errors = read_yaml_file(seeds_dir / MANIFEST_NAME, where)
    if errors:
        return [], errors
    if not isinstance(data, LineDict) or not isinstance(data.get("passages"), LineList):
        return [], [
            ContentError(where, getattr(data, "line", 1) or 1, "the manifest must have a top-level 'passages:' list")
        ]
    for key in data:
        if key != "passages":
            errors.append(
                ContentError(where, data.line_of(key), f"unknown key '{key}' (the manifest has only 'passages:')")
            )
    passages: list[Passage] = []
    seen: dict[str, int] = {}
    entries = data["passages"]
    for index, entry in enumerate(entries):
        passage = _parse_entry(entry, entries.line_of(index), seeds_dir, where, errors)
        if isinstance(entry, LineDict) and isinstance(entry.get("id"), str):
            passage_id = entry["id"]
            if passage_id in seen:
                errors.append(
                    ContentError(
                        where,
                        entry.line_of("id"),
                        f"duplicate passage id '{passage_id}' (first used on line {seen[passage_id]})",
                    )
                )
                continue
            seen[passage_id] = entry.line_of("id")
        if passage is not None:
            passages.append(passage)
    return (passages, errors) if not errors else ([], errors)
