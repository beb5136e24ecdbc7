"""The gentle check: points out, kindly, the four patterns that hurt a hard conversation most.

It runs on the writer's own device (here, and the same rules in the browser) and never blocks.
"""

from unspoken.gentle.finding import CATEGORIES, Category, Finding
from unspoken.gentle.matcher import check
from unspoken.gentle.rules import Rules, default_rules, read_rules, rules_path

__all__ = [
    "CATEGORIES",
    "Category",
    "Finding",
    "Rules",
    "check",
    "default_rules",
    "read_rules",
    "rules_path",
]
