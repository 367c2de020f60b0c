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
            key = self.construct_object(key_node, deep=deep)  # type: ignore[no-untyped-call]
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping", node.start_mark,
                    f"found the key {key!r} twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


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
    if aid.slug != path.stem:
        problems.append(Problem(file, "slug", "slug_matches_file_name",
                                f"the slug {aid.slug!r} must equal the file name "
                                f"{path.stem!r} (rename the file or the slug)"))
    return (None if problems else aid), problems


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
