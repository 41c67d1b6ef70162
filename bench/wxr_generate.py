#!/usr/bin/env python3
"""Writes a WordPress export (WXR 1.2) of N synthetic posts to standard output, the way
WordPress writes one: authors, categories and tags first, then one <item> per post with its
permalink, GMT date, slug, status, categories, tags and an HTML body of about 400 words in
paragraphs (WordPress's blank-line paragraphs, some markup). Deterministic for a given N."""

import random
import sys

WORDS = (
    "port harbour cargo terminal ministry budget vote parliament oil gas pipeline tanker "
    "railway bridge festival museum exhibition football league champion season coach "
    "weather storm flood drought harvest wheat cotton tea export import currency bank "
    "inflation interest market shares company startup technology network mobile school "
    "university student teacher hospital doctor vaccine research climate energy solar wind"
).split()


def sentence(rng, n):
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    rng = random.Random(n)
    out = sys.stdout
    w = out.write
    w('<?xml version="1.0" encoding="UTF-8" ?>\n')
    w('<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
      'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n')
    w("<channel>\n<title>Bench Gazette</title>\n<link>https://gazette.example.com</link>\n")
    w("<wp:wxr_version>1.2</wp:wxr_version>\n")
    w("<wp:base_site_url>https://gazette.example.com</wp:base_site_url>\n")
    authors = [f"reporter{i}" for i in range(20)]
    for i, login in enumerate(authors):
        w(f"<wp:author><wp:author_id>{i + 1}</wp:author_id><wp:author_login><![CDATA[{login}]]>"
          f"</wp:author_login><wp:author_display_name><![CDATA[Reporter {i}]]>"
          "</wp:author_display_name></wp:author>\n")
    categories = ["world", "politics", "business", "sport", "culture", "science", "health",
                  "travel", "opinion", "local"]
    for i, c in enumerate(categories):
        w(f"<wp:category><wp:term_id>{i + 1}</wp:term_id><wp:category_nicename>{c}"
          f"</wp:category_nicename><wp:cat_name><![CDATA[{c.title()}]]></wp:cat_name></wp:category>\n")
    tags = [f"topic-{i}" for i in range(200)]
    for i, t in enumerate(tags):
        w(f"<wp:tag><wp:term_id>{100 + i}</wp:term_id><wp:tag_slug>{t}</wp:tag_slug>"
          f"<wp:tag_name><![CDATA[Topic {i}]]></wp:tag_name></wp:tag>\n")
    for pid in range(1, n + 1):
        title = sentence(rng, rng.randint(4, 9))[:-1]
        slug = f"{title.lower().replace(' ', '-')}-{pid}"
        year, month, day = 2010 + pid % 15, 1 + pid % 12, 1 + pid % 28
        hour, minute, second = pid % 24, pid % 60, (pid * 7) % 60
        date = f"{year}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}:{second:02d}"
        paragraphs = []
        for _ in range(rng.randint(5, 9)):
            text = " ".join(sentence(rng, rng.randint(8, 16)) for _ in range(rng.randint(3, 5)))
            if rng.random() < 0.2:
                text = f"<strong>{text}</strong>"
            paragraphs.append(text)
        body = "\n\n".join(paragraphs)
        cat = rng.choice(categories)
        its_tags = rng.sample(tags, 3)
        status = "publish" if pid % 50 else "draft"
        w("<item>\n")
        w(f"<title>{title}</title>\n")
        w(f"<link>https://gazette.example.com/{year}/{month:02d}/{day:02d}/{slug}/</link>\n")
        w(f"<dc:creator><![CDATA[{rng.choice(authors)}]]></dc:creator>\n")
        w(f"<content:encoded><![CDATA[{body}]]></content:encoded>\n")
        w(f"<excerpt:encoded><![CDATA[{paragraphs[0][:200]}]]></excerpt:encoded>\n")
        w(f"<wp:post_id>{pid}</wp:post_id>\n<wp:post_date>{date}</wp:post_date>\n")
        w(f"<wp:post_date_gmt>{date}</wp:post_date_gmt>\n<wp:post_name>{slug}</wp:post_name>\n")
        w(f"<wp:status>{status}</wp:status>\n<wp:post_type>post</wp:post_type>\n")
        w(f'<category domain="category" nicename="{cat}"><![CDATA[{cat.title()}]]></category>\n')
        for t in its_tags:
            w(f'<category domain="post_tag" nicename="{t}"><![CDATA[{t}]]></category>\n')
        w("</item>\n")
    w("</channel>\n</rss>\n")


if __name__ == "__main__":
    main()
