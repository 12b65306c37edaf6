"""Everything a person reads about a report that more than one place shows: the pictures' names, the
statuses, and the words the page scripts need (they travel inside each page, so they work offline)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext

WHAT_LABELS = {
    "mine": lazy_gettext("Mine"),
    "tripwire": lazy_gettext("Wire across the ground"),
    "shell": lazy_gettext("Shell"),
    "rocket": lazy_gettext("Rocket"),
    "mortar": lazy_gettext("Mortar bomb"),
    "grenade": lazy_gettext("Grenade"),
    "cluster_submunition": lazy_gettext("Small bomb (cluster)"),
    "booby_trap": lazy_gettext("Trap (hidden explosive)"),
    "unknown": lazy_gettext("I don't know"),
}
NEAR_LABELS = {
    "home": lazy_gettext("Houses"),
    "school": lazy_gettext("School"),
    "path": lazy_gettext("Path"),
    "road": lazy_gettext("Road"),
    "field": lazy_gettext("Field"),
    "pasture": lazy_gettext("Pasture"),
    "water": lazy_gettext("Water or spring"),
    "forest": lazy_gettext("Trees or forest"),
    "ruins": lazy_gettext("Ruins"),
    "other": lazy_gettext("Something else"),
}
MARKED_LABELS = {
    "yes": lazy_gettext("Yes, there is a sign or tape"),
    "no": lazy_gettext("No sign"),
    "unknown": lazy_gettext("I don't know"),
}
STATUS_LABELS = {
    "received": lazy_gettext("Received: the team has your report"),
    "under_review": lazy_gettext("Being checked by the team"),
    "verified": lazy_gettext("Checked: it is dangerous"),
    "referred": lazy_gettext("Passed to a clearance team"),
    "cleared": lazy_gettext("Cleared: the danger was removed"),
    "no_evidence": lazy_gettext("Checked: nothing dangerous was found"),
    "duplicate": lazy_gettext("Already reported by someone else"),
}


def labels(mapping: dict[str, Any]) -> dict[str, str]:
    return {key: str(value) for key, value in mapping.items()}


def report_words() -> dict[str, Any]:
    """Words for static/js/report.js and static/js/reports-mine.js, in the page's language."""
    return {
        "what": labels(WHAT_LABELS),
        "near": labels(NEAR_LABELS),
        "statuses": labels(STATUS_LABELS),
        "positionFinding": _("Finding your position…"),
        "positionFound": _("Position found, accurate to about %(metres)s m.", metres="{metres}"),
        "positionFoundRough": _(
            "Position found, but it is not accurate (about %(metres)s m). Describe the place in words too.",
            metres="{metres}",
        ),
        "positionFailed": _("Your position could not be found. Describe the place in words."),
        "positionDenied": _("The phone did not allow finding your position. Describe the place in words."),
        "positionCleared": _("Position removed."),
        "pinDropped": _("Pin placed on the map."),
        "photoPreparing": _("Preparing the photo…"),
        "photoReady": _("Photo ready (%(size)s)", size="{size}"),
        "photoFailed": _("This photo cannot be used. Try another one, or send the report without a photo."),
        "chooseWhat": _("Choose at least one picture of what you saw."),
        "placeOrPosition": _("Describe the place, or use your position."),
        "whenMissing": _("Say when you saw it."),
        "whenFuture": _("This time is in the future. Check the date and time."),
        "fixErrors": _("Some answers need fixing. Look for the red messages."),
        "saving": _("Saving on this phone…"),
        "saveFailed": _("The report could not be saved on this phone. Try again."),
        "reportLabel": _("%(what)s, %(when)s", what="{what}", when="{when}"),
        "madeAt": _("Made %(time)s", time="{time}"),
        "statusLine": _("Status: %(status)s", status="{status}"),
        "receiptSay": _("Your receipt: %(code)s. Read it out if you call about this report.", code="{code}"),
        "photoWaiting": _("Photo: waiting to be sent"),
        "photoSending": _("Photo: sending…"),
        "photoSent": _("Photo: sent"),
        "photoAttention": _("Photo needs attention: %(error)s", error="{error}"),
        "urgent": _("Someone is hurt"),
        "smsOffer": _(
            "There has been no connection for a while. You can send this report as a text message instead."
        ),
        "smsButton": _("Send as a text message"),
        "smsNote": _(
            "Your messages app opens with the report written in it; press send there. A text message may "
            "cost money. The report is also sent from here when there is a connection again."
        ),
        "smsOpened": _(
            "Messages app opened: press send there. A text message can fail without telling you, so this "
            "report is also sent from here when there is a connection. If it is urgent, call."
        ),
        "nothingYet": _("You have not made any reports on this phone yet."),
        "stayAway": _("Stay away from it and keep others away."),
    }
