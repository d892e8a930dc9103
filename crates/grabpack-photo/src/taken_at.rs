//! Why the date comes from EXIF, read from the original bytes: the protocol asks for a *dated*
//! photo, and the only trustworthy date is the one the camera wrote when the picture was taken
//! (not the file's modified time, which changes with every copy). The output JPEG carries no
//! metadata at all, so this is the one moment the date can be read. Cameras fill the three date
//! tags inconsistently, so we take the first of them that parses; a broken EXIF block only costs
//! us the date, never the photo.

use std::io::Cursor;

use exif::{In, Tag, Value};
use jiff::civil::DateTime;

/// The date the photo was taken, as the camera recorded it (local time, no offset), if known.
pub(crate) fn taken_at(bytes: &[u8]) -> Option<DateTime> {
    // kamadak-exif parses untrusted input; a panic there must cost the date, not the photo.
    std::panic::catch_unwind(|| read(bytes)).ok().flatten()
}

fn read(bytes: &[u8]) -> Option<DateTime> {
    let exif = exif::Reader::new()
        .read_from_container(&mut Cursor::new(bytes))
        .ok()?;
    [Tag::DateTimeOriginal, Tag::DateTimeDigitized, Tag::DateTime]
        .into_iter()
        .find_map(|tag| {
            let field = exif.get_field(tag, In::PRIMARY)?;
            let Value::Ascii(ref parts) = field.value else {
                return None;
            };
            let parsed = exif::DateTime::from_ascii(parts.first()?).ok()?;
            DateTime::new(
                i16::try_from(parsed.year).ok()?,
                i8::try_from(parsed.month).ok()?,
                i8::try_from(parsed.day).ok()?,
                i8::try_from(parsed.hour).ok()?,
                i8::try_from(parsed.minute).ok()?,
                i8::try_from(parsed.second).ok()?,
                0,
            )
            .ok()
        })
}
