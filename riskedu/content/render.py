"""Lesson Markdown to HTML. Raw HTML in content is escaped, never rendered; drawings point at their
fingerprinted URLs; ``[[emergency-call]]`` becomes the deployment's one-tap call buttons."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markupsafe import escape

from riskedu.content.model import EmergencyNumber

EMERGENCY_CALL_TOKEN = "[[emergency-call]]"  # noqa: S105  (a placeholder, not a password)
_EMERGENCY_PARAGRAPH = re.compile(r"<p>\s*" + re.escape(EMERGENCY_CALL_TOKEN) + r"\s*</p>")


@dataclass
class RenderedBody:
    html: str
    images: list[str] = field(default_factory=list)  # drawing names, in the order they appear
    missing_alt: list[str] = field(default_factory=list)
    word_count: int = 0


def emergency_call_html(numbers: Sequence[EmergencyNumber], locale: str) -> str:
    links = "".join(
        f'<a class="button button--danger call-button" href="tel:{escape(n.number)}">'
        f'<span class="call-button__number" dir="ltr">{escape(n.number)}</span> '
        f'<span class="call-button__label">{escape(n.label.get(locale, ""))}</span></a>'
        for n in numbers
    )
    return f'<div class="call-box">{links}</div>'


def render_lesson_body(
    markdown: str,
    *,
    locale: str,
    media_url: Callable[[str], str],
    emergency_numbers: Sequence[EmergencyNumber],
) -> RenderedBody:
    result = RenderedBody(html="")
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})

    def render_image(
        renderer: RendererHTML, tokens: Sequence[Token], index: int, options: object, env: object
    ) -> str:
        token = tokens[index]
        name = str(token.attrGet("src") or "")
        alt = renderer.renderInlineAsText(token.children or [], options, env)  # type: ignore[arg-type]
        result.images.append(name)
        if not alt.strip():
            result.missing_alt.append(name)
        return (
            f'<img class="illustration" src="{escape(media_url(name))}" alt="{escape(alt)}" '
            f'width="320" height="200" loading="lazy" decoding="async">'
        )

    parser.add_render_rule("image", render_image)
    html = parser.render(markdown)
    html = _EMERGENCY_PARAGRAPH.sub(lambda _m: emergency_call_html(emergency_numbers, locale), html)
    result.html = html
    result.word_count = len(re.findall(r"\w+", re.sub(r"<[^>]+>", " ", html)))
    return result
