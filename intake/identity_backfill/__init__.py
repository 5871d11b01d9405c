"""Identity records for roster rows committed before identity records existed.

- `batches`: the back-fill, one import batch per transaction (its docstring tells the rules).
"""
