//! Why generated portraits: the demo store, tests and benchmarks need photos of "a child", and
//! no real child's photo (nor a stock photo of one) may ever sit in this repository. These are
//! flat cartoon shapes, obviously not anyone, built in code so they need no fixture files and
//! are identical on every machine for the same seed.

use image::codecs::jpeg::JpegEncoder;
use image::error::{ParameterError, ParameterErrorKind};
use image::{ImageError, Rgb, RgbImage};

use crate::{PhotoError, PhotoLimits};

/// A fictional, generated portrait as JPEG bytes, for the demo store, tests and benchmarks.
///
/// A flat background with simple head-and-shoulders shapes whose colours and proportions come
/// from `seed`: clearly not a real person. The same seed and size always give the same bytes.
///
/// # Errors
/// [`PhotoError::EncodeFailed`] if either side is 0 or over 65535 (JPEG's limit), or the picture
/// is over the default [`PhotoLimits::max_pixels`].
pub fn synthetic_portrait(seed: u64, width: u32, height: u32) -> Result<Vec<u8>, PhotoError> {
    let pixels = u64::from(width) * u64::from(height);
    if width == 0
        || height == 0
        || width > 65_535
        || height > 65_535
        || pixels > PhotoLimits::default().max_pixels
    {
        return Err(PhotoError::EncodeFailed {
            source: ImageError::Parameter(ParameterError::from_kind(
                ParameterErrorKind::DimensionMismatch,
            )),
        });
    }
    let image = draw(seed, width, height);
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&image)
        .map_err(|source| PhotoError::EncodeFailed { source })?;
    Ok(out)
}

/// SplitMix64: tiny, well-mixed and stable forever, unlike a `rand` version bump.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A value in `lo..=hi`.
    fn range(&mut self, lo: u8, hi: u8) -> u8 {
        let span = u64::from(hi.saturating_sub(lo)) + 1;
        lo.saturating_add(u8::try_from(self.next() % span).unwrap_or(0))
    }

    /// A fraction in 0.0..1.0.
    fn unit(&mut self) -> f32 {
        // 16 random bits are plenty for proportions, and convert to f32 exactly.
        f32::from(u16::try_from(self.next() >> 48).unwrap_or(0)) / 65_536.0
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> Option<T> {
        let len = u64::try_from(items.len()).ok()?;
        items
            .get(usize::try_from(self.next() % len.max(1)).ok()?)
            .copied()
    }
}

fn draw(seed: u64, width: u32, height: u32) -> RgbImage {
    let mut rng = SplitMix(seed);
    let background = Rgb([
        rng.range(150, 235),
        rng.range(150, 235),
        rng.range(150, 235),
    ]);
    let clothes = Rgb([rng.range(20, 200), rng.range(20, 200), rng.range(20, 200)]);
    let skin = rng
        .pick(&[
            [255, 219, 172],
            [241, 194, 125],
            [224, 172, 105],
            [198, 134, 66],
            [141, 85, 36],
            [92, 58, 30],
        ])
        .map_or(Rgb([224, 172, 105]), Rgb);
    let hair = rng
        .pick(&[
            [20, 20, 20],
            [70, 40, 20],
            [140, 90, 40],
            [200, 160, 80],
            [150, 40, 20],
        ])
        .map_or(Rgb([20, 20, 20]), Rgb);
    let eyes = Rgb([40, 30, 30]);

    let (w, h) = (width as f32, height as f32);
    let s = w.min(h);
    let cx = w / 2.0 + (rng.unit() - 0.5) * 0.06 * w;
    let head_cy = h * (0.36 + rng.unit() * 0.06);
    let head_rx = s * (0.15 + rng.unit() * 0.04);
    let head_ry = head_rx * (1.2 + rng.unit() * 0.15);
    let hair_extra = s * (0.01 + rng.unit() * 0.04);
    let shoulder_rx = w.min(s * 1.2) * (0.40 + rng.unit() * 0.08);
    let shoulder_cy = h * 1.02;
    let shoulder_ry = h - (head_cy + head_ry * 0.85);
    let neck_half = head_rx * 0.45;
    let eye_dx = head_rx * 0.38;
    let eye_y = head_cy - head_ry * 0.05;
    let eye_r = (s * 0.012).max(1.0);

    let in_ellipse = |x: f32, y: f32, cx: f32, cy: f32, rx: f32, ry: f32| {
        let (dx, dy) = ((x - cx) / rx.max(0.5), (y - cy) / ry.max(0.5));
        dx * dx + dy * dy <= 1.0
    };

    RgbImage::from_fn(width, height, |px, py| {
        let (x, y) = (px as f32 + 0.5, py as f32 + 0.5);
        let eye = |ex: f32| in_ellipse(x, y, ex, eye_y, eye_r, eye_r);
        if eye(cx - eye_dx) || eye(cx + eye_dx) {
            eyes
        } else if in_ellipse(x, y, cx, head_cy, head_rx, head_ry) {
            skin
        } else if in_ellipse(
            x,
            y,
            cx,
            head_cy - hair_extra,
            head_rx + hair_extra,
            head_ry + hair_extra,
        ) && y < head_cy
        {
            hair
        } else if in_ellipse(x, y, cx, shoulder_cy, shoulder_rx, shoulder_ry) {
            clothes
        } else if (x - cx).abs() <= neck_half && y > head_cy {
            skin
        } else {
            background
        }
    })
}
