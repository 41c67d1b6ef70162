"""Checks newsdesk's feeds and sitemaps with the tools their readers use, against a live
release server with the demo newsroom (scripts/live_server.py), on one backend:

- feedparser reads the RSS and Atom feeds (the whole site and narrowed by section, author,
  tag and language) with `bozo == 0` and finds the articles the API lists. feedparser 6, the
  release on PyPI, does not read JSON Feed: the same JSON Feeds are checked here for what
  JSON Feed 1.1 requires (and parsed by feed-rs in `cargo test`);
- xmlschema validates the sitemap index and every monthly sitemap (and the sections sitemap)
  against the sitemaps.org schemas in ../shared/fixtures/xsd/;
- ultimate-sitemap-parser crawls the index from /sitemap.xml and finds every published
  article exactly once, with its language versions, and reads the news sitemap's publication
  data.

Called by scripts/check-api.sh with the checkers' virtualenv. Without the schemas it prints a
notice and skips the schema validation; under CI=true it fails instead.
"""

import argparse
import collections
import json
import os
from datetime import datetime
import sys
from pathlib import Path

from xml.etree import ElementTree

import feedparser
import xmlschema
from usp.fetch_parse import SitemapFetcher
from usp.objects.sitemap import IndexXMLSitemap

from live_server import live_server

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def fail(message):
    raise SystemExit(f"syndication check failed: {message}")


def public_articles(api):
    """`canonical_url` of every article the public API lists."""
    urls, cursor = [], None
    while True:
        page = api.get("/api/v1/articles?limit=100" + (f"&cursor={cursor}" if cursor else ""))
        urls += [a["canonical_url"] for a in page["data"]]
        cursor = page["meta"]["next_cursor"]
        if not cursor:
            return urls


def check_feeds(api):
    site = api.get("/api/v1/site")
    section = api.get("/api/v1/sections?limit=1")["data"][0]["slug"]
    author = api.get("/api/v1/authors?limit=1")["data"][0]["slug"]
    tag = api.get("/api/v1/tags?limit=1")["data"][0]["slug"]
    newest = api.get("/api/v1/articles?limit=50")["data"]
    narrowings = ["", f"?section={section}", f"?author={author}", f"?tag={tag}", "?lang=ru&limit=100"]
    checked = 0
    for kind, url in site["feeds"].items():
        path = url[len(site["base_url"]) :]
        for query in narrowings:
            status, content_type, body = api.raw(path + query)
            if status != 200:
                fail(f"{path}{query}: {status}")
            if kind == "json":
                check_json_feed(path + query, content_type, body, newest if query == "" else None)
                checked += 1
                continue
            feed = feedparser.parse(body, response_headers={"content-type": content_type})
            if feed.bozo:
                fail(f"{path}{query}: feedparser: {feed.bozo_exception}")
            if not feed.entries:
                fail(f"{path}{query}: no entries")
            for entry in feed.entries:
                if not (entry.get("title") and entry.get("link") and entry.get("id")):
                    fail(f"{path}{query}: an entry without title, link or id")
                if not entry.get("published_parsed"):
                    fail(f"{path}{query}: an entry without a publish time")
            if query == "":
                links = [e.link for e in feed.entries]
                want = [a["canonical_url"] for a in newest]
                if links != want:
                    fail(f"{path}: the newest 50 are not GET /articles' newest 50")
            checked += 1
    print(f"feeds: {checked} (RSS and Atom read by feedparser with bozo 0, JSON Feed checked; whole site and narrowed)")


def check_json_feed(path, content_type, body, newest):
    """What JSON Feed 1.1 (https://jsonfeed.org/version/1.1) requires of a feed and its items."""
    if not content_type.startswith("application/feed+json"):
        fail(f"{path}: content type {content_type}")
    feed = json.loads(body)
    if feed.get("version") != "https://jsonfeed.org/version/1.1" or not isinstance(feed.get("title"), str):
        fail(f"{path}: version or title")
    items = feed.get("items")
    if not isinstance(items, list) or not items:
        fail(f"{path}: no items")
    for item in items:
        if not isinstance(item.get("id"), str) or not ("content_html" in item or "content_text" in item):
            fail(f"{path}: an item without id or content")
        for key in ["date_published", "date_modified"]:
            datetime.fromisoformat(item[key].replace("Z", "+00:00"))
    if newest is not None and [i["url"] for i in items] != [a["canonical_url"] for a in newest]:
        fail(f"{path}: the newest 50 are not GET /articles' newest 50")


def check_schemas(api, xsd_dir, work):
    index_xsd = xmlschema.XMLSchema(str(xsd_dir / "siteindex.xsd"))
    sitemap_xsd = xmlschema.XMLSchema(str(xsd_dir / "sitemap.xsd"))
    status, _, index = api.raw("/sitemap.xml")
    if status != 200:
        fail(f"/sitemap.xml: {status}")
    (work / "sitemap.xml").write_bytes(index)
    index_xsd.validate(str(work / "sitemap.xml"))
    locs = [e.text for e in ElementTree.fromstring(index).iter(f"{{{SITEMAP_NS}}}loc")]
    validated = 1
    for loc in locs:
        path = "/" + loc.split("/", 3)[3]
        if not ("/articles-" in path or path.endswith("/sections.xml")):
            continue
        status, _, body = api.raw(path)
        if status != 200:
            fail(f"{path}: {status}")
        file = work / path.rsplit("/", 1)[1]
        file.write_bytes(body)
        sitemap_xsd.validate(str(file))
        validated += 1
    print(f"xmlschema: the index and {validated - 1} sitemaps are valid against the sitemaps.org schemas")


def check_crawl(api):
    index_url = api.base + "/sitemap.xml"
    tree = SitemapFetcher(url=index_url, recursion_level=0).sitemap()
    if not isinstance(tree, IndexXMLSitemap):
        fail(f"ultimate-sitemap-parser did not read an index at {index_url}: {tree}")
    counts = collections.Counter()
    alternates = 0
    for page in tree.all_pages():
        counts[page.url] += 1
        if page.alternates:
            alternates += 1
    articles = public_articles(api)
    missing = [u for u in articles if counts[u] == 0]
    twice = [u for u, n in counts.items() if n > 1]
    if missing:
        fail(f"{len(missing)} published articles missing from the sitemaps, e.g. {missing[:3]}")
    if twice:
        fail(f"listed more than once: {twice[:3]}")
    listed_articles = [u for u in counts if "/articles/" in u]
    if sorted(listed_articles) != sorted(articles):
        extra = set(listed_articles) - set(articles)
        fail(f"sitemaps list articles the API does not: {sorted(extra)[:3]}")
    if alternates == 0:
        fail("no page lists its language versions")
    news = SitemapFetcher(url=api.base + "/sitemaps/news.xml", recursion_level=0).sitemap()
    stories = [p for p in news.all_pages() if p.news_story]
    site = api.get("/api/v1/site")
    if not stories:
        fail("the news sitemap has no stories")
    for page in stories:
        story = page.news_story
        if story.publication_name != site["name"] or not story.publication_language:
            fail(f"news publication data of {page.url}: {story.publication_name!r}")
        if not (story.title and story.publish_date):
            fail(f"news title or date of {page.url}")
    print(
        f"ultimate-sitemap-parser: {len(articles)} published articles each listed once "
        f"({sum(counts.values())} URLs, {alternates} with language versions); "
        f"news sitemap: {len(stories)} stories with publication data"
    )


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--binary", required=True)
    p.add_argument("--backend", choices=["sqlite", "postgres"], required=True)
    p.add_argument("--postgres-url")
    p.add_argument("--work", required=True)
    p.add_argument("--xsd-dir", default=str(Path(__file__).resolve().parents[2] / "shared/fixtures/xsd"))
    args = p.parse_args()
    xsd_dir = Path(args.xsd_dir)
    work = Path(args.work)
    with live_server(args.binary, args.backend, work, args.postgres_url, base_url=True) as api:
        check_feeds(api)
        if (xsd_dir / "sitemap.xsd").exists():
            check_schemas(api, xsd_dir, work)
        elif os.environ.get("CI") == "true":
            fail(f"CI=true but the sitemaps.org schemas are not in {xsd_dir}")
        else:
            print(f"notice: no sitemaps.org schemas in {xsd_dir}; skipping the schema validation")
        check_crawl(api)
    print(f"syndication checks passed on {args.backend}", file=sys.stderr)


if __name__ == "__main__":
    main()
