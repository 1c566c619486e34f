"""Writing files (internal): the plan, city and diff workbooks and the data exports.

Internal to atgardsplan: import the public names from ``converter``.
"""
