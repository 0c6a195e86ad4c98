"""The pupil-name guard: before a contribution is stored, look for what identifies a
pupil (a name, a date of birth, a BSN, a student number, an e-mail address, a phone
number) so its author can take it out first. Pure: no I/O, no clock, no logging of
what it finds."""

from bot.guard.detect import KINDS, Finding, FindingKind, scan
from bot.guard.replace import pseudonymise

__all__ = ["KINDS", "Finding", "FindingKind", "pseudonymise", "scan"]
