"""Documents for people (internal): the HTML reports, their PDF, Swedish wording.

Internal to atgardsplan: import the public names from ``converter``.
"""
