//! The fonts the pack is printed in, compiled into the binary.
//!
//! Why compiled in: a pack is built in an emergency, possibly on a shared laptop with no fonts for
//! Bengali or Chinese installed; the pack must look the same everywhere. Why several fonts: no single
//! font covers every script London's children write their names in, so each run of text is set in the
//! first font of [`FALLBACK_ORDER`] that has glyphs for it (see [`crate::shape`]). krilla embeds only the
//! glyphs a pack uses (subsetting), so the 6.8 MB of fonts cost a pack a few tens of kilobytes.

use std::sync::OnceLock;

/// A typeface the pack can print with. Bold is a weight of the same face where one exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PackFont {
    /// Latin (with Polish, Czech, Vietnamese ... diacritics), Greek, Cyrillic.
    Latin,
    /// Arabic and Urdu.
    Arabic,
    /// Bengali.
    Bengali,
    /// Gurmukhi (Punjabi).
    Gurmukhi,
    /// Gujarati.
    Gujarati,
    /// Devanagari (Hindi, Marathi, Nepali).
    Devanagari,
    /// Chinese (simplified and common traditional characters); one weight only.
    Chinese,
}

/// Regular or bold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Weight {
    /// Body text.
    #[default]
    Regular,
    /// Headings, labels and names.
    Bold,
}

/// The order in which fonts are tried for a character that the current run's font cannot print.
pub const FALLBACK_ORDER: [PackFont; 7] = [
    PackFont::Latin,
    PackFont::Arabic,
    PackFont::Bengali,
    PackFont::Gurmukhi,
    PackFont::Gujarati,
    PackFont::Devanagari,
    PackFont::Chinese,
];

macro_rules! font_file {
    ($name:literal) => {
        include_bytes!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../assets/fonts/",
            $name
        ))
    };
}

static LATIN_REGULAR: &[u8] = font_file!("NotoSans-Regular.ttf");
static LATIN_BOLD: &[u8] = font_file!("NotoSans-Bold.ttf");
static ARABIC_REGULAR: &[u8] = font_file!("NotoSansArabic-Regular.ttf");
static ARABIC_BOLD: &[u8] = font_file!("NotoSansArabic-Bold.ttf");
static BENGALI_REGULAR: &[u8] = font_file!("NotoSansBengali-Regular.ttf");
static BENGALI_BOLD: &[u8] = font_file!("NotoSansBengali-Bold.ttf");
static GURMUKHI_REGULAR: &[u8] = font_file!("NotoSansGurmukhi-Regular.ttf");
static GURMUKHI_BOLD: &[u8] = font_file!("NotoSansGurmukhi-Bold.ttf");
static GUJARATI_REGULAR: &[u8] = font_file!("NotoSansGujarati-Regular.ttf");
static GUJARATI_BOLD: &[u8] = font_file!("NotoSansGujarati-Bold.ttf");
static DEVANAGARI_REGULAR: &[u8] = font_file!("NotoSansDevanagari-Regular.ttf");
static DEVANAGARI_BOLD: &[u8] = font_file!("NotoSansDevanagari-Bold.ttf");
static CHINESE_REGULAR: &[u8] = font_file!("NotoSansCJKsc-Regular-subset.otf");

impl PackFont {
    /// The font file's bytes, exactly as vendored in `assets/fonts/`.
    pub fn bytes(self, weight: Weight) -> &'static [u8] {
        use PackFont::*;
        use Weight::*;
        match (self, weight) {
            (Latin, Regular) => LATIN_REGULAR,
            (Latin, Bold) => LATIN_BOLD,
            (Arabic, Regular) => ARABIC_REGULAR,
            (Arabic, Bold) => ARABIC_BOLD,
            (Bengali, Regular) => BENGALI_REGULAR,
            (Bengali, Bold) => BENGALI_BOLD,
            (Gurmukhi, Regular) => GURMUKHI_REGULAR,
            (Gurmukhi, Bold) => GURMUKHI_BOLD,
            (Gujarati, Regular) => GUJARATI_REGULAR,
            (Gujarati, Bold) => GUJARATI_BOLD,
            (Devanagari, Regular) => DEVANAGARI_REGULAR,
            (Devanagari, Bold) => DEVANAGARI_BOLD,
            (Chinese, _) => CHINESE_REGULAR,
        }
    }

    /// The file name under `assets/fonts/` (tests hand it to `hb-shape`).
    pub fn file_name(self, weight: Weight) -> &'static str {
        use PackFont::*;
        use Weight::*;
        match (self, weight) {
            (Latin, Regular) => "NotoSans-Regular.ttf",
            (Latin, Bold) => "NotoSans-Bold.ttf",
            (Arabic, Regular) => "NotoSansArabic-Regular.ttf",
            (Arabic, Bold) => "NotoSansArabic-Bold.ttf",
            (Bengali, Regular) => "NotoSansBengali-Regular.ttf",
            (Bengali, Bold) => "NotoSansBengali-Bold.ttf",
            (Gurmukhi, Regular) => "NotoSansGurmukhi-Regular.ttf",
            (Gurmukhi, Bold) => "NotoSansGurmukhi-Bold.ttf",
            (Gujarati, Regular) => "NotoSansGujarati-Regular.ttf",
            (Gujarati, Bold) => "NotoSansGujarati-Bold.ttf",
            (Devanagari, Regular) => "NotoSansDevanagari-Regular.ttf",
            (Devanagari, Bold) => "NotoSansDevanagari-Bold.ttf",
            (Chinese, _) => "NotoSansCJKsc-Regular-subset.otf",
        }
    }

    fn slot(self, weight: Weight) -> usize {
        let base = FALLBACK_ORDER.iter().position(|f| *f == self).unwrap_or(0);
        base * 2 + usize::from(weight == Weight::Bold)
    }

    /// The parsed face, for shaping and for asking which characters it covers. Parsed once.
    pub(crate) fn face(self, weight: Weight) -> Option<&'static rustybuzz::Face<'static>> {
        static FACES: [OnceLock<Option<rustybuzz::Face<'static>>>; 14] =
            [const { OnceLock::new() }; 14];
        FACES[self.slot(weight)]
            .get_or_init(|| rustybuzz::Face::from_slice(self.bytes(weight), 0))
            .as_ref()
    }

    /// The font as krilla embeds it. krilla's `Font` is a cheap, reference-counted handle.
    pub(crate) fn krilla_font(self, weight: Weight) -> Option<krilla::text::Font> {
        static FONTS: [OnceLock<Option<krilla::text::Font>>; 14] = [const { OnceLock::new() }; 14];
        FONTS[self.slot(weight)]
            .get_or_init(|| krilla::text::Font::new(self.bytes(weight).into(), 0))
            .clone()
    }

    /// Whether the font has a glyph for `ch`.
    pub fn covers(self, ch: char) -> bool {
        self.face(Weight::Regular)
            .and_then(|face| face.glyph_index(ch))
            .is_some()
    }
}

/// The first font in [`FALLBACK_ORDER`] that can print `ch`, if any.
pub fn font_for(ch: char) -> Option<PackFont> {
    FALLBACK_ORDER.into_iter().find(|font| font.covers(ch))
}

/// Characters of `text` that no vendored font can print (they would show as empty boxes, although
/// they still extract correctly). The form can warn a carer about such a name before it is needed.
pub fn missing_glyphs(text: &str) -> Vec<char> {
    let mut missing: Vec<char> = text
        .chars()
        .filter(|&ch| !is_invisible(ch) && font_for(ch).is_none())
        .collect();
    missing.sort_unstable();
    missing.dedup();
    missing
}

/// Controls and joiners that shape text but are never drawn themselves.
pub(crate) fn is_invisible(ch: char) -> bool {
    ch.is_control()
        || matches!(ch, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// Fails with [`crate::PackError::FontMissingGlyphs`] when some characters of `text` cannot be printed.
pub fn check_printable(text: &str) -> Result<(), crate::PackError> {
    let missing = missing_glyphs(text);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(crate::PackError::FontMissingGlyphs {
            characters: missing.into_iter().collect(),
        })
    }
}
