"""The installable, offline app: service worker, web app manifest, offline page, "on this phone" page."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, g, jsonify, render_template, request, url_for
from flask_babel import gettext as _

from riskedu.i18n import current_locale, locale_codes
from riskedu.offline.pack import pack_for
from riskedu.web.assets import static_url
from riskedu.web.localized import localized_blueprint

offline = localized_blueprint("offline", __name__, template_folder="templates")
service_worker = Blueprint("service_worker", __name__, template_folder="templates")
MAX_LOCALES_PER_PHONE = 4


def requested_locales() -> list[str]:
    """``?locales=az,ru``: the languages this phone keeps offline (a family may share one phone)."""
    wanted = [code for code in request.args.get("locales", "").split(",") if code]
    known = locale_codes()
    if not wanted or len(wanted) > MAX_LOCALES_PER_PHONE or any(code not in known for code in wanted):
        abort(404)
    return list(dict.fromkeys(wanted))


@service_worker.get("/sw.js")
def service_worker_script() -> Response:
    locales = requested_locales()
    pack = pack_for(current_app, locales)
    body = render_template(
        "offline/sw.js",
        pack=pack,
        offline_pages={code: url_for("offline.offline_page", locale=code) for code in locales},
        workbox_loader=static_url("vendor/workbox/workbox-sw.js"),
        workbox_prefix="/static/vendor/workbox",
        scripts=[static_url("vendor/idb/idb.umd.js"), static_url("js/outbox.js")],
    )
    response = Response(body, mimetype="text/javascript")
    # The browser compares this script byte for byte to find updates: never serve it stale.
    response.headers["Cache-Control"] = "no-cache"
    return response


@offline.get("/pack.json")
def pack_info() -> Response:
    pack = pack_for(current_app, [g.locale])
    return jsonify(locale=g.locale, version=pack.version, files=len(pack.entries), bytes=pack.total_bytes)


@offline.get("/manifest.webmanifest")
def manifest() -> Response:
    locale = current_locale()
    home = url_for("web.home", locale=locale.code)
    response = jsonify(
        {
            "name": _("riskedu: stay safe from mines"),
            "short_name": _("riskedu"),
            "description": _(
                "Short lessons and quizzes that keep working on your phone without a connection."
            ),
            "lang": locale.code,
            "dir": locale.direction,
            "start_url": home,
            "scope": home,
            "id": home,
            "display": "standalone",
            "background_color": "#ffffff",
            "theme_color": "#8a1c12",
            "icons": [
                {"src": static_url("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                {"src": static_url("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
                {
                    "src": static_url("icons/icon-maskable-512.png"),
                    "sizes": "512x512",
                    "type": "image/png",
                    "purpose": "maskable",
                },
            ],
        }
    )
    response.mimetype = "application/manifest+json"
    return response


def app_words() -> dict[str, object]:
    """The words the page scripts show (outbox states, update and download prompts), in the page's language.
    They travel inside each page, so they work offline with the page itself."""
    return {
        "appVersion": "web-1",
        "states": {
            "saved": _("Saved on this phone"),
            "sending": _("Sending…"),
            "received": _("Received"),
            "attention": _("Needs attention"),
        },
        "kinds": {
            "quiz_attempt": _("Quiz answers"),
            "lesson_progress": _("Lesson progress"),
            "enrollment": _("Joining a class"),
            "hazard_report": _("Report of a dangerous object"),
        },
        "receipt": _("receipt %(code)s", code="{receipt}"),
        "waitingCount": _("%(count)s waiting to be sent", count="{count}"),
        "attentionCount": _("%(count)s need attention", count="{count}"),
        "nothingWaiting": _("Nothing is waiting."),
        "updateReady": _("A new version of the lessons is ready."),
        "useUpdate": _("Use it now"),
        "packPrompt": _(
            "Save the lessons on this phone so they work without a connection? "
            "This downloads about %(size)s.",
            size="{size}",
        ),
        "packSave": _("Save them"),
        "notNow": _("Not now"),
        "packSaved": _("Saved (version %(version)s)", version="{version}"),
        "storageUsed": _("%(used)s of %(quota)s available", used="{used}", quota="{quota}"),
        "kilobytes": _("%(n)s KB", n="{n}"),
        "megabytes": _("%(n)s MB", n="{n}"),
        "yes": _("Yes"),
        "no": _("No"),
    }


@offline.get("/offline")
def offline_page() -> str:
    return render_template("offline/offline.html")


@offline.get("/phone")
def phone_page() -> str:
    return render_template("offline/phone.html")
