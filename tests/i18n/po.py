"""A small reader for the .po files under locale/ (no polib in the project): each entry's
context, msgid, plural and translations, as gettext's .mo keys them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[2] / "locale"
FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$')
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


@dataclass
class Entry:
    msgid: str = ""
    context: str | None = None
    plural: str | None = None
    translations: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def key(self) -> str:
        return f"{self.context}\x04{self.msgid}" if self.context is not None else self.msgid


def unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda match: ESCAPES[match.group(1)], text[1:-1])


def entries(path: Path) -> list[Entry]:
    found: list[Entry] = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        entry, name = Entry(obsolete=block.lstrip().startswith("#~")), None
        for line in block.splitlines():
            match = FIELD.match(line)
            if match:
                name, value = match.group(1), unquote(match.group(2))
            elif line.startswith('"') and name:
                value = unquote(line)
            else:
                continue
            if name == "msgctxt":
                entry.context = (entry.context or "") + value
            elif name == "msgid":
                entry.msgid += value
            elif name == "msgid_plural":
                entry.plural = (entry.plural or "") + value
            else:
                index = int(name[7:-1]) if "[" in name else 0
                while len(entry.translations) <= index:
                    entry.translations.append("")
                entry.translations[index] += value
        if entry.msgid:
            found.append(entry)
    return found


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\((\w+)\)", text))
