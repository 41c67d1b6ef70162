//! Embeds: a paragraph that is only a link to a post or player of an allowed provider (or a
//! `{{embed URL}}` line) becomes that provider's embed markup. Nothing is fetched: the markup is
//! made from the URL alone. Any other link stays a link.
//!
//! Players (YouTube, Vimeo, SoundCloud, Telegram) are sandboxed `<iframe>`s; posts (X, Instagram)
//! are the blockquotes the providers document, which their widget scripts (loaded by the front
//! end, never by newsdesk) turn into cards and which read as a plain link without them.

use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use url::Url;

/// Where an embedded `<iframe>` may point; every other frame source is removed.
pub const FRAME_SOURCES: &[&str] = &[
    "https://www.youtube-nocookie.com/embed/",
    "https://player.vimeo.com/video/",
    "https://w.soundcloud.com/player/",
    "https://t.me/",
];

/// The classes the post blockquotes carry.
pub const POST_CLASSES: &[&str] = &["twitter-tweet", "instagram-media"];

/// What the `sandbox` attribute of every frame allows: running the player and opening links.
pub const SANDBOX: &str = "allow-scripts allow-same-origin allow-popups allow-presentation";

/// The embed markup for a paragraph whose whole text is `text`, if it names an allowed post
/// or player.
pub fn embed_html(text: &str) -> Option<String> {
    let text = text.trim();
    let raw = text
        .strip_prefix("{{embed ")
        .and_then(|rest| rest.strip_suffix("}}"))
        .map_or(text, str::trim);
    if raw.contains(char::is_whitespace) {
        return None;
    }
    let url = Url::parse(raw).ok()?;
    if url.scheme() != "https" && url.scheme() != "http" {
        return None;
    }
    let host = url
        .host_str()?
        .trim_start_matches("www.")
        .trim_start_matches("m.");
    let segments: Vec<&str> = url
        .path_segments()
        .map(|s| s.filter(|p| !p.is_empty()).collect())
        .unwrap_or_default();
    match (host, segments.as_slice()) {
        ("youtube.com", ["watch"]) => {
            let id = url.query_pairs().find(|(k, _)| k == "v")?.1.into_owned();
            youtube(&id)
        }
        ("youtube.com", ["shorts" | "embed" | "live", id]) | ("youtu.be", [id]) => youtube(id),
        ("vimeo.com", [id]) if is_digits(id) => Some(frame(
            &format!("https://player.vimeo.com/video/{id}"),
            "Vimeo video player",
            "autoplay; fullscreen; picture-in-picture",
            (640, 360),
        )),
        ("soundcloud.com", [artist, track]) if is_word(artist) && is_word(track) => {
            let page = format!("https://soundcloud.com/{artist}/{track}");
            let src = format!(
                "https://w.soundcloud.com/player/?url={}",
                utf8_percent_encode(&page, NON_ALPHANUMERIC)
            );
            Some(frame(&src, "SoundCloud player", "autoplay", (640, 166)))
        }
        ("t.me", [channel, post]) if is_word(channel) && is_digits(post) => Some(frame(
            &format!("https://t.me/{channel}/{post}?embed=1"),
            "Telegram post",
            "",
            (640, 480),
        )),
        ("twitter.com" | "x.com", [user, "status", id]) if is_word(user) && is_digits(id) => {
            let link = format!("https://twitter.com/{user}/status/{id}");
            Some(format!(
                "<blockquote class=\"twitter-tweet\"><a href=\"{link}\">{link}</a></blockquote>"
            ))
        }
        ("instagram.com", [kind @ ("p" | "reel" | "tv"), code]) if is_word(code) => {
            let link = format!("https://www.instagram.com/{kind}/{code}/");
            Some(format!(
                "<blockquote class=\"instagram-media\" data-instgrm-permalink=\"{link}\" \
                 data-instgrm-version=\"14\"><a href=\"{link}\">{link}</a></blockquote>"
            ))
        }
        _ => None,
    }
}

fn youtube(id: &str) -> Option<String> {
    let valid = id.len() == 11
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    valid.then(|| {
        frame(
            &format!("https://www.youtube-nocookie.com/embed/{id}"),
            "YouTube video player",
            "accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; \
             picture-in-picture; web-share",
            (560, 315),
        )
    })
}

fn frame(src: &str, title: &str, allow: &str, (width, height): (u32, u32)) -> String {
    format!(
        "<iframe src=\"{src}\" title=\"{title}\" width=\"{width}\" height=\"{height}\" \
         allow=\"{allow}\" allowfullscreen=\"\" loading=\"lazy\"></iframe>"
    )
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.len() <= 25 && s.bytes().all(|b| b.is_ascii_digit())
}

/// A user, channel or slug: letters, digits, `_`, `-` and `.`.
fn is_word(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 100
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// Whether an `<iframe src>` may stay.
pub fn frame_source_allowed(src: &str) -> bool {
    FRAME_SOURCES.iter().any(|p| src.starts_with(p)) && !src.contains("..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn providers_are_recognised_from_their_urls() {
        let yt = embed_html("https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=10").unwrap();
        assert!(
            yt.contains("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\""),
            "{yt}"
        );
        assert!(embed_html("https://youtu.be/dQw4w9WgXcQ").is_some());
        assert!(
            embed_html("{{embed https://vimeo.com/76979871}}")
                .unwrap()
                .contains("player.vimeo.com/video/76979871")
        );
        let x = embed_html("https://x.com/nasa/status/1234567890").unwrap();
        assert!(x.starts_with("<blockquote class=\"twitter-tweet\">"), "{x}");
        assert!(
            embed_html("https://www.instagram.com/p/C1a2B3c4D5e/")
                .unwrap()
                .contains("instagram-media")
        );
        assert!(
            embed_html("https://t.me/durov/43")
                .unwrap()
                .contains("?embed=1")
        );
        assert!(
            embed_html("https://soundcloud.com/artist/track-name")
                .unwrap()
                .contains("w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud")
        );
    }

    #[test]
    fn everything_else_is_not_an_embed() {
        for text in [
            "https://example.com/watch?v=dQw4w9WgXcQ",
            "https://www.youtube.com/watch?v=short",
            "see https://youtu.be/dQw4w9WgXcQ",
            "javascript:alert(1)",
            "https://youtu.be/dQw4w9WgXcQ\"><script>",
            "{{embed https://evil.example/x}}",
            "https://x.com/nasa",
        ] {
            assert_eq!(embed_html(text), None, "{text}");
        }
    }
}
