"""Find, read and validate the decision aids.

The built-in aids are the YAML files in `aids/` next to this module. A functional
administrator can adapt them without a code change: the directory named by the
environment variable JEUGDKETEN_GUIDES_DIR (optional) holds YAML files that replace a
built-in aid with the same slug or add new ones. Each file is named after its slug
(`meldcode.yaml` holds `slug: meldcode`).

Everything is validated when the platform starts (GuideConfig.ready) and by the system
check `guide.E001`: one broken file stops the start with a list of every problem, each
naming the file, the path inside it and the rule.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ImproperlyConfigured
from pydantic import ValidationError

from jeugdketen.guide.schema import Aid, Problem, check_references, shape_problems

ENV_VAR = "JEUGDKETEN_GUIDES_DIR"
BUILTIN_DIR = Path(__file__).resolve().parent / "aids"
SUFFIXES = (".yaml", ".yml")
MAX_BYTES = 512 * 1024
MAX_DEPTH = 40  # levels of nesting; the built-in aids use fewer than ten


class GuideConfigError(ImproperlyConfigured):
    """The decision aids cannot be used as they are. Lists every problem."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(
            f"{len(self.problems)} problem(s) in the decision aids (Signaalgids); "
            f"fix the files and start again (see docs/guides.md):\n{lines}")


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses a key written twice in one mapping (YAML would silently
    keep the last one, and an administrator would not see why a text did not change)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark,
                    f"found the key {key!r} twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


    def compose_node(self, parent: Any, index: Any) -> Any:
        """No aliases (`*name`): an aid never needs them, and nested aliases make a small
        upload expand into millions of values when it is checked. No nesting deeper than
        MAX_DEPTH: a few thousand `[` would exhaust Python's stack (a 500, not a problem
        named to the administrator)."""
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in a decision aid",
                event.start_mark)
        self._jk_depth = getattr(self, "_jk_depth", 0) + 1
        try:
            if self._jk_depth > MAX_DEPTH:
                event = self.peek_event()  # type: ignore[no-untyped-call]
                raise yaml.composer.ComposerError(
                    None, None, f"the text is nested more than {MAX_DEPTH} levels deep",
                    event.start_mark)
            return super().compose_node(parent, index)
        finally:
            self._jk_depth -= 1


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _Loader.construct_mapping)


def _yaml_problem(file: str, exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    what = getattr(exc, "problem", None) or str(exc)
    rule = "duplicate_key" if "twice" in str(what) else "yaml_syntax"
    return Problem(file, where, rule, f"this is not valid YAML: {what}")


def read(path: Path) -> tuple[Aid | None, list[Problem]]:
    """One file: the aid, or None and the problems."""
    file = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(file, "", "unreadable", f"the file cannot be read: {exc.strerror}")]
    return read_bytes(raw, file, expected_slug=path.stem)


def read_bytes(raw: bytes, file: str, *, expected_slug: str | None = None
               ) -> tuple[Aid | None, list[Problem]]:
    """An aid from its YAML text (a file, or an administrator's upload): the aid, or None
    and the problems. `expected_slug`: the slug the text must hold (a file's name)."""
    if len(raw) > MAX_BYTES:
        return None, [Problem(file, "", "too_large",
                              f"the file is larger than {MAX_BYTES // 1024} KB")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, [Problem(file, f"byte {exc.start}", "utf8",
                              "the file is not UTF-8 text; save it as UTF-8")]
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.YAMLError as exc:
        return None, [_yaml_problem(file, exc)]
    if not isinstance(data, dict):
        return None, [Problem(file, "", "mapping_required",
                              "the file must hold one aid: keys such as slug, version, title")]
    try:
        aid = Aid.model_validate(data)
    except ValidationError as exc:
        return None, shape_problems(file, exc.errors())
    problems = check_references(aid, file)
    if expected_slug is not None and aid.slug != expected_slug:
        problems.append(Problem(file, "slug", "slug_matches_file_name",
                                f"the slug {aid.slug!r} must equal the file name "
                                f"{expected_slug!r} (rename the file or the slug)"))
    return (None if problems else aid), problems


_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def line_of(text: str, problem: Problem) -> int | None:
    """The line (from 1) in `text` that a problem is about: where YAML itself stumbled,
    else the deepest part of the problem's path (`questions[2].options[0].risks[1]`) that
    the text holds. None when the text cannot be read as YAML at all."""
    match = re.match(r"line (\d+)", problem.path)
    if match:
        return int(match.group(1))
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    line = node.start_mark.line + 1
    for name, index in _PART.findall(problem.path):
        child = None
        if index and isinstance(node, yaml.SequenceNode):
            position = int(index)
            child = node.value[position] if position < len(node.value) else None
        elif name and isinstance(node, yaml.MappingNode):
            child = next((value for key, value in node.value
                          if isinstance(key, yaml.ScalarNode) and key.value == name), None)
            if child is not None:
                line = next(key for key, value in node.value if value is child
                            ).start_mark.line + 1
                node = child
                continue
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line


def _files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.iterdir()
                  if p.suffix in SUFFIXES and not p.name.startswith(".") and p.is_file())


@dataclass(frozen=True)
class Catalogue:
    aids: dict[str, Aid] = field(default_factory=dict)  # by slug: built-in order, then added
    sources: dict[str, Path] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    guides_dir: str = ""


def load(guides_dir: str | None = None, builtin_dir: Path = BUILTIN_DIR) -> Catalogue:
    """Read the built-in aids, then the administrator's directory (default: the
    environment variable). Never raises: the problems are in the answer."""
    if guides_dir is None:
        guides_dir = os.environ.get(ENV_VAR, "").strip()
    aids: dict[str, Aid] = {}
    sources: dict[str, Path] = {}
    problems: list[Problem] = []
    directories = [builtin_dir]
    if guides_dir:
        extra = Path(guides_dir).expanduser()
        if extra.is_dir():
            directories.append(extra)
        else:
            problems.append(Problem(guides_dir, "", "not_a_directory",
                                    f"{ENV_VAR} names {guides_dir!r}, which is not a directory"))
    for directory in directories:
        seen_here: dict[str, Path] = {}
        for path in _files(directory):
            if path.stem in seen_here:
                problems.append(Problem(str(path), "", "duplicate_slug",
                                        f"{seen_here[path.stem].name} holds the same aid"))
                continue
            seen_here[path.stem] = path
            aid, found = read(path)
            problems.extend(found)
            if aid is not None:
                aids[aid.slug] = aid  # a later directory replaces a built-in aid
                sources[aid.slug] = path
    return Catalogue(aids, sources, tuple(problems), guides_dir)


_current: Catalogue | None = None


def reload(guides_dir: str | None = None) -> Catalogue:
    """Load and validate everything; raise GuideConfigError naming every problem. The aids
    in use stay as they were when the new ones are broken."""
    global _current
    loaded = load(guides_dir)
    if loaded.problems:
        raise GuideConfigError(list(loaded.problems))
    _current = loaded
    return loaded


def catalogue() -> Catalogue:
    return _current if _current is not None else reload()


def aids() -> list[Aid]:
    return list(catalogue().aids.values())


def get(slug: str) -> Aid | None:
    return catalogue().aids.get(slug)


# --- the versions in use: the files, with the administrators' active uploads ---------------


def _uploaded() -> dict[str, Aid]:
    """The active uploaded version of each aid (guide.AidVersion), parsed once per version.
    One query per call."""
    from jeugdketen.guide.models import AidVersion

    active = list(AidVersion.objects.filter(active=True).order_by("slug")
                  .values_list("pk", "slug", "version"))
    found: dict[str, Aid] = {}
    for pk, slug, version in active:
        aid = _parsed.get(pk)
        if aid is not None and (aid.slug, aid.version) != (slug, version):
            aid = None  # a cached parse of a row that was rolled back (its id reused)
        if aid is None:
            source = AidVersion.objects.filter(pk=pk).values_list("source", flat=True).first()
            aid, _problems = read_bytes((source or "").encode("utf-8"), f"version {pk}",
                                        expected_slug=slug)
            if aid is None:  # stored valid; a schema change since: keep the file's aid
                continue
            _parsed[pk] = aid
        found[slug] = aid
    return found


_parsed: dict[int, Aid] = {}


def in_use(slug: str) -> Aid | None:
    """The aid as professionals use it now: the administrator's active version, else the
    file."""
    uploaded = _uploaded()
    return uploaded.get(slug) or get(slug)


def all_in_use() -> list[Aid]:
    """Every aid as in use now: the files' order, uploaded new aids after them."""
    uploaded = _uploaded()
    files = catalogue().aids
    aids_now = [uploaded.get(slug, aid) for slug, aid in files.items()]
    aids_now += [aid for slug, aid in uploaded.items() if slug not in files]
    return aids_now


def at_version(slug: str, version: str) -> Aid | None:
    """The aid as it was at this version (a stored session's): in use, the file's, or an
    uploaded one. None when no such version is known."""
    from jeugdketen.guide.models import AidVersion

    for aid in (in_use(slug), get(slug)):
        if aid is not None and aid.version == version:
            return aid
    row = AidVersion.objects.filter(slug=slug, version=version).values_list("pk", "source").first()
    if row is None:
        return None
    cached = _parsed.get(row[0])
    if cached is None or (cached.slug, cached.version) != (slug, version):
        aid, _problems = read_bytes(row[1].encode("utf-8"), f"version {row[0]}",
                                    expected_slug=slug)
        if aid is None:
            return None
        _parsed[row[0]] = aid
    return _parsed[row[0]]
