"""Pages under ``/<locale>/…``: the locale comes from the URL and is put back into every URL built."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, request, url_for


def localized_blueprint(name: str, import_name: str, **kwargs: Any) -> Blueprint:
    """A blueprint whose routes all live under ``/<locale>`` and see the locale in ``g.locale``."""
    blueprint = Blueprint(name, import_name, url_prefix="/<locale:locale>", **kwargs)

    @blueprint.url_value_preprocessor
    def pull_locale(_endpoint: str | None, values: dict[str, Any] | None) -> None:
        g.locale = values.pop("locale") if values else None

    @blueprint.url_defaults
    def add_locale(_endpoint: str, values: dict[str, Any]) -> None:
        if "locale" not in values and g.get("locale"):
            values["locale"] = g.locale

    return blueprint


def url_for_locale(code: str) -> str:
    """The same page in another language; the home page of that language where there is no same page."""
    if request.url_rule is not None and "locale" in request.url_rule.arguments and request.endpoint:
        values = dict(request.view_args or {})
        values.update(request.args.to_dict())
        values["locale"] = code
        return url_for(request.endpoint, **values)
    return url_for("web.home", locale=code)
