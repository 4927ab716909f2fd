"""Phrase lists the readers match against: data, kept apart from the code that uses it.

Lines are compared after lower-casing, trimming punctuation, symbols and emoji from both ends
and collapsing whitespace (see ``presslens.readers.boilerplate.widget_key``). The lists were
collected from the share widgets, navigation and newsletter prompts that page-to-text
exports of news sites commonly leave in the text; extend them rather than special-casing
an outlet.
"""

from __future__ import annotations


def _words(text: str) -> list[str]:
    """Whitespace-separated words: long word lists read better as one block of text."""
    return text.split()


#: Whole lines that are share widgets, navigation or ad slots, never article text.
BOILERPLATE_LINES: frozenset[str] = frozenset(
    {
        # share widgets
        "spread the love",
        "share",
        "shares",
        "share this",
        "share this article",
        "share this story",
        "share this post",
        "share this page",
        "share article",
        "share the article",
        "share on",
        "share via",
        "share it",
        "sharing is caring",
        "tweet",
        "tweet this",
        "pin it",
        "pin",
        "email",
        "e-mail",
        "email this",
        "email this article",
        "email this story",
        "print",
        "print this",
        "print this article",
        "print article",
        "copy link",
        "link copied",
        "copy url",
        "click to share",
        "click to print",
        "click to email",
        # newsletters and subscriptions
        "subscribe",
        "subscribe now",
        "subscribe here",
        "subscribe to our newsletter",
        "sign up for our newsletter",
        "sign up to our newsletter",
        "newsletter",
        "join our newsletter",
        "get our newsletter",
        "sign up",
        # navigation and recirculation
        "read more",
        "read also",
        "see also",
        "also read",
        "more",
        "more from",
        "more stories",
        "more news",
        "follow us",
        "continue reading",
        "related",
        "related articles",
        "related article",
        "related posts",
        "related stories",
        "related news",
        "related content",
        "related coverage",
        "you may also like",
        "you might also like",
        "recommended",
        "recommended for you",
        "recommended articles",
        "trending",
        "trending now",
        "most read",
        "most popular",
        "most viewed",
        "popular",
        "latest news",
        "top stories",
        "skip to content",
        "skip to main content",
        "back to top",
        "go to top",
        "home",
        "menu",
        "search",
        "next article",
        "previous article",
        "next post",
        "previous post",
        "comments",
        "leave a comment",
        "leave a reply",
        "post a comment",
        "view comments",
        "show comments",
        "listen to this article",
        "listen",
        # ads
        "advertisement",
        "advertisements",
        "advertising",
        "ad",
        "ads",
        "sponsored",
        "sponsored content",
        "paid content",
        "promoted",
        "scroll to continue with content",
        "story continues below advertisement",
        "article continues below advertisement",
        "continue reading below",
        "loading",
        "loading...",
    }
)

#: Line patterns (full match on the same key, lines of at most BOILERPLATE_MAX_WORDS words)
#: that are widgets whatever follows the widget phrase: a prompt to click or sign up, or a
#: navigation label and a headline after a colon-like separator ("Read more: …", "Related » …").
BOILERPLATE_PATTERNS: tuple[str, ...] = (
    r"click (?:here )?to (?:share|print|email|tweet|pin|open|subscribe|read more)\b.{0,80}",
    r"(?:sign up|subscribe|register)\b.{0,60}\bnewsletters?\b.{0,60}",
    r"(?:(?:read|see) (?:more|also|next)|also read)\s*[:>»|].{0,200}",
    r"(?:related|more)(?: articles?| posts?| stories| news| content| coverage| reading)?"
    r"\s*[:>»|].{0,200}",
    r"(?:story|article) continues (?:below|after)\b.{0,40}",
)
#: Widget phrases that lead into free words, the ``tail`` group: a network ("Share on
#: Facebook"), a topic ("More stories from Reuters") or a headline after a dash ("Related –
#: …"). The same words open sentences ("More stories about abuse emerged on Tuesday.", "Email
#: to parents went out on Friday."), so a match is a widget only when the line does not read
#: as a sentence: see ``presslens.readers.boilerplate.widget_reason``. Network and topic tails
#: are capped at a few words in the pattern itself.
BOILERPLATE_LEAD_PATTERNS: tuple[str, ...] = (
    r"(?:share|post|send|pin|email)(?: this)?(?: article| story| post| page)?"
    r" (?:on|via|to|with) (?P<tail>[\w.&+'-]+(?: [\w.&+'-]+){0,4})",
    r"follow us (?:on |at |via |@)(?P<tail>[\w,.&+@'/-]+(?: [\w,.&+@'/-]+){0,5})",
    r"(?:(?:read|see) (?:more|also|next)|also read)\s*[–—-]\s*(?P<tail>.{1,200})",
    r"(?:related|more)(?: articles?| posts?| stories| news| content| coverage| reading)?"
    r"\s*[–—-]\s*(?P<tail>.{1,200})",
    r"(?:related|more|latest) (?:articles?|posts?|stories|news|coverage) (?:from|about|on)"
    r" (?P<tail>\S+(?: \S+){0,4})",
)
#: A trailing "(opens in new window)" that share buttons carry: dropped before matching.
BOILERPLATE_SUFFIX = r"\s*\(?opens in (?:a )?new (?:window|tab)\)?$"
BOILERPLATE_MAX_WORDS = 25
#: Longer lines are article text, whatever they contain (also keeps matching linear).
BOILERPLATE_MAX_CHARS = 400

#: Names of share targets: a line made only of these (two or more) is a share bar.
SHARE_TARGETS: frozenset[str] = frozenset(
    {
        "facebook",
        "twitter",
        "x",
        "whatsapp",
        "linkedin",
        "pinterest",
        "reddit",
        "telegram",
        "email",
        "e-mail",
        "mail",
        "print",
        "messenger",
        "tumblr",
        "share",
        "tweet",
        "copy",
        "link",
        "sms",
        "viber",
        "pocket",
        "flipboard",
        "threads",
        "bluesky",
        "mastodon",
        "vk",
        "line",
        "wechat",
        "skype",
        "google",
        "gmail",
        "more",
    }
)

#: Words that start ordinary sentences and are therefore never the place of a dateline
#: ("Meanwhile – …", "However – …"), compared lower-cased.
DATELINE_STOPWORDS: frozenset[str] = frozenset(
    _words(
        """
    a an and but or nor so yet for meanwhile however moreover furthermore also still then now
    today tonight yesterday tomorrow here there this that these those it its he she they we i
    you his her their our my your him them us me in on at by from with without after before
    during while when whenever where why how what who whom whose which if as although though
    because since until unless yes no not never only just even well oh indeed instead finally
    first second third last later earlier recently again thus hence therefore besides
    otherwise nevertheless nonetheless anyway above below update updated breaking exclusive
    editor note photo video watch listen opinion analysis one two three some many most all
    every each any both either neither such perhaps maybe sometimes often usually always
    sources source officials police reports report according despite amid among against
    over under into onto through across around about up down out off there's it's
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    mr mrs ms dr sir president minister sen rep gov file correction
    """
    )
)

#: Paragraphs that are editorial disclaimers: (kind, pattern matched at the paragraph start,
#: case-insensitive, after an optional "Disclaimer:" / "Editor's note:" label).
DISCLAIMER_PATTERNS: tuple[tuple[str, str], ...] = (
    (
        "opinion",
        r"(?:the |any )?(?:views?|opinions?|viewpoints?|thoughts)(?: and (?:views?|opinions?))?"
        r" expressed\b.{0,160}?\b(?:are (?:those of|solely|entirely|the author|their own|"
        r"his own|her own|the writer|not necessarily)|belongs? (?:solely |only )?to|"
        r"(?:do|does|did) not (?:necessarily )?(?:reflect|represent)|"
        r"(?:don't|doesn't) (?:necessarily )?(?:reflect|represent)|"
        r"reflects? (?:only|solely))",
    ),
    (
        "opinion",
        r"(?:the )?opinions? expressed by .{1,80}? contributors are their own",
    ),
    (
        "opinion",
        r"this (?:article|piece|column|post|commentary|op-ed) (?:is|was) (?:an opinion|"
        r"the (?:personal )?(?:opinion|view) of)\b",
    ),
    (
        "satire",
        r"(?:this|the following|the above) (?:article|story|piece|post|report|content|site|"
        r"website)(?: is| contains)? (?:a work of |a piece of |pure |purely |intended as )?"
        r"(?:satire|satirical|parody|fiction)\b",
    ),
)
#: Words that attribute a paragraph to someone ("…, a spokesman said", "… told the court",
#: "according to …"): such a paragraph reports what someone said, it is not the outlet's
#: own disclaimer, even when its words are a disclaimer's.
DISCLAIMER_ATTRIBUTION = (
    r"\b(?:said|says|say|told|tells|according to|added|adds|insisted|insists|claimed|claims|"
    r"stated|states|argued|argues|wrote|testified|alleged|alleges)\b"
)
DISCLAIMER_LABEL = r"(?:\W*(?:disclaimer|editor['’]?s note|note|nb)\s*[:.–—-]\s*)?\W*"
