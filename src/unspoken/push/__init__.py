"""Notifications that reveal nothing: Web Push with VAPID, a fixed set of wordless notices."""

from unspoken.push.notices import KINDS, Notice, NoticeKind, notices_for
from unspoken.push.quiet import QuietHours

__all__ = ["KINDS", "Notice", "NoticeKind", "QuietHours", "notices_for"]
