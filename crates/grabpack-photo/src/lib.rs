//! Photo intake for a looked-after child's grab pack.
//!
//! Why this crate exists: the photo is the single most useful thing police get when a child goes
//! missing, and the least safe thing we handle. Phone photos carry GPS coordinates of the care
//! home, camera serials and timestamps in their metadata; sending those to police or keeping them
//! in the store is a safeguarding leak. They also arrive in shapes that break things: sideways
//! (EXIF orientation that most viewers honour and the PDF would not), 12-50 MP (too big to email
//! or open on a patrol phone), HEIC from iPhones, half-copied files, and occasionally files built
//! to exhaust memory. So every photo passes through [`process`], which refuses what it cannot
//! handle with a message a care worker can act on, and otherwise returns one normalised form:
//! an upright, bounded-size, metadata-free JPEG, plus the date the camera says it was taken
//! (the protocol asks for a *dated* photo).

mod error;
mod rebuild;
mod sniff;
mod synthetic;
mod taken_at;

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{
    DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits, Rgb, RgbImage,
    metadata::Orientation,
};
use sha2::{Digest, Sha256};

pub use error::PhotoError;
pub use rebuild::rebuild_jpeg;
pub use synthetic::synthetic_portrait;

/// What a photo may cost us, in file size, memory and output size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoLimits {
    /// Largest file accepted, in bytes (default 40 MiB), checked before anything is parsed.
    pub max_file_bytes: u64,
    /// Largest picture accepted, in pixels (default 50 million), checked from the file header
    /// before any pixel data is decoded: the decompression-bomb guard.
    pub max_pixels: u64,
    /// Long edge of the output, in pixels (default 1600). Smaller photos are never enlarged.
    pub max_long_edge: u32,
    /// JPEG quality of the output, 1-100 (default 85). Out-of-range values are clamped.
    pub jpeg_quality: u8,
}

impl Default for PhotoLimits {
    /// 40 MiB covers any phone or camera JPEG; 50 MP covers a 48 MP phone sensor; 1600 px is
    /// sharp enough to recognise a face on a patrol laptop and keeps a PDF of several photos
    /// small enough to email.
    fn default() -> Self {
        Self {
            max_file_bytes: 40 * 1024 * 1024,
            max_pixels: 50_000_000,
            max_long_edge: 1600,
            jpeg_quality: 85,
        }
    }
}

/// The kind of file the photo arrived as (the output is always JPEG).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceFormat {
    /// JPEG (what phones and cameras save by default, except iPhones set to HEIC).
    Jpeg,
    /// PNG (screenshots, scans).
    Png,
    /// WebP (images saved from web pages and some Android apps).
    Webp,
}

/// A photo ready to store in the grab pack and send to police.
#[derive(Clone, PartialEq, Eq)]
pub struct ProcessedPhoto {
    /// Re-encoded JPEG: upright, long edge at most `max_long_edge`, no metadata at all
    /// (no EXIF, GPS, XMP, ICC profile or comment; only the JFIF header).
    pub jpeg: Vec<u8>,
    /// Width of `jpeg` in pixels, after rotation and scaling.
    pub width: u32,
    /// Height of `jpeg` in pixels, after rotation and scaling.
    pub height: u32,
    /// What the original file was.
    pub source_format: SourceFormat,
    /// When the camera says the photo was taken, in the camera's local time, from EXIF
    /// `DateTimeOriginal` (else `DateTimeDigitized`, else `DateTime`). `None` when absent,
    /// blank or unreadable; the care worker then enters the date by hand.
    pub taken_at: Option<jiff::civil::DateTime>,
    /// SHA-256 of `jpeg`, lower-case hex: lets the store de-duplicate and the audit log prove
    /// which photo was sent.
    pub sha256_hex: String,
}

/// Shows sizes and the hash, never the bytes: a child's photo must not end up in a log file.
impl std::fmt::Debug for ProcessedPhoto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProcessedPhoto")
            .field("jpeg", &format_args!("<{} bytes>", self.jpeg.len()))
            .field("width", &self.width)
            .field("height", &self.height)
            .field("source_format", &self.source_format)
            .field("taken_at", &self.taken_at)
            .field("sha256_hex", &self.sha256_hex)
            .finish()
    }
}

/// Turns the bytes of a photo file into an upright, resized, metadata-free JPEG.
///
/// Checks, in order: empty; file size; HEIC; format by magic bytes (JPEG, PNG, WebP only);
/// truncation; pixel count from the header alone; then decodes with `image::Limits` as a second
/// guard, applies the EXIF orientation, scales the long edge down to `max_long_edge`, flattens
/// transparency onto white and encodes JPEG at `jpeg_quality`.
///
/// # Errors
/// A [`PhotoError`] whose [`code`](PhotoError::code) says which check failed. Never panics.
pub fn process(bytes: &[u8], limits: &PhotoLimits) -> Result<ProcessedPhoto, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size > limits.max_file_bytes {
        return Err(PhotoError::FileTooLarge {
            size,
            max: limits.max_file_bytes,
        });
    }
    if sniff::is_heif(bytes) {
        return Err(PhotoError::HeicUnsupported);
    }
    let (format, source_format) = detect_format(bytes)?;
    let incomplete = match source_format {
        SourceFormat::Jpeg => !sniff::jpeg_is_complete(bytes),
        SourceFormat::Webp => sniff::webp_is_truncated(bytes),
        SourceFormat::Png => false, // the PNG decoder itself fails on missing image data
    };
    if incomplete {
        return Err(PhotoError::Corrupt { source: None });
    }

    let (width, height) = header_dimensions(bytes, format, limits)?;
    let target = output_size((width, height), limits.max_long_edge);
    let (decoded, orientation) = decode(bytes, format, (width, height), target, limits)?;
    let image = shrink_to(flatten_onto_white(decoded), target);
    // Rotating after shrinking is the same picture (the long edge is the same either way) and
    // moves 2.5 MP instead of 12.
    let mut upright = DynamicImage::ImageRgb8(image);
    upright.apply_orientation(orientation);
    let upright = upright.into_rgb8();

    let jpeg = encode_jpeg(&upright, limits.jpeg_quality)?;
    Ok(ProcessedPhoto {
        sha256_hex: sha256_hex(&jpeg),
        width: upright.width(),
        height: upright.height(),
        source_format,
        taken_at: taken_at::taken_at(bytes),
        jpeg,
    })
}

/// A photo as another device of the home stored it, checked before this device keeps it: a
/// complete JPEG holding nothing a decoder does not need (byte for byte what [`rebuild_jpeg`]
/// keeps of it: no metadata, no second image, nothing after the end), within the pixel limit,
/// its long edge no longer than `max_long_edge`. Returns its width and height from the header.
///
/// Why check and not re-encode: the sending device's pipeline ([`process`], then the rebuild or
/// the clean re-encode) already made these bytes, and they are the record's on every device (its
/// SHA-256 names it); a re-encode here would give each device a different photo. A paired device
/// that sends anything else (a hostile or careless one) is refused.
///
/// # Errors
/// [`PhotoError::NotAsStored`] whenever the bytes are not such a photo, whatever the reason.
pub fn check_as_stored(bytes: &[u8], limits: &PhotoLimits) -> Result<(u32, u32), PhotoError> {
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if bytes.is_empty() || size > limits.max_file_bytes {
        return Err(PhotoError::NotAsStored);
    }
    let jpeg = matches!(detect_format(bytes), Ok((_, SourceFormat::Jpeg)));
    if !jpeg || !sniff::jpeg_is_complete(bytes) || rebuild_jpeg(bytes).as_deref() != Some(bytes) {
        return Err(PhotoError::NotAsStored);
    }
    let (width, height) =
        header_dimensions(bytes, ImageFormat::Jpeg, limits).map_err(|_| PhotoError::NotAsStored)?;
    if width.max(height) > limits.max_long_edge {
        return Err(PhotoError::NotAsStored);
    }
    Ok((width, height))
}

fn detect_format(bytes: &[u8]) -> Result<(ImageFormat, SourceFormat), PhotoError> {
    let guessed = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| PhotoError::Corrupt {
            source: Some(ImageError::IoError(e)),
        })?
        .format();
    match guessed {
        Some(ImageFormat::Jpeg) => Ok((ImageFormat::Jpeg, SourceFormat::Jpeg)),
        Some(ImageFormat::Png) => Ok((ImageFormat::Png, SourceFormat::Png)),
        Some(ImageFormat::WebP) => Ok((ImageFormat::WebP, SourceFormat::Webp)),
        _ => Err(PhotoError::UnsupportedFormat),
    }
}

/// The decoders' allocation budget: the largest accepted picture at 16-bit RGBA, the widest
/// pixel any of our formats decodes to.
fn alloc_budget(limits: &PhotoLimits) -> u64 {
    limits.max_pixels.saturating_mul(8)
}

/// Reads only the header and refuses a picture that claims too many pixels, before any pixel
/// data is touched: a few hundred bytes can claim 20000 x 20000 and 1.6 GB of memory.
fn header_dimensions(
    bytes: &[u8],
    format: ImageFormat,
    limits: &PhotoLimits,
) -> Result<(u32, u32), PhotoError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut header_limits = Limits::default();
    header_limits.max_alloc = Some(alloc_budget(limits));
    reader.limits(header_limits);
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| decode_error(e, (0, 0), limits))?;
    if u64::from(width) * u64::from(height) > limits.max_pixels {
        return Err(PhotoError::TooManyPixels {
            width,
            height,
            max_pixels: limits.max_pixels,
        });
    }
    if width == 0 || height == 0 {
        return Err(PhotoError::Corrupt { source: None });
    }
    Ok((width, height))
}

/// Full decode, with `image::Limits` pinned to the dimensions the header promised: the second
/// guard, should a decoder ever disagree with its own header. A JPEG at least twice the output
/// size is decoded at reduced scale instead ([`decode_jpeg_scaled`]); whatever that path cannot
/// read comes here, so its errors are this decoder's.
fn decode(
    bytes: &[u8],
    format: ImageFormat,
    (width, height): (u32, u32),
    target: (u32, u32),
    limits: &PhotoLimits,
) -> Result<(DynamicImage, Orientation), PhotoError> {
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut decode_limits = Limits::default();
    decode_limits.max_image_width = Some(width);
    decode_limits.max_image_height = Some(height);
    decode_limits.max_alloc = Some(alloc_budget(limits));
    reader.limits(decode_limits);
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| decode_error(e, (width, height), limits))?;
    // A broken EXIF block must not cost the photo: it is then shown as stored.
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    if format == ImageFormat::Jpeg
        && let Some(scaled) = decode_jpeg_scaled(bytes, (width, height), target, limits)
    {
        return Ok((DynamicImage::ImageRgb8(scaled), orientation));
    }
    // Decoders parse hostile input; treat a panic inside one as a damaged file, not a crash.
    let decoded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        DynamicImage::from_decoder(decoder)
    }))
    .map_err(|_| PhotoError::Corrupt { source: None })?
    .map_err(|e| decode_error(e, (width, height), limits))?;
    Ok((decoded, orientation))
}

/// Decodes a JPEG at 1/2, 1/4 or 1/8 of its size inside the inverse DCT (`jpeg-decoder`'s
/// `scale`), the largest of those still at least the output size. Why: a 12-megapixel photo
/// becomes 1600 px wide, so three quarters of the full decode's IDCT, colour conversion and
/// memory went into pixels the resize then averaged away (the full decode and the halving were
/// most of an import). Only the last step, below 2x, is left to the resize filter.
///
/// `None` sends the photo down the full decode: smaller than twice the output, a colour model
/// other than grey or RGB (CMYK, 16-bit), a header this decoder reads differently from the one
/// the limits were checked against, or any error or panic (the full decoder then reports it).
fn decode_jpeg_scaled(
    bytes: &[u8],
    (width, height): (u32, u32),
    (target_w, target_h): (u32, u32),
    limits: &PhotoLimits,
) -> Option<RgbImage> {
    if width < 2 * target_w || height < 2 * target_h {
        return None;
    }
    let requested = (u16::try_from(target_w).ok()?, u16::try_from(target_h).ok()?);
    // Decoders parse hostile input; a panic here is a file for the full decoder to judge.
    std::panic::catch_unwind(|| {
        let mut decoder = jpeg_decoder::Decoder::new(bytes);
        decoder.set_max_decoding_buffer_size(usize::try_from(alloc_budget(limits)).ok()?);
        decoder.read_info().ok()?;
        let full = decoder.info()?;
        if (u32::from(full.width), u32::from(full.height)) != (width, height) {
            return None;
        }
        let (w, h) = decoder.scale(requested.0, requested.1).ok()?;
        let (w, h) = (u32::from(w), u32::from(h));
        if w < target_w || h < target_h {
            return None;
        }
        let format = decoder.info()?.pixel_format;
        let pixels = decoder.decode().ok()?;
        let rgb = match format {
            jpeg_decoder::PixelFormat::RGB24 => pixels,
            jpeg_decoder::PixelFormat::L8 => pixels.iter().flat_map(|&l| [l, l, l]).collect(),
            jpeg_decoder::PixelFormat::L16 | jpeg_decoder::PixelFormat::CMYK32 => return None,
        };
        RgbImage::from_raw(w, h, rgb)
    })
    .ok()
    .flatten()
}

fn decode_error(
    error: ImageError,
    (width, height): (u32, u32),
    limits: &PhotoLimits,
) -> PhotoError {
    match error {
        ImageError::Limits(_) => PhotoError::TooManyPixels {
            width,
            height,
            max_pixels: limits.max_pixels,
        },
        // e.g. an arithmetic-coded or 12-bit JPEG: readable by some programs, not by us.
        ImageError::Unsupported(_) => PhotoError::UnsupportedFormat,
        other => PhotoError::Corrupt {
            source: Some(other),
        },
    }
}

/// Transparent areas (screenshots, cut-outs) become white, as they would look on paper, rather
/// than the black that dropping the alpha channel gives.
fn flatten_onto_white(image: DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.into_rgb8();
    }
    let rgba = image.into_rgba8();
    let mut rgb = RgbImage::new(rgba.width(), rgba.height());
    for (out, px) in rgb.pixels_mut().zip(rgba.pixels()) {
        let [r, g, b, a] = px.0;
        let blend = |c: u8| -> u8 {
            let (c, a) = (u16::from(c), u16::from(a));
            // c*a + 255*(255-a), divided by 255 with rounding; the result is at most 255.
            u8::try_from((c * a + 255 * (255 - a) + 127) / 255).unwrap_or(u8::MAX)
        };
        *out = Rgb([blend(r), blend(g), blend(b)]);
    }
    rgb
}

/// The output's size: the long edge at most `max_long_edge`, the aspect kept; never enlarged.
fn output_size((w, h): (u32, u32), max_long_edge: u32) -> (u32, u32) {
    let max_long_edge = max_long_edge.max(1);
    let long = w.max(h);
    if long <= max_long_edge {
        return (w, h);
    }
    let scale = |short: u32| -> u32 {
        let scaled =
            (u64::from(short) * u64::from(max_long_edge) + u64::from(long) / 2) / u64::from(long);
        u32::try_from(scaled).unwrap_or(max_long_edge).max(1)
    };
    if w >= h {
        (max_long_edge, scale(h))
    } else {
        (scale(w), max_long_edge)
    }
}

/// Scales down to `(nw, nh)` (from [`output_size`]); a picture already that size is kept.
fn shrink_to(image: RgbImage, (nw, nh): (u32, u32)) -> RgbImage {
    if image.dimensions() == (nw, nh) {
        return image;
    }
    // Halve with a 2x2 average while the picture is at least twice the target: exact, cheap and
    // cache-friendly, it does most of the work of taking a 12-megapixel photo to 1600 px (the
    // CatmullRom filter over the full picture was ~85% of an import); CatmullRom then does the
    // last step, below 2x, where its sharpness matters.
    let mut image = image;
    while image.width() >= 2 * nw && image.height() >= 2 * nh {
        image = halve(&image);
    }
    if image.dimensions() == (nw, nh) {
        return image;
    }
    catmull_rom(&image, (nw, nh))
}

/// The last resize step with the CatmullRom filter, in `fast_image_resize`'s SIMD convolution
/// (8-bit, AVX2 or SSE4.1 where the processor has them). `image`'s own resize of a 2000 x 1500
/// picture to 1600 x 1200 was ~45% of an import in a profile (per-pixel `get_pixel` and
/// `roundf` over floats). Should the fast path refuse (it never does for a well-formed RGB
/// buffer), `image`'s resize gives the same picture.
fn catmull_rom(image: &RgbImage, (nw, nh): (u32, u32)) -> RgbImage {
    use fast_image_resize::{FilterType as Filter, PixelType, ResizeAlg, ResizeOptions, Resizer};
    let fast = || -> Option<RgbImage> {
        let (w, h) = image.dimensions();
        let src =
            fast_image_resize::images::ImageRef::new(w, h, image.as_raw(), PixelType::U8x3).ok()?;
        let mut dst = fast_image_resize::images::Image::new(nw, nh, PixelType::U8x3);
        let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(Filter::CatmullRom));
        Resizer::new().resize(&src, &mut dst, &options).ok()?;
        RgbImage::from_raw(nw, nh, dst.into_vec())
    };
    fast().unwrap_or_else(|| image::imageops::resize(image, nw, nh, FilterType::CatmullRom))
}

/// Half the width and height, each output pixel the rounded mean of a 2x2 block (an odd last
/// row or column is dropped: under a pixel of the source).
fn halve(image: &RgbImage) -> RgbImage {
    let (w, h) = (image.width() / 2, image.height() / 2);
    let stride = image.width() as usize * 3;
    let src = image.as_raw();
    let mut out = Vec::with_capacity(w as usize * h as usize * 3);
    for y in 0..h as usize {
        let top = &src[2 * y * stride..][..stride];
        let bottom = &src[(2 * y + 1) * stride..][..stride];
        for x in 0..w as usize {
            let i = 6 * x;
            for c in 0..3 {
                let sum = u16::from(top[i + c])
                    + u16::from(top[i + 3 + c])
                    + u16::from(bottom[i + c])
                    + u16::from(bottom[i + 3 + c]);
                // At most (4 * 255 + 2) / 4 = 255.
                out.push(u8::try_from((sum + 2) / 4).unwrap_or(u8::MAX));
            }
        }
    }
    // The buffer holds exactly w * h pixels.
    RgbImage::from_raw(w, h, out).unwrap_or_else(|| RgbImage::new(w, h))
}

/// Encodes with `jpeg-encoder`, which writes only what we give it: pixels and a JFIF header
/// (SOI, APP0, DQT, SOF0, DHT, SOS, EOI; an Adobe APP14 only for CMYK, which we never pass). No
/// EXIF, ICC or comment segment is ever set, so none can leak through. Why not `image`'s own
/// encoder: its scalar DCT and bit writer were ~17% of an import in a profile; this one uses
/// AVX2 where the processor has it, and below quality 90 subsamples colour 4:2:0 as phone
/// cameras do (smaller packs to email). Should it fail, `image`'s encoder writes the photo.
fn encode_jpeg(image: &RgbImage, quality: u8) -> Result<Vec<u8>, PhotoError> {
    let quality = quality.clamp(1, 100);
    if let (Ok(w), Ok(h)) = (u16::try_from(image.width()), u16::try_from(image.height())) {
        let mut out = Vec::new();
        let encoded = jpeg_encoder::Encoder::new(&mut out, quality).encode(
            image.as_raw(),
            w,
            h,
            jpeg_encoder::ColorType::Rgb,
        );
        if encoded.is_ok() {
            return Ok(out);
        }
    }
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(image)
        .map_err(|source| PhotoError::EncodeFailed { source })?;
    Ok(out)
}

fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for byte in digest {
        let _ = write!(hex, "{byte:02x}");
    }
    hex
}
