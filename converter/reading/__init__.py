"""Reading workbooks (internal): safe open, the reader, many files at once.

Internal to atgardsplan: import the public names from ``converter``.
"""
