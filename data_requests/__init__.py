"""Data subject requests (Ley 29733): access, rectification and cancellation of one person.

`access`, `rectification` and `cancellation` hold one service each (the cancellation module
records what cancellation keeps and why); `redaction` removes a person's values from stored
roster rows; `traces` says what identifies a person in data not linked to them, and
`elsewhere` looks for it there (rejected rows, other rows, the admin log, sessions, sign-in
throttling records); `admin` adds the request pages to the person admin for administrators.
"""
