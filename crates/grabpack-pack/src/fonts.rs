//! The fonts the pack is printed in, compiled into the binary.
//!
//! Why compiled in: a pack is built in an emergency, possibly on a shared laptop with no fonts for
//! Bengali or Korean installed; the pack must look the same everywhere. Why several fonts: no single
//! font covers every script a child in England and Wales may write their name in, so each run of text
//! is set in the first font of [`FALLBACK_ORDER`] that has glyphs for it (see [`crate::shape`]). The
//! scripts, the languages that use them (from the Census 2021 main-language categories) and the file
//! for each are listed in `assets/fonts/scripts.json`, and a test holds this table to that list. krilla
//! embeds only the glyphs a pack uses (subsetting), so ~12 MB of fonts cost a pack a few tens of
//! kilobytes. A character no font covers is drawn as U+FFFD *and named on the page*
//! ([`unicode_name`], see [`crate::layout`]), never silently.

use std::sync::OnceLock;

/// A typeface the pack can print with. Bold is a weight of the same face where one exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PackFont {
    /// Latin (with Polish, Czech, Vietnamese ... diacritics), Greek, Cyrillic.
    Latin,
    /// Arabic, Urdu, Persian, Pashto.
    Arabic,
    /// Bengali.
    Bengali,
    /// Gurmukhi (Punjabi).
    Gurmukhi,
    /// Gujarati.
    Gujarati,
    /// Devanagari (Hindi, Marathi, Nepali).
    Devanagari,
    /// Tamil.
    Tamil,
    /// Hebrew.
    Hebrew,
    /// Thai.
    Thai,
    /// Ethiopic (Tigrinya, Amharic); one weight only.
    Ethiopic,
    /// Chinese (simplified and common traditional characters) and Japanese kana; one weight only.
    Chinese,
    /// Korean Hangul (all 11,172 precomposed syllables and the jamo); one weight only.
    Korean,
    /// Telugu.
    Telugu,
    /// Malayalam.
    Malayalam,
    /// Kannada.
    Kannada,
    /// Sinhala.
    Sinhala,
    /// Odia (Oriya).
    Odia,
    /// Thaana (Dhivehi), right to left.
    Thaana,
    /// Lao.
    Lao,
    /// Khmer.
    Khmer,
    /// Myanmar (Burmese).
    Myanmar,
    /// Georgian.
    Georgian,
    /// Armenian.
    Armenian,
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
pub const FALLBACK_ORDER: [PackFont; 23] = [
    PackFont::Latin,
    PackFont::Arabic,
    PackFont::Bengali,
    PackFont::Gurmukhi,
    PackFont::Gujarati,
    PackFont::Devanagari,
    PackFont::Tamil,
    PackFont::Hebrew,
    PackFont::Thai,
    PackFont::Ethiopic,
    PackFont::Chinese,
    PackFont::Korean,
    PackFont::Telugu,
    PackFont::Malayalam,
    PackFont::Kannada,
    PackFont::Sinhala,
    PackFont::Odia,
    PackFont::Thaana,
    PackFont::Lao,
    PackFont::Khmer,
    PackFont::Myanmar,
    PackFont::Georgian,
    PackFont::Armenian,
];

const SLOTS: usize = FALLBACK_ORDER.len() * 2;

macro_rules! font_file {
    ($name:literal) => {
        (
            $name,
            include_bytes!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../assets/fonts/",
                $name
            )) as &[u8],
        )
    };
}

/// (file name, bytes) of each font's regular and bold weights, in [`FALLBACK_ORDER`].
static FILES: [[(&str, &[u8]); 2]; FALLBACK_ORDER.len()] = [
    [
        font_file!("NotoSans-Regular.ttf"),
        font_file!("NotoSans-Bold.ttf"),
    ],
    [
        font_file!("NotoSansArabic-Regular.ttf"),
        font_file!("NotoSansArabic-Bold.ttf"),
    ],
    [
        font_file!("NotoSansBengali-Regular.ttf"),
        font_file!("NotoSansBengali-Bold.ttf"),
    ],
    [
        font_file!("NotoSansGurmukhi-Regular.ttf"),
        font_file!("NotoSansGurmukhi-Bold.ttf"),
    ],
    [
        font_file!("NotoSansGujarati-Regular.ttf"),
        font_file!("NotoSansGujarati-Bold.ttf"),
    ],
    [
        font_file!("NotoSansDevanagari-Regular.ttf"),
        font_file!("NotoSansDevanagari-Bold.ttf"),
    ],
    [
        font_file!("NotoSansTamil-Regular.ttf"),
        font_file!("NotoSansTamil-Bold.ttf"),
    ],
    [
        font_file!("NotoSansHebrew-Regular.ttf"),
        font_file!("NotoSansHebrew-Bold.ttf"),
    ],
    [
        font_file!("NotoSansThai-Regular.ttf"),
        font_file!("NotoSansThai-Bold.ttf"),
    ],
    [
        font_file!("NotoSansEthiopic-Regular.ttf"),
        font_file!("NotoSansEthiopic-Regular.ttf"),
    ],
    [
        font_file!("NotoSansCJKsc-Regular-subset.otf"),
        font_file!("NotoSansCJKsc-Regular-subset.otf"),
    ],
    [
        font_file!("NotoSansCJKkr-Regular-subset.otf"),
        font_file!("NotoSansCJKkr-Regular-subset.otf"),
    ],
    [
        font_file!("NotoSansTelugu-Regular.ttf"),
        font_file!("NotoSansTelugu-Bold.ttf"),
    ],
    [
        font_file!("NotoSansMalayalam-Regular.ttf"),
        font_file!("NotoSansMalayalam-Bold.ttf"),
    ],
    [
        font_file!("NotoSansKannada-Regular.ttf"),
        font_file!("NotoSansKannada-Bold.ttf"),
    ],
    [
        font_file!("NotoSansSinhala-Regular.ttf"),
        font_file!("NotoSansSinhala-Bold.ttf"),
    ],
    [
        font_file!("NotoSansOriya-Regular.ttf"),
        font_file!("NotoSansOriya-Bold.ttf"),
    ],
    [
        font_file!("NotoSansThaana-Regular.ttf"),
        font_file!("NotoSansThaana-Bold.ttf"),
    ],
    [
        font_file!("NotoSansLao-Regular.ttf"),
        font_file!("NotoSansLao-Bold.ttf"),
    ],
    [
        font_file!("NotoSansKhmer-Regular.ttf"),
        font_file!("NotoSansKhmer-Bold.ttf"),
    ],
    [
        font_file!("NotoSansMyanmar-Regular.ttf"),
        font_file!("NotoSansMyanmar-Bold.ttf"),
    ],
    [
        font_file!("NotoSansGeorgian-Regular.ttf"),
        font_file!("NotoSansGeorgian-Bold.ttf"),
    ],
    [
        font_file!("NotoSansArmenian-Regular.ttf"),
        font_file!("NotoSansArmenian-Bold.ttf"),
    ],
];

impl PackFont {
    fn index(self) -> usize {
        FALLBACK_ORDER.iter().position(|f| *f == self).unwrap_or(0)
    }

    fn file(self, weight: Weight) -> (&'static str, &'static [u8]) {
        FILES[self.index()][usize::from(weight == Weight::Bold)]
    }

    /// The font file's bytes, exactly as vendored in `assets/fonts/`.
    pub fn bytes(self, weight: Weight) -> &'static [u8] {
        self.file(weight).1
    }

    /// The file name under `assets/fonts/` (tests hand it to `hb-shape`). Faces with one weight give
    /// the regular file for bold too.
    pub fn file_name(self, weight: Weight) -> &'static str {
        self.file(weight).0
    }

    fn slot(self, weight: Weight) -> usize {
        self.index() * 2 + usize::from(weight == Weight::Bold)
    }

    /// The parsed face, for shaping and for asking which characters it covers. Parsed once.
    pub(crate) fn face(self, weight: Weight) -> Option<&'static rustybuzz::Face<'static>> {
        static FACES: [OnceLock<Option<rustybuzz::Face<'static>>>; SLOTS] =
            [const { OnceLock::new() }; SLOTS];
        FACES[self.slot(weight)]
            .get_or_init(|| rustybuzz::Face::from_slice(self.bytes(weight), 0))
            .as_ref()
    }

    /// The font as krilla embeds it. krilla's `Font` is a cheap, reference-counted handle.
    pub(crate) fn krilla_font(self, weight: Weight) -> Option<krilla::text::Font> {
        static FONTS: [OnceLock<Option<krilla::text::Font>>; SLOTS] =
            [const { OnceLock::new() }; SLOTS];
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

/// Characters of `text` that no vendored font can print, sorted, without repeats. The pack draws them
/// as U+FFFD and names them on the page (they still extract correctly); the form can warn a carer about
/// such a name before it is needed.
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

/// "U+20BB7 CJK UNIFIED IDEOGRAPH-20BB7": the code point and its name in the Unicode standard, so an
/// officer can tell which character the pack could not draw. Characters with no name (private use,
/// unassigned) say so.
pub fn unicode_name(ch: char) -> String {
    match unicode_names2::name(ch) {
        Some(name) => format!("U+{:04X} {name}", u32::from(ch)),
        None => format!("U+{:04X} (a character with no Unicode name)", u32::from(ch)),
    }
}
