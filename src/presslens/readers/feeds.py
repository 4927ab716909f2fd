"""RSS 2.0, RSS 1.0 (RDF) and Atom feeds: one article per item, parsed with defusedxml.

Feeds come from the open web, so XML is parsed with :mod:`defusedxml`: a document that declares
a DTD or any entity (external entities "XXE", the "billion laughs" expansion) is refused before
anything is expanded or fetched (P118). Item text is ``content:encoded`` / Atom ``content``
when present, else ``description`` / ``summary``; HTML in it is extracted like a record field,
so ``raw`` of a feed item is its extracted text (offsets refer to it), as for HTML pages.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from presslens.errors import InputError
from presslens.model import Published
from presslens.readers import codes
from presslens.readers.dates import parse_date
from presslens.readers.document import RawDocument
from presslens.readers.headers import split_authors
from presslens.readers.html import extract_html, looks_like_html
from presslens.readers.limits import markup_depth, too_deep
from presslens.readers.page_meta import PageLabels

ATOM = "{http://www.w3.org/2005/Atom}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
RSS1 = "{http://purl.org/rss/1.0/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_TAG = re.compile(r"<[^>]*>")
#: RSS 2.0's author form: "jdoe@example.com (Jane Doe)".
_EMAIL_NAME = re.compile(r"^\S+@\S+\s*\((.+)\)$")


def sniff_feed(text: str) -> bool:
    """Whether a file of unknown extension (or ``.xml``) opens like a feed."""
    head = text.lstrip()[:1024]
    if head.startswith("<?xml"):
        end = head.find("?>")
        head = head[end + 2 :].lstrip() if end >= 0 else ""
    while head.startswith("<!--"):
        end = head.find("-->")
        head = head[end + 3 :].lstrip() if end >= 0 else ""
    return head.startswith(("<rss", "<feed", "<rdf:RDF", "<RDF", "<!DOCTYPE"))


def feed_documents(xml: str, *, source: str, base: str) -> Iterator[RawDocument | InputError]:
    """One document per feed item; each bad item is an error, the others are still read."""
    root = _parse(xml, where=source)
    if isinstance(root, InputError):
        yield root
        return
    kind = _kind(root)
    if kind is None:
        yield codes.input_error(
            codes.NOT_A_FEED,
            f"XML root element is <{_local(root.tag)}>, not <rss>, <rdf:RDF> or Atom <feed>",
            where=source,
            hint="Pass RSS 2.0, RSS 1.0 or Atom feeds; other XML is not read as articles.",
        )
        return
    channel, items = _items(root, kind)
    if not items:
        yield codes.input_error(
            codes.FEED_NO_ITEMS,
            f"{kind} feed has no <item> or <entry>",
            where=source,
            hint="The feed is empty; fetch it again later or remove it from the input.",
        )
        return
    outlet = (
        _line(_text(channel, "title", ATOM + "title", RSS1 + "title"))
        if channel is not None
        else None
    )
    feed_url = _feed_url(channel, root)
    feed_authors = _authors(channel) if kind == "Atom" and channel is not None else []
    feed_language = _language(channel, root)
    for n, item in enumerate(items, 1):
        doc = _item_document(
            item, n=n, kind=kind, outlet=outlet, source=source, base=base, feed_url=feed_url
        )
        if isinstance(doc, RawDocument) and not doc.authors and feed_authors:
            doc.authors = list(feed_authors)  # Atom: the feed's author is each entry's default
        if isinstance(doc, RawDocument):
            language = _line(item.get(XML_LANG)) or feed_language
            if language:
                doc.meta["feed_language"] = language
        yield doc


def _language(channel: Element | None, root: Element) -> str | None:
    """The language a feed declares: RSS ``<language>``, ``<dc:language>`` or Atom
    ``xml:lang`` (an entry's own ``xml:lang`` overrides it), as written."""
    if channel is not None:
        found = _text(channel, "language", DC + "language")
        if found or channel.get(XML_LANG):
            return _line(found or channel.get(XML_LANG))
    return _line(root.get(XML_LANG))


def _line(value: str | None) -> str | None:
    """A feed title as text: feeds escape HTML in titles ("Q&amp;A", "<b>Council</b> …")."""
    if value is None:
        return None
    return " ".join(html.unescape(_TAG.sub("", value)).split()) or None


def _feed_url(channel: Element | None, root: Element) -> str | None:
    """What relative item links resolve against: ``xml:base``, else the channel's link."""
    for el in (channel, root):
        if el is not None and el.get(XML_BASE):
            return str(el.get(XML_BASE))
    return _link(channel) if channel is not None else None


def _parse(xml: str, *, where: str) -> Element | InputError:
    try:
        return SafeET.fromstring(xml, forbid_dtd=True)
    except DefusedXmlException as exc:
        return codes.input_error(
            codes.XML_FORBIDDEN,
            f"feed declares a DTD or entities ({type(exc).__name__}: {exc}); refused unparsed, "
            "since entities can read local files (XXE) or expand without bound (billion laughs)",
            where=where,
            hint="Feeds need no DTD: remove the <!DOCTYPE …> block if you trust the file, or "
            "drop it from the input.",
        )
    except ParseError as exc:
        line, column = exc.position
        return codes.input_error(
            codes.BAD_XML,
            f"not well-formed XML at line {line}, column {column} ({exc})",
            where=f"{where}:{line}",
            hint="Fix the XML (xmllint --noout checks it) or fetch the feed again.",
        )
    except RecursionError:
        return too_deep(where, 0, what="XML")


def _local(tag: object) -> str:
    name = str(tag)
    return name.rsplit("}", 1)[-1]


def _kind(root: Element) -> str | None:
    if root.tag == "rss":
        return "RSS"
    if root.tag == ATOM + "feed":
        return "Atom"
    if root.tag == RDF + "RDF":
        return "RSS 1.0"
    return None


def _items(root: Element, kind: str) -> tuple[Element | None, list[Element]]:
    if kind == "RSS":
        channel = root.find("channel")
        return channel, [] if channel is None else channel.findall("item")
    if kind == "Atom":
        return root, root.findall(ATOM + "entry")
    return root.find(RSS1 + "channel"), root.findall(RSS1 + "item")


def _text(el: Element, *names: str) -> str | None:
    for name in names:
        child = el.find(name)
        if child is not None and child.text and child.text.strip():
            return child.text.strip()
    return None


def _item_document(
    item: Element,
    *,
    n: int,
    kind: str,
    outlet: str | None,
    source: str,
    base: str,
    feed_url: str | None = None,
) -> RawDocument | InputError:
    where = f"{source} item {n}"
    title_el = item.find(ATOM + "title")
    title = _text(item, "title", ATOM + "title", RSS1 + "title")
    if title_el is None or title_el.get("type") != "text":
        title = _line(title)  # Atom type="text" titles are words as they stand
    found_body = _body(item)
    body, plain = found_body if found_body is not None else (None, False)
    if body is None:
        return codes.input_error(
            codes.ITEM_NO_TEXT,
            f"{kind} item has no description, summary or content text",
            where=where,
            hint="Headline-only feeds carry no article text; fetch the linked pages and pass "
            "them as HTML. Other items are read.",
        )
    raw = body
    meta: dict[str, object] = {"feed": kind, "item": n}
    if plain:
        pass  # Atom type="text": the XML text is the article ("a <p> tag" is words)
    elif not looks_like_html(body):
        raw = html.unescape(body)  # RSS escapes HTML: "AT&amp;T" in the XML text is "AT&T"
    else:
        _, deep_at = markup_depth(body)
        if deep_at >= 0:
            return too_deep(where, deep_at)
        found = extract_html(f"<html><body>{body}</body></html>", where=where)
        if isinstance(found, InputError):
            return found
        raw = found.text
        meta["html"] = True
    link = _link(item)
    guid = _text(item, "guid", ATOM + "id")
    guid_el = item.find("guid")
    if link is None and guid and guid_el is not None and guid_el.get("isPermaLink") != "false":
        link = guid if urlsplit(guid).scheme in ("http", "https") else None
    item_base = item.get(XML_BASE) or feed_url
    if link and item_base and not urlsplit(link).scheme:
        link = urljoin(item_base, link)  # "/2021/03/bridge" under xml:base or the site
    published = _published(item)
    authors = _authors(item)
    doc = RawDocument(
        source=where,
        key=link or (f"{base}:{guid}" if guid else f"{base}:item {n}"),
        raw=raw,
        format="feed",
        title=title,
        url=link,
        outlet=outlet,
        published=published,
        authors=authors,
        meta=meta,
    )
    if guid:
        doc.meta["guid"] = guid
    sections = _categories(item)
    if sections:
        doc.meta["sections"] = sections
    return doc


def _categories(item: Element) -> list[str]:
    """The item's categories (RSS ``<category>``, Atom ``<category term label>``, Dublin Core
    ``<dc:subject>``): a feed's way of naming the section ("Opinion"), read by genre."""
    labels = PageLabels()  # the page's rules: whitespace folded, capped, no repeats
    for el in item.findall("category") + item.findall(DC + "subject"):
        labels.add(labels.sections, el.text)
    for el in item.findall(ATOM + "category"):
        labels.add(labels.sections, el.get("label") or el.get("term"))
    return labels.sections


def _body(item: Element) -> tuple[str, bool] | None:
    """The item's text and whether it is plain text (Atom ``type="text"``), not HTML."""
    for name in (CONTENT + "encoded", ATOM + "content", "description", ATOM + "summary"):
        child = item.find(name)
        if child is None:
            continue
        if name == ATOM + "content" and child.get("type") == "xhtml":
            text = _xhtml(child)
        else:
            text = child.text or ""
        if text.strip():
            return text, name.startswith(ATOM) and child.get("type") == "text"
    desc = item.find(RSS1 + "description")
    if desc is not None and desc.text and desc.text.strip():
        return desc.text, False
    return None


def _xhtml(el: Element) -> str:
    """Inline XHTML content as markup, walked with an explicit stack (serialising recurses)."""
    parts: list[str] = [el.text or ""]
    stack: list[tuple[Element, bool]] = [(child, False) for child in reversed(el)]
    while stack:
        node, closing = stack.pop()
        name = _local(node.tag)
        if closing:
            parts.append(f"</{name}>{node.tail or ''}")
            continue
        parts.append(f"<{name}>{node.text or ''}")
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))
    return "".join(parts)


def _link(item: Element) -> str | None:
    for link in item.findall(ATOM + "link"):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return str(link.get("href")).strip() or None
    return _text(item, "link", RSS1 + "link")


def _published(item: Element) -> Published | None:
    raw = _text(item, "pubDate", ATOM + "published", ATOM + "updated", DC + "date")
    if raw is None:
        return None
    when = None
    try:
        when = parsedate_to_datetime(raw).date()  # RFC 822, as RSS 2.0 has it
    except (TypeError, ValueError, IndexError, OverflowError):
        when = parse_date(raw)  # Atom / Dublin Core: ISO 8601
    return Published(date=when, source="feed", raw=raw) if when else None


def _authors(item: Element) -> list[str]:
    names: list[str] = []
    for author in item.findall(ATOM + "author"):
        name = _text(author, ATOM + "name")
        if name:
            names.append(name)
    for tag in ("author", DC + "creator"):
        for el in item.findall(tag):
            if el.text and el.text.strip():
                text = el.text.strip()
                email = _EMAIL_NAME.match(text)
                names.extend([email.group(1).strip()] if email else split_authors(text))
    return names
