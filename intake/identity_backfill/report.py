"""What a back-fill run did: records created (or, in a dry run, to create), records already
present, documents left off, and the rows it could not read, with the reason of each."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class UnreadableRow:
    batch_id: int
    row_number: int
    reason: str


@dataclass
class BackfillReport:
    dry_run: bool
    created: int = 0  # (with dry_run: would be created)
    already_present: int = 0
    documents_left_off: int = 0
    unreadable: list[UnreadableRow] = field(default_factory=list)

    def unreadable_by_reason(self) -> list[tuple[str, list[UnreadableRow]]]:
        """The unreadable rows grouped by reason, the most frequent reason first."""
        groups: dict[str, list[UnreadableRow]] = {}
        for row in self.unreadable:
            groups.setdefault(row.reason, []).append(row)
        return sorted(groups.items(), key=lambda item: -len(item[1]))
