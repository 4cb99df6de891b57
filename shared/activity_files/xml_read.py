"""What GPX and TCX share: XML read by the standard parser, without DOCTYPEs (no entity
tricks), elements matched by local name (files use several namespace versions)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime

_DOCTYPE = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_xml(data: bytes) -> ET.Element:
    """The root element; ValueError when this is not XML (or declares a DOCTYPE)."""
    if _DOCTYPE.search(data):
        raise ValueError("XML with a DOCTYPE or entities is not accepted")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise ValueError(f"not well-formed XML ({exc})") from None


def children(element: ET.Element, name: str) -> Iterator[ET.Element]:
    return (c for c in element if local(c.tag) == name)


def child_text(element: ET.Element, name: str) -> str | None:
    found = next(children(element, name), None)
    return found.text.strip() if found is not None and found.text else None


def descendants(element: ET.Element, name: str) -> Iterator[ET.Element]:
    return (e for e in element.iter() if local(e.tag) == name)


def number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def timestamp(text: str | None) -> datetime | None:
    """An ISO 8601 time; UTC when the file gives no offset."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
