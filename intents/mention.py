"""A span of the message that names something: shared by the person, project and other slot finders."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Mention:
    """`value` as said, the matched id if any, and the span [start, end) to cut from a title (with its
    trigger words, e.g. '交给张三' or 'assign it to Tom')."""

    value: str
    id: int | None
    start: int
    end: int


_LATIN = re.compile(r"[a-z0-9]")

# Capitalised words that are never a person's or a project's name in a message.
CALENDAR_WORDS = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday Mon Tue Wed Thu Fri Sat Sun January February "
    "March April May June July August September October November December Jan Feb Mar Apr Jun Jul Aug Sep Sept "
    "Oct Nov Dec Today Tomorrow Tonight Eod Asap".split()
)

# Capitalised tools, languages and work words: a thing a task is about, never a project's or person's name.
TOOL_WORDS = frozenset(
    "Excel Word Powerpoint Slack Jira Gantt Google Outlook Teams Zoom Figma Github Gitlab Docker Kafka Jenkins "
    "Redis Mysql Postgres Android Windows Linux Chrome Safari Firefox Wechat Dingtalk Feishu Lark Notion "
    "Confluence Trello Asana Python Java Javascript Typescript English Chinese Spanish French German Japanese "
    "Korean Russian Arabic Sprint Release Design Product Marketing Sales Finance Legal Engineering Review "
    "Testing Launch Staging Prod Production Beta Alpha Demo Admin Dashboard Backend Frontend Please Thanks Hey "
    "Hi Update Set Move Add Create Make Put Check Status Any Some Our Your Their His Her What Where How Who "
    "When Why Which Can Could Would Should Is Are Was Did Does "
    # Vendors and platforms a task is about ("the Stripe webhook"), not projects of the workspace.
    "Stripe Salesforce Aws Azure Gcp Okta Hubspot Zendesk Shopify Paypal Alipay Apple Microsoft Sentry Datadog "
    "Grafana Cloudflare Twilio Sendgrid Mailchimp Mixpanel Tableau Sap Oracle Workday Quickbooks Xero Dropbox "
    "Sharepoint Ios Iphone Ipad Macos Webpack React Vue Angular Kubernetes Terraform Nginx Elasticsearch "
    "Amazon Shopee Etsy Ebay Lazada Tmall Taobao Jd Shopify Tiktok Wechat Alibaba".split()
)


def find_spelling(text: str, index: tuple[tuple[str, int], ...]) -> tuple[str, int, int, int] | None:
    """The earliest, then longest, spelling of the index found in text: (as written, id, start, end).
    Latin spellings match whole words only ('Tom' is not in 'tomorrow')."""
    folded = text.casefold()
    best: tuple[str, int, int, int] | None = None
    for spelling, entry_id in index:
        start = folded.find(spelling)
        while start != -1:
            end = start + len(spelling)
            before = folded[start - 1] if start else " "
            after = folded[end] if end < len(folded) else " "
            latin_edges = _LATIN.match(spelling[0]) or _LATIN.match(spelling[-1])
            if not latin_edges or (not _LATIN.match(before) and not _LATIN.match(after)):
                if best is None or start < best[2] or (start == best[2] and end > best[3]):
                    best = (text[start:end], entry_id, start, end)
                break
            start = folded.find(spelling, start + 1)
    return best
