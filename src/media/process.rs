//! An upload turned into what is stored: the type sniffed from the bytes, the size checked
//! before anything is decoded, the image decoded under limits, turned upright by its EXIF
//! orientation, and re-encoded (which drops EXIF, GPS and every other metadata block), then
//! resized into the configured widths in WebP and a widely read format.
//!
//! CPU-bound and blocking: run it off the async workers.

use std::io::Cursor;

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::gif::GifEncoder;
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{DynamicImage, Frame, ImageDecoder, ImageFormat, ImageReader, Limits};

/// The formats newsdesk takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    WebP,
    Gif,
}

impl Format {
    /// The format the bytes are in, whatever the file was called or claimed to be.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        match image::guess_format(bytes).ok()? {
            ImageFormat::Jpeg => Some(Format::Jpeg),
            ImageFormat::Png => Some(Format::Png),
            ImageFormat::WebP => Some(Format::WebP),
            ImageFormat::Gif => Some(Format::Gif),
            _ => None,
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::WebP => "image/webp",
            Format::Gif => "image/gif",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::WebP => "webp",
            Format::Gif => "gif",
        }
    }

    /// The media type of a stored file, from its extension.
    pub fn from_extension(ext: &str) -> Option<Self> {
        match ext {
            "jpg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::WebP),
            "gif" => Some(Format::Gif),
            _ => None,
        }
    }

    fn image_format(self) -> ImageFormat {
        match self {
            Format::Jpeg => ImageFormat::Jpeg,
            Format::Png => ImageFormat::Png,
            Format::WebP => ImageFormat::WebP,
            Format::Gif => ImageFormat::Gif,
        }
    }

    /// Besides WebP, the format renditions are also made in: the original's, except that a
    /// GIF's first frame is better served as PNG (WebP originals need no second format).
    fn fallback(self) -> Option<Self> {
        match self {
            Format::Jpeg => Some(Format::Jpeg),
            Format::Png | Format::Gif => Some(Format::Png),
            Format::WebP => None,
        }
    }
}

/// What an upload may be.
#[derive(Debug, Clone)]
pub struct UploadRules {
    pub max_pixels: u64,
    pub widths: Vec<u32>,
}

/// Why an upload was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Rejection {
    #[error("the file is empty")]
    Empty,
    #[error("the file is not a JPEG, PNG, WebP or GIF image")]
    Unsupported,
    #[error("the image is {width} × {height} pixels; at most {max} pixels are accepted")]
    TooManyPixels { width: u32, height: u32, max: u64 },
    #[error("the image cannot be read: {0}")]
    Invalid(String),
}

impl Rejection {
    pub fn code(&self) -> &'static str {
        match self {
            Rejection::Empty => "empty_file",
            Rejection::Unsupported => "unsupported_image_type",
            Rejection::TooManyPixels { .. } => "too_many_pixels",
            Rejection::Invalid(_) => "invalid_image",
        }
    }
}

/// One encoded file.
#[derive(Debug, Clone)]
pub struct Encoded {
    pub format: Format,
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

/// An upload, ready to store.
#[derive(Debug)]
pub struct Processed {
    /// The original's format as uploaded.
    pub format: Format,
    /// The upright, re-encoded original.
    pub original: Encoded,
    /// Narrowest first, WebP before the fallback format at each width.
    pub renditions: Vec<Encoded>,
}

const JPEG_QUALITY: u8 = 85;
/// The longest side libwebp encodes.
const WEBP_MAX_SIDE: u32 = 16_383;
const WEBP_QUALITY: f32 = 80.0;

/// Checks, decodes, re-encodes and resizes an upload.
pub fn process(bytes: &[u8], rules: &UploadRules) -> Result<Processed, Rejection> {
    if bytes.is_empty() {
        return Err(Rejection::Empty);
    }
    let format = Format::sniff(bytes).ok_or(Rejection::Unsupported)?;
    if format == Format::Jpeg && !jpeg_is_complete(bytes) {
        return Err(Rejection::Invalid("the JPEG data ends early".into()));
    }
    let invalid = |e: image::ImageError| Rejection::Invalid(e.to_string());
    // The header alone says how large the image is: refuse a bomb before allocating for it.
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format.image_format())
        .into_dimensions()
        .map_err(invalid)?;
    if u64::from(width) * u64::from(height) > rules.max_pixels {
        return Err(Rejection::TooManyPixels {
            width,
            height,
            max: rules.max_pixels,
        });
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format.image_format());
    let mut decode_limits = Limits::default();
    // RGBA16 is the widest a decoder produces; the headroom covers its working buffers.
    decode_limits.max_alloc = Some(rules.max_pixels.saturating_mul(8).saturating_add(64 << 20));
    reader.limits(decode_limits);
    let mut decoder = reader.into_decoder().map_err(invalid)?;
    let orientation = decoder.orientation().map_err(invalid)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(invalid)?;
    image.apply_orientation(orientation);
    let image = normalize(image);

    let original = encode(&image, format)?;
    let mut renditions = Vec::new();
    let mut resizer = Resizer::new();
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    for &w in rules.widths.iter().filter(|&&w| w < image.width()) {
        let h = scaled_height(image.width(), image.height(), w);
        let mut resized = DynamicImage::new(w, h, image.color());
        resizer
            .resize(&image, &mut resized, &options)
            .map_err(|e| Rejection::Invalid(e.to_string()))?;
        // WebP cannot hold a side over 16,383 pixels (a very tall infographic's narrow copy):
        // such a copy is made in the fallback format only.
        if w <= WEBP_MAX_SIDE && h <= WEBP_MAX_SIDE {
            renditions.push(encode(&resized, Format::WebP)?);
        }
        if let Some(fallback) = format.fallback() {
            renditions.push(encode(&resized, fallback)?);
        }
    }
    Ok(Processed {
        format,
        original,
        renditions,
    })
}

/// Whether a JPEG's last scan is followed by its end-of-image marker. JPEG decoders pad a
/// truncated scan with grey and carry on; a cut-off upload must be refused instead. Inside a
/// scan every 0xFF byte is followed by 0x00 or a restart marker, so the last `FF DA` is the
/// start of the last scan and `FF D9` after it is the real end.
fn jpeg_is_complete(bytes: &[u8]) -> bool {
    let last_scan = bytes.windows(2).rposition(|w| w == [0xFF, 0xDA]);
    last_scan.is_some_and(|at| bytes[at..].windows(2).any(|w| w == [0xFF, 0xD9]))
}

/// The height of a `w`-pixel-wide copy of a `width` × `height` image, at least 1.
fn scaled_height(width: u32, height: u32, w: u32) -> u32 {
    let h = (u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width);
    u32::try_from(h.max(1)).unwrap_or(u32::MAX)
}

/// 8 bits per channel, RGB or RGBA: what every encoder and the resizer take.
fn normalize(image: DynamicImage) -> DynamicImage {
    if image.color().has_alpha() {
        match image {
            DynamicImage::ImageRgba8(_) => image,
            other => DynamicImage::ImageRgba8(other.to_rgba8()),
        }
    } else {
        match image {
            DynamicImage::ImageRgb8(_) => image,
            other => DynamicImage::ImageRgb8(other.to_rgb8()),
        }
    }
}

fn encode(image: &DynamicImage, format: Format) -> Result<Encoded, Rejection> {
    let failed = |e: image::ImageError| Rejection::Invalid(e.to_string());
    let mut data = Vec::new();
    match format {
        Format::Jpeg => {
            // JPEG has no alpha channel.
            let rgb = DynamicImage::ImageRgb8(image.to_rgb8());
            rgb.write_with_encoder(JpegEncoder::new_with_quality(&mut data, JPEG_QUALITY))
                .map_err(failed)?;
        }
        Format::Png => image
            .write_with_encoder(PngEncoder::new(&mut data))
            .map_err(failed)?,
        Format::Gif => {
            let mut encoder = GifEncoder::new(&mut data);
            encoder
                .encode_frame(Frame::new(image.to_rgba8()))
                .map_err(failed)?;
        }
        Format::WebP => {
            let encoder = match image {
                DynamicImage::ImageRgba8(rgba) => {
                    webp::Encoder::from_rgba(rgba.as_raw(), image.width(), image.height())
                }
                DynamicImage::ImageRgb8(rgb) => {
                    webp::Encoder::from_rgb(rgb.as_raw(), image.width(), image.height())
                }
                _ => return Err(Rejection::Invalid("unexpected pixel layout".into())),
            };
            data = encoder
                .encode_simple(false, WEBP_QUALITY)
                .map_err(|e| Rejection::Invalid(format!("WebP encoding failed: {e:?}")))?
                .to_vec();
        }
    }
    Ok(Encoded {
        format,
        width: image.width(),
        height: image.height(),
        data,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heights_keep_the_aspect_ratio() {
        assert_eq!(scaled_height(6000, 4000, 320), 213);
        assert_eq!(scaled_height(4000, 6000, 640), 960);
        assert_eq!(scaled_height(10_000, 1, 320), 1);
    }

    #[test]
    fn a_copy_too_tall_for_webp_is_made_in_the_fallback_format_only() {
        let tall = DynamicImage::ImageRgb8(image::RgbImage::new(200, 40_000));
        let mut png = Cursor::new(Vec::new());
        tall.write_to(&mut png, ImageFormat::Png).unwrap();
        let rules = UploadRules {
            max_pixels: 10_000_000,
            widths: vec![100],
        };
        let p = process(png.get_ref(), &rules).expect("processed");
        let kinds: Vec<(Format, u32, u32)> = p
            .renditions
            .iter()
            .map(|r| (r.format, r.width, r.height))
            .collect();
        assert_eq!(kinds, [(Format::Png, 100, 20_000)]);
    }

    #[test]
    fn a_jpeg_without_its_end_marker_is_incomplete() {
        let scan = [0xFF, 0xD8, 0xFF, 0xDA, 0x00, 0x0C, 0x12, 0xFF, 0x00, 0x34];
        assert!(!jpeg_is_complete(&scan));
        let mut whole = scan.to_vec();
        whole.extend_from_slice(&[0xFF, 0xD9]);
        assert!(jpeg_is_complete(&whole));
    }

    #[test]
    fn sniffing_ignores_names_and_reads_bytes() {
        assert_eq!(Format::sniff(b"\x89PNG\r\n\x1a\n...."), Some(Format::Png));
        assert_eq!(
            Format::sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            None
        );
        assert_eq!(Format::sniff(b"<!doctype html><p>hi"), None);
    }
}
