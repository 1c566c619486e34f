"""The plan's rules (internal): pure functions of Plans, no file I/O.

Summary counts, checks, roll-over, combining many plans, comparing two.
Internal to atgardsplan: import the public names from ``converter``.
"""
