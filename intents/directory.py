"""The people and projects that names in a message can refer to, with every way of writing them indexed:
name, aliases, English names, pinyin (with and without spaces), and the given name alone when unambiguous."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from pypinyin import lazy_pinyin

_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Entry:
    """A person or a project: its id, display name and other spellings."""

    id: int
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Directory:
    """A snapshot of the workspace's members and projects, and who is asking."""

    people: tuple[Entry, ...] = ()
    projects: tuple[Entry, ...] = ()
    caller_id: int | None = None

    @cached_property
    def people_index(self) -> tuple[tuple[str, int], ...]:
        """(spelling, member id), longest spelling first."""
        return _index(self.people, person=True)

    @cached_property
    def project_index(self) -> tuple[tuple[str, int], ...]:
        """(spelling, project id), longest spelling first."""
        return _index(self.projects, person=False)

    def person(self, member_id: int) -> Entry | None:
        return next((p for p in self.people if p.id == member_id), None)

    def project(self, project_id: int) -> Entry | None:
        return next((p for p in self.projects if p.id == project_id), None)


def _person_spellings(entry: Entry) -> set[str]:
    out = {entry.name, *entry.aliases}
    if _HAN.search(entry.name):
        syllables = lazy_pinyin(entry.name)
        out |= {"".join(syllables), " ".join(syllables)}
        if len(syllables) >= 2:
            out |= {" ".join([*syllables[1:], syllables[0]]), "".join([*syllables[1:], syllables[0]])}
    return out


def _project_spellings(entry: Entry) -> set[str]:
    # Aliases stay whole: "计费项目" names the project, but "计费" alone is part of many task titles.
    return {entry.name, re.sub(r"\s*(项目|project)$", "", entry.name, flags=re.I), *entry.aliases}


def _index(entries: tuple[Entry, ...], *, person: bool) -> tuple[tuple[str, int], ...]:
    owners: dict[str, set[int]] = {}
    for entry in entries:
        for spelling in _person_spellings(entry) if person else _project_spellings(entry):
            key = spelling.strip().casefold()
            if len(key) >= 2:
                owners.setdefault(key, set()).add(entry.id)
    # A spelling two entries share (two people called "David") names neither.
    unique = [(s, ids.pop()) for s, ids in owners.items() if len(ids) == 1]
    return tuple(sorted(unique, key=lambda item: (-len(item[0]), item[0])))
