//! Writes a photo-sized JPEG for the media benchmark: smooth gradients with sensor-like noise,
//! so it compresses about as well as a camera's picture.
//!
//!     cargo run --release --example sample_photo -- 6000 4000 photo.jpg

use image::codecs::jpeg::JpegEncoder;
use image::{Rgb, RgbImage};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(w), Some(h), Some(path)) = (
        args.get(1).and_then(|a| a.parse::<u32>().ok()),
        args.get(2).and_then(|a| a.parse::<u32>().ok()),
        args.get(3),
    ) else {
        eprintln!("usage: sample_photo WIDTH HEIGHT OUT.jpg");
        std::process::exit(2);
    };
    let mut state: u32 = 0x9e37_79b9;
    let mut noise = move || {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        (state % 17) as i32 - 8
    };
    let image = RgbImage::from_fn(w, h, |x, y| {
        let fx = x as f32 / w as f32;
        let fy = y as f32 / h as f32;
        let wave = ((fx * 12.0).sin() * (fy * 9.0).cos() * 40.0) as i32;
        let mut px = |base: f32, k: i32| (base as i32 + wave * k + noise()).clamp(0, 255) as u8;
        Rgb([
            px(60.0 + 150.0 * fx, 1),
            px(90.0 + 120.0 * fy, -1),
            px(200.0 - 120.0 * fx * fy, 1),
        ])
    });
    let file = std::fs::File::create(path).expect("create the output file");
    let mut out = std::io::BufWriter::new(file);
    image
        .write_with_encoder(JpegEncoder::new_with_quality(&mut out, 92))
        .expect("encode");
}
