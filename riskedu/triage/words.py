"""What operators read about statuses, transitions and problems, in their language."""

from __future__ import annotations

from flask_babel import lazy_gettext

STATUS_NAMES = {
    "received": lazy_gettext("Received"),
    "under_review": lazy_gettext("Under review"),
    "verified": lazy_gettext("Verified"),
    "referred": lazy_gettext("Referred to clearance"),
    "cleared": lazy_gettext("Cleared"),
    "no_evidence": lazy_gettext("No evidence found"),
    "duplicate": lazy_gettext("Duplicate"),
}
PRIORITY_NAMES = {
    0: lazy_gettext("Someone is hurt"),
    1: lazy_gettext("Near a school, home or path"),
    2: lazy_gettext("Other"),
}
PROBLEMS = {
    "not_allowed": lazy_gettext("This change is not possible from the report's current status."),
    "reason_required": lazy_gettext("Write why you make this change."),
    "reference_required": lazy_gettext("Write the clearance team's reference."),
    "original_required": lazy_gettext("Choose the report this one repeats."),
    "original_is_duplicate": lazy_gettext("That report is itself a duplicate. Choose the first report."),
    "changed_meanwhile": lazy_gettext("Someone changed this report meanwhile. Look at it again."),
    "no_such_report": lazy_gettext("There is no such report."),
}
CHANNEL_NAMES = {
    "app": lazy_gettext("The app"),
    "form": lazy_gettext("The web form"),
    "sms": lazy_gettext("Text message (SMS)"),
}
SOURCE_NAMES = {"gps": lazy_gettext("GPS"), "map": lazy_gettext("Pin on the map"), "none": ""}
