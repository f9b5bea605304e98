"""The core of MakerRoom: what every feature app builds on and nothing in it imports a feature app.

It owns schools and the user's link to one, roles with stable codes, the permission-policy base,
audit helpers, the throttle, the page cache and its invalidation contract, the formula-safe
spreadsheet writer and the CJK font helper. See docs/dev/architecture.md.
"""
