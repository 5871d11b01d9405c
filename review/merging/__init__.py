"""Merging two person records that are the same human, and undoing such a merge exactly.

A merge keeps everything:
- The merged person becomes a tombstone (status "merged", `merged_into` the survivor) with all
  its own field values unchanged, so its code keeps resolving (participants.selectors).
- Its enrollments move to the survivor. Two enrollments in the same cohort become one: the
  survivor's stays (its empty institution/role/region are filled from the other), the other's
  source records and the scores of phases the survivor lacks move onto it, and the rest of the
  folded row (the enrollment itself and any score of a phase both had) is kept in full in the
  merge record so that an unmerge recreates it with the same id. SourceRecords are never
  deleted: they only change the person and enrollment they point to.
- The survivor's field values follow the merge's rule (review.merging.field_values)
  or the reviewer's per-field choices.
- Two persons holding different valid documents of the same type are strong evidence of two
  people: such a merge is refused unless the reviewer confirms it (`force=True`), and so is a
  merge of two persons a reviewer already said are different (directly or through persons
  merged into them). A false merge is worse than a missed one.
- Possible-duplicate pairs: pending or skipped pairs with the merged person are re-pointed to
  the survivor (the question is now about the survivor). A pair that would become the
  survivor with itself is answered "same" by this merge; a pair that would repeat an existing
  pair is deleted (the existing pair asks the same question; if an undone merge refers to it,
  it stays, and the queue leaves out pairs with a merged person); a pair that a "different"
  decision already answers is marked "different". Decided pairs keep their persons: they are
  the history of who decided what, and review_constraints() maps them onto active persons.
  Every one of these changes is in the before-state and reverted by an unmerge.

Concurrency: both persons are locked with SELECT ... FOR UPDATE one at a time in ascending id
order (a fixed order, so two merges never wait on each other in a cycle) and re-read after
the lock; a merge that lost the race finds its person already merged and fails with
MergeError, leaving nothing half-written. SQLite has no row locks; there the settings'
IMMEDIATE transactions let one writer in at a time, which serialises merges as well.

An unmerge restores the state before the merge and is only allowed for the latest merge that
touches either person (undo later merges first). Survivor fields (and enrollment fields the
merge filled) edited after the merge keep the later edit; everything else returns to the
recorded before-state. The merge record keeps who merged and undid, when, the score, the rule
and that before-state.
"""

from review.merging.common import MergeError
from review.merging.merge import person_merge
from review.merging.unmerge import person_unmerge

__all__ = ["MergeError", "person_merge", "person_unmerge"]
