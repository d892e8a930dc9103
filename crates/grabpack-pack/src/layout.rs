//! A small page-layout engine: A4 pages, wrapped text, label/value rows, tables, highlighted
//! callouts and photos, with a running header and footer on every page.
//!
//! Why our own: krilla draws glyphs where it is told and no more, and the pack needs only a handful of
//! block types. The engine works in two passes. Pass one ([`Layout`]'s block methods) measures shaped
//! text, breaks lines and pages, and records what to draw on each page. Pass two ([`Layout::finish`])
//! knows the page count, so every page can say "page X of Y", and writes the PDF with krilla.
//!
//! Invariants the tests lean on: every line is at most its column wide (a word longer than the line is
//! broken, and a line that still measures too wide after final shaping is drawn smaller); every block
//! starts a new page rather than crossing the bottom margin; a photo's box is never drawn over; a
//! character no vendored font can draw is never left as a silent "�": the block it is in (a paragraph,
//! a label/value row, a table row, a callout, a gallery) is followed by a notice naming it
//! ("U+20BB7 CJK UNIFIED IDEOGRAPH-20BB7"), so the officer knows what the page could not show.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::metadata::{DateTime, Metadata};
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::surface::Surface;
use krilla::text::{GlyphId, KrillaGlyph};
use unicode_segmentation::UnicodeSegmentation;

use crate::PackError;
use crate::fonts::{self, PackFont, Weight};
use crate::shape::{self, ShapedRun};

/// A4 width in points.
pub const PAGE_WIDTH: f32 = 595.28;
/// A4 height in points.
pub const PAGE_HEIGHT: f32 = 841.89;
/// Left and right margin.
pub const MARGIN_X: f32 = 40.0;
/// Where the body starts (below the running header).
pub const BODY_TOP: f32 = 72.0;
/// Where the body ends (above the running footer).
pub const BODY_BOTTOM: f32 = PAGE_HEIGHT - 58.0;
/// Width of the body.
pub const BODY_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour(pub u8, pub u8, pub u8);

impl Colour {
    /// Body text.
    pub const INK: Colour = Colour(0x11, 0x11, 0x11);
    /// Labels and secondary text.
    pub const GREY: Colour = Colour(0x55, 0x55, 0x55);
    /// Table header fill and rules.
    pub const RULE: Colour = Colour(0xDD, 0xDD, 0xDD);
    /// The protective marking.
    pub const MARKING: Colour = Colour(0xB0, 0x00, 0x20);
    /// Critical risks (white text on it).
    pub const DANGER: Colour = Colour(0xB3, 0x12, 0x1F);
    /// Medical needs (white text on it).
    pub const MEDICAL: Colour = Colour(0x1F, 0x4E, 0x9E);
    /// Highlighted table rows, such as risk-assessed locations.
    pub const HIGHLIGHT: Colour = Colour(0xFF, 0xE3, 0xA3);
    /// White.
    pub const WHITE: Colour = Colour(0xFF, 0xFF, 0xFF);

    fn fill(self) -> Fill {
        Fill {
            paint: rgb::Color::new(self.0, self.1, self.2).into(),
            opacity: NormalizedF32::ONE,
            rule: FillRule::default(),
        }
    }
}

/// Size, weight and colour of a piece of text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    /// Font size in points.
    pub size: f32,
    /// Regular or bold.
    pub weight: Weight,
    /// Text colour.
    pub colour: Colour,
}

impl TextStyle {
    /// Body text.
    pub const BODY: TextStyle = TextStyle {
        size: 10.0,
        weight: Weight::Regular,
        colour: Colour::INK,
    };
    /// Bold body text.
    pub const STRONG: TextStyle = TextStyle {
        size: 10.0,
        weight: Weight::Bold,
        colour: Colour::INK,
    };
    /// Labels in label/value rows.
    pub const LABEL: TextStyle = TextStyle {
        size: 9.0,
        weight: Weight::Bold,
        colour: Colour::GREY,
    };
    /// Small print (captions, header and footer).
    pub const SMALL: TextStyle = TextStyle {
        size: 8.0,
        weight: Weight::Regular,
        colour: Colour::GREY,
    };
    /// Section headings.
    pub const HEADING: TextStyle = TextStyle {
        size: 14.0,
        weight: Weight::Bold,
        colour: Colour::INK,
    };
    /// Sub-headings.
    pub const SUBHEADING: TextStyle = TextStyle {
        size: 11.5,
        weight: Weight::Bold,
        colour: Colour::INK,
    };
    /// The child's name on page 1.
    pub const TITLE: TextStyle = TextStyle {
        size: 20.0,
        weight: Weight::Bold,
        colour: Colour::INK,
    };

    /// Distance between baselines. Generous: stacked Vietnamese accents and Indic vowel signs are tall.
    pub fn line_height(&self) -> f32 {
        self.size * 1.5
    }

    fn ascent(&self) -> f32 {
        self.size * 1.08
    }
}

/// One wrapped line, shaped and ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The characters of the line in logical order (trailing spaces removed).
    pub text: String,
    /// Shaped runs in visual order.
    pub runs: Vec<ShapedRun>,
    /// Width in points at the style's size.
    pub width: f32,
    /// Whether the line belongs to a right-to-left paragraph (it is then aligned right).
    pub rtl: bool,
}

/// Breaks `text` into lines no wider than `max_width` points. Paragraphs are separated by line feeds.
/// Breaks fall after spaces, after `-` and `/`, and between Chinese characters; a word longer than the
/// line is broken between grapheme clusters.
pub fn wrap(text: &str, style: &TextStyle, max_width: f32) -> Vec<Line> {
    let cleaned = shape::clean_text(text);
    let max_width = max_width.max(style.size);
    let mut lines = Vec::new();
    // Words repeat (names, "the", a phone number): measure each once per call.
    let mut widths: HashMap<(&str, bool), f32> = HashMap::new();
    let mut measure = |text, rtl| {
        *widths
            .entry((text, rtl))
            .or_insert_with(|| measure(text, style, rtl))
    };
    for paragraph in cleaned.split('\n') {
        let rtl = shape::paragraph_is_rtl(paragraph);
        if let Some(line) = whole_line(paragraph, style, max_width, rtl) {
            lines.push(line);
            continue;
        }
        let mut pieces: Vec<String> = Vec::new();
        let mut current = String::new();
        let mut current_width = 0.0_f32;
        for unit in break_units(paragraph) {
            let word = unit.trim_end();
            let trailing = unit.len() - word.len();
            let word_width = measure(word, rtl);
            let space_width = trailing as f32 * style.size * 0.26;
            if current_width + word_width <= max_width {
                current.push_str(unit);
                current_width += word_width + space_width;
                continue;
            }
            if !current.trim_end().is_empty() {
                pieces.push(std::mem::take(&mut current));
                current_width = 0.0;
            }
            if word_width <= max_width {
                current.push_str(unit);
                current_width = word_width + space_width;
                continue;
            }
            // A word longer than the whole line: break it between grapheme clusters.
            for grapheme in word.graphemes(true) {
                let width = measure(grapheme, rtl);
                if current_width + width > max_width && !current.is_empty() {
                    pieces.push(std::mem::take(&mut current));
                    current_width = 0.0;
                }
                current.push_str(grapheme);
                current_width += width;
            }
            current.push_str(&unit[word.len()..]);
            current_width += space_width;
        }
        pieces.push(current);
        lines.extend(pieces.iter().map(|piece| shaped_line(piece, style, rtl)));
    }
    lines
}

/// `text` (its trailing spaces dropped) shaped as one line.
fn shaped_line(text: &str, style: &TextStyle, rtl: bool) -> Line {
    let text = text.trim_end();
    let runs = shape::shape_line(text, style.weight, rtl);
    Line {
        width: shape::line_width(&runs, style.size),
        text: text.to_owned(),
        runs,
        rtl,
    }
}

/// The paragraph as one line, when it fits: most values in a pack (a name, a date, a phone number)
/// do, and shaping the whole paragraph once is half the work of measuring its words and then shaping
/// the line. The width checked is the shaped line's own, so the line never overflows. A paragraph
/// whose characters could not fit even at the narrowest advance (a fifth of an em) is not shaped
/// whole: it is going to wrap, and its words are measured instead.
fn whole_line(paragraph: &str, style: &TextStyle, max_width: f32, rtl: bool) -> Option<Line> {
    if paragraph.trim_end().chars().count() as f32 * style.size * 0.2 > max_width {
        return None;
    }
    Some(shaped_line(paragraph, style, rtl)).filter(|line| line.width <= max_width)
}

fn measure(text: &str, style: &TextStyle, rtl: bool) -> f32 {
    shape::line_width(&shape::shape_line(text, style.weight, rtl), style.size)
}

/// Pieces of a paragraph between which a line may break, each with its trailing spaces.
fn break_units(paragraph: &str) -> Vec<&str> {
    let mut units = Vec::new();
    let mut start = 0;
    let mut in_space = false;
    for (i, grapheme) in paragraph.grapheme_indices(true) {
        let is_space = grapheme.chars().all(char::is_whitespace);
        let ideograph = grapheme.chars().next().is_some_and(breaks_anywhere);
        if i > start && !is_space && (in_space || ideograph) {
            units.push(&paragraph[start..i]);
            start = i;
        }
        in_space = is_space;
        if !is_space && (ideograph || grapheme == "-" || grapheme == "/") {
            // A break is allowed after this grapheme too: end the unit unless spaces follow.
            let end = i + grapheme.len();
            let next_is_space = paragraph[end..]
                .chars()
                .next()
                .is_some_and(char::is_whitespace);
            if !next_is_space && end < paragraph.len() {
                units.push(&paragraph[start..end]);
                start = end;
            }
        }
    }
    if start < paragraph.len() {
        units.push(&paragraph[start..]);
    }
    units
}

/// Chinese (and Japanese and Korean) text may break between any two characters.
fn breaks_anywhere(ch: char) -> bool {
    matches!(ch,
        '\u{2E80}'..='\u{2FFF}' | '\u{3000}'..='\u{303F}' | '\u{3040}'..='\u{30FF}' |
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{AC00}'..='\u{D7AF}' |
        '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}' | '\u{20000}'..='\u{3134F}')
}

/// What to print on every page, around the body.
#[derive(Debug, Clone, PartialEq)]
pub struct RunningHeader {
    /// The protective marking, e.g. "OFFICIAL-SENSITIVE", top and bottom of every page.
    pub marking: String,
    /// The child's name.
    pub child_name: String,
    /// When the pack was generated.
    pub generated_at: jiff::Timestamp,
    /// The form revision the pack was built from.
    pub revision: String,
    /// A short hash identifying the content of the pack.
    pub short_hash: String,
    /// The PDF's title (document properties).
    pub title: String,
}

impl RunningHeader {
    /// "Generated 28 Nov 2026 20:52 GMT (20:52 UTC)": UK local time for the officer, UTC for the record.
    pub fn generated_line(&self) -> String {
        format!("Generated {}", uk_and_utc(self.generated_at))
    }
}

/// A time as UK local time with its zone (GMT or BST) and the same time in UTC.
pub fn uk_and_utc(at: jiff::Timestamp) -> String {
    let utc = at.strftime("%H:%M UTC");
    match at.in_tz("Europe/London") {
        Ok(local) => format!("{} ({utc})", local.strftime("%-d %b %Y %H:%M %Z")),
        Err(_) => format!("{} UTC", at.strftime("%-d %b %Y %H:%M")),
    }
}

/// A table column: heading and share of the table's width.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Printed in the header row, repeated on every page the table reaches.
    pub heading: String,
    /// Relative width (the shares are normalised).
    pub share: f32,
}

/// A table row; `highlight` colours its background (risk-assessed locations, adults of concern).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    /// One text per column (missing cells are blank).
    pub cells: Vec<String>,
    /// Background colour, if the row must stand out.
    pub highlight: Option<Colour>,
}

#[derive(Debug, Clone)]
enum Item {
    Text {
        x: f32,
        baseline: f32,
        style: TextStyle,
        runs: Vec<ShapedRun>,
        scale: f32,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Colour,
    },
    Image {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        image: usize,
    },
}

/// The document being laid out. Blocks are added top to bottom; pages are added as needed.
#[derive(Debug)]
pub struct Layout {
    pages: Vec<Vec<Item>>,
    images: Vec<Image>,
    y: f32,
    left: f32,
    width: f32,
    /// Characters drawn as U+FFFD (no vendored font has them) since the last notice.
    undrawable: BTreeSet<char>,
    label_max: f32,
}

/// The notice under a block with characters no font could draw: small, bold, in the marking's red.
const NOTICE_STYLE: TextStyle = TextStyle {
    size: 8.5,
    weight: Weight::Bold,
    colour: Colour::MARKING,
};

/// The words of that notice: each character's code point and Unicode name.
pub fn undrawable_notice(characters: &BTreeSet<char>) -> String {
    let names: Vec<String> = characters.iter().map(|&c| fonts::unicode_name(c)).collect();
    format!(
        "Shown as \u{FFFD} above, no font in this pack can draw: {}. The copyable text and the read-out have the exact characters.",
        names.join("; ")
    )
}

impl Default for Layout {
    fn default() -> Self {
        Self::new()
    }
}

/// Where a photo was placed, in points from the page's top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    /// Page index from 0.
    pub page: usize,
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

const CELL_PAD: f32 = 4.0;
const MAX_HEADER_LINES: usize = 3;

/// What a drawn box holds (see [`Layout::drawn_boxes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoxKind {
    /// A line of text.
    Text,
    /// A photo.
    Photo,
    /// A background or rule.
    Fill,
}

/// A box drawn on a page, in points from the top-left corner, for checking layout invariants.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DrawnBox {
    /// Page index from 0.
    pub page: usize,
    /// What is drawn.
    pub kind: BoxKind,
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

impl Layout {
    /// An empty document with one blank page.
    pub fn new() -> Self {
        Self {
            pages: vec![Vec::new()],
            images: Vec::new(),
            y: BODY_TOP,
            left: MARGIN_X,
            width: BODY_WIDTH,
            undrawable: BTreeSet::new(),
            label_max: 112.0,
        }
    }

    /// Ends a block: if it drew any character as U+FFFD, says which ones underneath it.
    fn note_undrawable(&mut self) {
        if self.undrawable.is_empty() {
            return;
        }
        let notice = undrawable_notice(&std::mem::take(&mut self.undrawable));
        // The notice is ASCII plus U+FFFD, which the Latin font has: it cannot add to the set.
        self.text_with_background(&notice, NOTICE_STYLE, None);
    }

    /// The widest a label column of [`Layout::label_value`] may be (at most 30% of the column):
    /// page 1 keeps short labels and wide values; the profile's longer labels need more room.
    pub fn set_label_width(&mut self, points: f32) {
        self.label_max = points;
    }

    /// Pages so far.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The current page index (from 0).
    pub fn page_index(&self) -> usize {
        self.pages.len() - 1
    }

    /// The vertical position where the next block starts.
    pub fn cursor(&self) -> f32 {
        self.y
    }

    fn push(&mut self, item: Item) {
        if let Some(page) = self.pages.last_mut() {
            page.push(item);
        }
    }

    /// Every box drawn in the body so far (not the running header and footer): tests check that text stays
    /// inside the body and never overlaps a photo.
    pub fn drawn_boxes(&self) -> Vec<DrawnBox> {
        let mut boxes = Vec::new();
        for (page, items) in self.pages.iter().enumerate() {
            for item in items {
                let drawn = match item {
                    Item::Text {
                        x,
                        baseline,
                        style,
                        runs,
                        scale,
                    } => DrawnBox {
                        page,
                        kind: BoxKind::Text,
                        x: *x,
                        y: baseline - style.ascent(),
                        w: shape::line_width(runs, style.size * scale),
                        h: style.line_height(),
                    },
                    Item::Rect { x, y, w, h, .. } => DrawnBox {
                        page,
                        kind: BoxKind::Fill,
                        x: *x,
                        y: *y,
                        w: *w,
                        h: *h,
                    },
                    Item::Image { x, y, w, h, .. } => DrawnBox {
                        page,
                        kind: BoxKind::Photo,
                        x: *x,
                        y: *y,
                        w: *w,
                        h: *h,
                    },
                };
                boxes.push(drawn);
            }
        }
        boxes
    }

    /// Starts a new page.
    pub fn page_break(&mut self) {
        self.pages.push(Vec::new());
        self.y = BODY_TOP;
    }

    /// Makes sure `height` points fit below the cursor, starting a new page if not.
    pub fn ensure(&mut self, height: f32) {
        if self.y + height > BODY_BOTTOM && self.y > BODY_TOP {
            self.page_break();
        }
    }

    /// Vertical space.
    pub fn space(&mut self, points: f32) {
        self.y = (self.y + points).min(BODY_BOTTOM);
    }

    fn draw_line(&mut self, line: &Line, x: f32, width: f32, top: f32, style: TextStyle) {
        // Characters no font covers are set in the Latin font (drawn as U+FFFD): only non-ASCII Latin
        // runs need looking at.
        for run in &line.runs {
            if run.font == PackFont::Latin && !run.text.is_ascii() {
                self.undrawable.extend(fonts::missing_glyphs(&run.text));
            }
        }
        let scale = if line.width > width && line.width > 0.0 {
            width / line.width
        } else {
            1.0
        };
        let drawn = line.width * scale;
        let x = if line.rtl { x + width - drawn } else { x };
        self.push(Item::Text {
            x,
            baseline: top + style.ascent(),
            style,
            runs: line.runs.clone(),
            scale,
        });
    }

    /// Wrapped text across the current column, continuing on new pages as needed.
    pub fn text(&mut self, text: &str, style: TextStyle) {
        self.text_with_background(text, style, None);
        self.note_undrawable();
    }

    fn text_with_background(&mut self, text: &str, style: TextStyle, background: Option<Colour>) {
        let pad = if background.is_some() { CELL_PAD } else { 0.0 };
        let lines = wrap(text, &style, self.width - 2.0 * pad);
        let lh = style.line_height();
        let count = lines.len();
        for (i, line) in lines.iter().enumerate() {
            let first = i == 0;
            let last = i + 1 == count;
            let top_pad = if first { pad } else { 0.0 };
            let bottom_pad = if last { pad } else { 0.0 };
            self.ensure(lh + top_pad + bottom_pad);
            if let Some(fill) = background {
                self.push(Item::Rect {
                    x: self.left,
                    y: self.y,
                    w: self.width,
                    h: lh + top_pad + bottom_pad,
                    fill,
                });
            }
            let (left, width, top) = (self.left + pad, self.width - 2.0 * pad, self.y + top_pad);
            self.draw_line(line, left, width, top, style);
            self.y += lh + top_pad + bottom_pad;
        }
    }

    /// A section heading, kept together with the start of what follows it.
    pub fn heading(&mut self, text: &str) {
        self.space(6.0);
        self.ensure(TextStyle::HEADING.line_height() + 4.0 * TextStyle::BODY.line_height());
        self.text(text, TextStyle::HEADING);
        self.push(Item::Rect {
            x: self.left,
            y: self.y,
            w: self.width,
            h: 0.8,
            fill: Colour::INK,
        });
        self.space(4.0);
    }

    /// A sub-heading, kept together with the start of what follows it.
    pub fn subheading(&mut self, text: &str) {
        self.space(4.0);
        self.ensure(TextStyle::SUBHEADING.line_height() + 3.0 * TextStyle::BODY.line_height());
        self.text(text, TextStyle::SUBHEADING);
    }

    /// A coloured callout (white bold text on `fill`), for critical risks and medical needs.
    pub fn callout(&mut self, text: &str, fill: Colour) {
        let style = TextStyle {
            size: 10.5,
            weight: Weight::Bold,
            colour: Colour::WHITE,
        };
        self.text_with_background(text, style, Some(fill));
        self.note_undrawable();
        self.space(3.0);
    }

    /// A label and its value side by side; left out entirely when the value is empty.
    pub fn label_value(&mut self, label: &str, value: &str) {
        self.label_value_on(label, value, None);
    }

    /// [`Layout::label_value`] on a coloured background, for what the reader must not miss
    /// (contact restrictions, a suspected or known risk).
    pub fn label_value_highlighted(&mut self, label: &str, value: &str, fill: Colour) {
        self.label_value_on(label, value, Some(fill));
    }

    fn label_value_on(&mut self, label: &str, value: &str, background: Option<Colour>) {
        if value.trim().is_empty() {
            return;
        }
        let label_width = (self.width * 0.3).min(self.label_max);
        let value_width = self.width - label_width - 8.0;
        let labels = wrap(label, &TextStyle::LABEL, label_width);
        let values = wrap(value, &TextStyle::BODY, value_width);
        let lh = TextStyle::BODY.line_height();
        let rows = labels.len().max(values.len());
        // Keep short rows together; long values may continue on the next page.
        self.ensure(lh * rows.min(3) as f32);
        for i in 0..rows {
            self.ensure(lh);
            let top = self.y;
            if let Some(fill) = background {
                self.push(Item::Rect {
                    x: self.left,
                    y: top,
                    w: self.width,
                    h: lh + if i + 1 == rows { 0.5 } else { 0.0 },
                    fill,
                });
            }
            if let Some(line) = labels.get(i) {
                self.draw_line(line, self.left, label_width, top + 1.0, TextStyle::LABEL);
            }
            if let Some(line) = values.get(i) {
                self.draw_line(
                    line,
                    self.left + label_width + 8.0,
                    value_width,
                    top,
                    TextStyle::BODY,
                );
            }
            self.y += lh;
        }
        self.note_undrawable();
        self.space(0.5);
    }

    /// A table whose cells wrap; rows that do not fit move to the next page (a row taller than a page is
    /// split), and the header row is repeated at the top of every page the table reaches.
    pub fn table(&mut self, columns: &[Column], rows: &[Row]) {
        if columns.is_empty() {
            return;
        }
        let total: f32 = columns.iter().map(|c| c.share.max(0.01)).sum();
        let widths: Vec<f32> = columns
            .iter()
            .map(|c| self.width * c.share.max(0.01) / total)
            .collect();
        let header: Vec<Vec<Line>> = columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| {
                // A header row is repeated on every page, so it is kept to three lines.
                let mut lines = wrap(&c.heading, &TextStyle::LABEL, w - 2.0 * CELL_PAD);
                lines.truncate(MAX_HEADER_LINES);
                lines
            })
            .collect();
        let lh = TextStyle::BODY.line_height();
        let header_height =
            header.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * CELL_PAD;
        self.ensure(header_height + lh + 2.0 * CELL_PAD);
        self.table_header(&header, &widths, header_height);
        for row in rows {
            let cells: Vec<Vec<Line>> = widths
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    let text = row.cells.get(i).map(String::as_str).unwrap_or("");
                    wrap(text, &TextStyle::BODY, w - 2.0 * CELL_PAD)
                })
                .collect();
            let row_lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let row_height = row_lines as f32 * lh + 2.0 * CELL_PAD;
            let fresh_page_room = BODY_BOTTOM - BODY_TOP - header_height;
            if self.y + row_height > BODY_BOTTOM && row_height <= fresh_page_room {
                self.page_break();
                self.table_header(&header, &widths, header_height);
            }
            let mut done = 0;
            while done < row_lines {
                let mut room = ((BODY_BOTTOM - self.y - 2.0 * CELL_PAD) / lh)
                    .floor()
                    .max(0.0) as usize;
                if room == 0 && self.y > BODY_TOP + header_height {
                    self.page_break();
                    self.table_header(&header, &widths, header_height);
                    room = ((BODY_BOTTOM - self.y - 2.0 * CELL_PAD) / lh)
                        .floor()
                        .max(0.0) as usize;
                }
                // Always make progress, even if the page somehow has no room left.
                let take = room.max(1).min(row_lines - done);
                let height = take as f32 * lh + 2.0 * CELL_PAD;
                if let Some(fill) = row.highlight {
                    self.push(Item::Rect {
                        x: self.left,
                        y: self.y,
                        w: self.width,
                        h: height,
                        fill,
                    });
                }
                let mut x = self.left;
                for (cell, w) in cells.iter().zip(&widths) {
                    for (k, line) in cell.iter().skip(done).take(take).enumerate() {
                        let top = self.y + CELL_PAD + k as f32 * lh;
                        self.draw_line(
                            line,
                            x + CELL_PAD,
                            w - 2.0 * CELL_PAD,
                            top,
                            TextStyle::BODY,
                        );
                    }
                    x += w;
                }
                self.y += height;
                self.push(Item::Rect {
                    x: self.left,
                    y: self.y - 0.5,
                    w: self.width,
                    h: 0.5,
                    fill: Colour::RULE,
                });
                done += take;
                if done < row_lines {
                    self.page_break();
                    self.table_header(&header, &widths, header_height);
                }
            }
            self.note_undrawable();
        }
        self.space(6.0);
    }

    fn table_header(&mut self, header: &[Vec<Line>], widths: &[f32], height: f32) {
        self.push(Item::Rect {
            x: self.left,
            y: self.y,
            w: self.width,
            h: height,
            fill: Colour::RULE,
        });
        let mut x = self.left;
        for (cell, w) in header.iter().zip(widths) {
            for (k, line) in cell.iter().enumerate() {
                let top = self.y + CELL_PAD + k as f32 * TextStyle::BODY.line_height();
                self.draw_line(
                    line,
                    x + CELL_PAD,
                    w - 2.0 * CELL_PAD,
                    top,
                    TextStyle::LABEL,
                );
            }
            x += w;
        }
        self.y += height;
    }

    /// Adds a JPEG (bytes embedded unchanged) scaled to fit `max_w` x `max_h` keeping its aspect ratio,
    /// at the left of the current column.
    pub fn photo(
        &mut self,
        jpeg: Arc<Vec<u8>>,
        index: usize,
        max_w: f32,
        max_h: f32,
    ) -> Result<Placed, PackError> {
        let image = Image::from_jpeg(jpeg.into(), true)
            .map_err(|reason| PackError::PhotoUnreadable { index, reason })?;
        let (pw, ph) = image.size();
        if pw == 0 || ph == 0 {
            return Err(PackError::PhotoUnreadable {
                index,
                reason: "the image has no pixels".into(),
            });
        }
        let max_w = max_w.min(self.width);
        let max_h = max_h.min(BODY_BOTTOM - BODY_TOP);
        let scale = (max_w / pw as f32).min(max_h / ph as f32);
        let (w, h) = (pw as f32 * scale, ph as f32 * scale);
        self.ensure(h);
        self.images.push(image);
        let placed = Placed {
            page: self.page_index(),
            x: self.left,
            y: self.y,
            w,
            h,
        };
        self.push(Item::Image {
            x: placed.x,
            y: placed.y,
            w,
            h,
            image: self.images.len() - 1,
        });
        self.y += h;
        Ok(placed)
    }

    /// Photos in rows of `per_row`, each scaled into its cell (at most `max_h` tall) with its caption
    /// below. A photo that cannot be read is left out and its error returned, so the rest still print.
    pub fn gallery(
        &mut self,
        photos: &[(Arc<Vec<u8>>, usize, String)],
        per_row: usize,
        max_h: f32,
    ) -> Vec<PackError> {
        let per_row = per_row.max(1);
        let gap = 10.0;
        let cell_w = (self.width - gap * (per_row - 1) as f32) / per_row as f32;
        let max_h = max_h.min(BODY_BOTTOM - BODY_TOP - 3.0 * TextStyle::SMALL.line_height());
        let mut errors = Vec::new();
        let mut readable = Vec::new();
        for (jpeg, index, caption) in photos {
            match Image::from_jpeg(jpeg.clone().into(), true) {
                Ok(image) if image.size().0 > 0 && image.size().1 > 0 => {
                    readable.push((image, caption))
                }
                Ok(_) => errors.push(PackError::PhotoUnreadable {
                    index: *index,
                    reason: "the image has no pixels".into(),
                }),
                Err(reason) => errors.push(PackError::PhotoUnreadable {
                    index: *index,
                    reason,
                }),
            }
        }
        for row in readable.chunks(per_row) {
            let placed: Vec<(f32, f32, Vec<Line>)> = row
                .iter()
                .map(|(image, caption)| {
                    let (pw, ph) = image.size();
                    let scale = (cell_w / pw as f32).min(max_h / ph as f32);
                    let mut lines = wrap(caption, &TextStyle::SMALL, cell_w);
                    lines.truncate(3);
                    (pw as f32 * scale, ph as f32 * scale, lines)
                })
                .collect();
            let lh = TextStyle::SMALL.line_height();
            let row_h = placed
                .iter()
                .map(|(_, h, l)| h + 2.0 + l.len() as f32 * lh)
                .fold(0.0, f32::max);
            self.ensure(row_h);
            let mut x = self.left;
            for ((image, _), (w, h, lines)) in row.iter().zip(&placed) {
                self.images.push(image.clone());
                self.push(Item::Image {
                    x,
                    y: self.y,
                    w: *w,
                    h: *h,
                    image: self.images.len() - 1,
                });
                for (k, line) in lines.iter().enumerate() {
                    self.draw_line(
                        line,
                        x,
                        cell_w,
                        self.y + h + 2.0 + k as f32 * lh,
                        TextStyle::SMALL,
                    );
                }
                x += cell_w + gap;
            }
            self.y += row_h + 6.0;
            self.note_undrawable();
        }
        errors
    }

    /// Lays out `beside` in a column to the right of a `box_w` wide strip that `left` fills (a photo
    /// and its caption); afterwards the cursor is below whichever is longer, so nothing overlaps.
    pub fn side_by_side<T>(
        &mut self,
        box_w: f32,
        left: impl FnOnce(&mut Layout) -> T,
        beside: impl FnOnce(&mut Layout),
    ) -> T {
        let (saved_left, saved_width) = (self.left, self.width);
        let box_w = box_w.min(self.width * 0.6);
        let start_page = self.page_index();
        let start_y = self.y;
        self.width = box_w;
        let result = left(self);
        let (left_page, left_bottom) = (self.page_index(), self.y);
        // The right column starts where the strip started.
        if left_page == start_page {
            self.y = start_y;
        }
        self.left = saved_left + box_w + 14.0;
        self.width = saved_width - box_w - 14.0;
        beside(self);
        self.left = saved_left;
        self.width = saved_width;
        if self.page_index() == left_page {
            self.y = self.y.max(left_bottom);
        }
        result
    }

    /// Pass two: writes the PDF, drawing the running header and footer on every page.
    pub fn finish(self, running: &RunningHeader) -> Result<Vec<u8>, PackError> {
        let outcome =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.write(running)));
        outcome.unwrap_or_else(|_| {
            Err(PackError::RenderFailed(
                "the PDF writer stopped unexpectedly".into(),
            ))
        })
    }

    fn write(self, running: &RunningHeader) -> Result<Vec<u8>, PackError> {
        let mut document = Document::new();
        document.set_metadata(metadata(running));
        let total = self.pages.len();
        let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
            .ok_or_else(|| PackError::RenderFailed("bad page size".into()))?;
        let furniture = Furniture::new(running);
        for (index, items) in self.pages.iter().enumerate() {
            let mut page = document.start_page_with(settings.clone());
            let mut surface = page.surface();
            for item in items {
                draw_item(&mut surface, item, &self.images);
            }
            furniture.draw(&mut surface, index + 1, total);
            surface.finish();
            page.finish();
        }
        document
            .finish()
            .map_err(|e| PackError::RenderFailed(format!("{e:?}")))
    }
}

fn metadata(running: &RunningHeader) -> Metadata {
    let mut meta = Metadata::new()
        .title(running.title.clone())
        .creator("Grab Pack".to_owned())
        .producer("Grab Pack (krilla)".to_owned())
        .language("en-GB".to_owned());
    let utc = running.generated_at.to_zoned(jiff::tz::TimeZone::UTC);
    if let Ok(year) = u16::try_from(utc.year()) {
        let date = DateTime::new(year)
            .month(utc.month().unsigned_abs())
            .day(utc.day().unsigned_abs())
            .hour(utc.hour().unsigned_abs())
            .minute(utc.minute().unsigned_abs())
            .second(utc.second().unsigned_abs())
            .utc_offset_hour(0)
            .utc_offset_minute(0);
        meta = meta.creation_date(date);
    }
    meta
}

fn draw_item(surface: &mut Surface<'_>, item: &Item, images: &[Image]) {
    match item {
        Item::Text {
            x,
            baseline,
            style,
            runs,
            scale,
        } => draw_runs(surface, *x, *baseline, style, runs, *scale),
        Item::Rect { x, y, w, h, fill } => {
            if let Some(rect) = Rect::from_xywh(*x, *y, w.max(0.1), h.max(0.1)) {
                let mut path = PathBuilder::new();
                path.push_rect(rect);
                if let Some(path) = path.finish() {
                    surface.set_fill(Some(fill.fill()));
                    surface.draw_path(&path);
                }
            }
        }
        Item::Image { x, y, w, h, image } => {
            if let (Some(image), Some(size)) = (images.get(*image), Size::from_wh(*w, *h)) {
                surface.push_transform(&Transform::from_translate(*x, *y));
                surface.draw_image(image.clone(), size);
                surface.pop();
            }
        }
    }
}

fn draw_runs(
    surface: &mut Surface<'_>,
    x: f32,
    baseline: f32,
    style: &TextStyle,
    runs: &[ShapedRun],
    scale: f32,
) {
    let size = style.size * scale;
    surface.set_fill(Some(style.colour.fill()));
    let mut pen = x;
    for run in runs {
        let Some(font) = run.font.krilla_font(run.weight) else {
            continue;
        };
        let glyphs: Vec<KrillaGlyph> = run
            .glyphs
            .iter()
            .zip(extraction_clusters(run))
            .map(|(g, cluster)| {
                KrillaGlyph::new(
                    GlyphId::new(u32::from(g.id)),
                    g.x_advance,
                    g.x_offset,
                    g.y_offset,
                    0.0,
                    cluster,
                    None,
                )
            })
            .collect();
        if !glyphs.is_empty() {
            surface.draw_glyphs(
                Point::from_xy(pen, baseline),
                &glyphs,
                font,
                &run.text,
                size,
                false,
            );
        }
        pen += run.width(size);
    }
}

/// The text each glyph stands for, as the PDF will say it. Usually the glyph's own cluster. But a mark
/// shifted sideways onto its letter (Odia's vowel sign u, Thaana's vowel marks on every consonant) sits
/// apart from where the text extractor expects it, and poppler then splits the word with a space. So in
/// a left-to-right word with such a mark every glyph gets the whole word's range: krilla then writes the
/// word once as an ActualText span, which extractors read as written. Not right to left: poppler
/// reverses an ActualText span there (a Hebrew name came out backwards).
fn extraction_clusters(run: &ShapedRun) -> Vec<std::ops::Range<usize>> {
    let mut clusters: Vec<std::ops::Range<usize>> =
        run.glyphs.iter().map(|g| g.cluster.clone()).collect();
    let is_space = |range: &std::ops::Range<usize>| {
        run.text
            .get(range.clone())
            .is_none_or(|t| t.chars().all(char::is_whitespace))
    };
    let mut start = 0;
    while start < clusters.len() {
        let end = (start..clusters.len())
            .find(|&i| is_space(&clusters[i]))
            .unwrap_or(clusters.len());
        let word = &run.glyphs[start..end];
        if !run.rtl && word.iter().any(|g| g.x_offset.abs() > 1e-4) {
            let from = word.iter().map(|g| g.cluster.start).min().unwrap_or(0);
            let to = word.iter().map(|g| g.cluster.end).max().unwrap_or(0);
            for cluster in &mut clusters[start..end] {
                *cluster = from..to;
            }
        }
        start = end + 1;
    }
    clusters
}

/// The running header and footer, shaped once and drawn on every page.
struct Furniture {
    marking: Line,
    name: Line,
    footer: Line,
}

impl Furniture {
    fn new(running: &RunningHeader) -> Self {
        let one_line = |text: &str, style: &TextStyle, width: f32| -> Line {
            let flat = text.replace('\n', " ");
            let mut lines = wrap(&flat, style, width);
            let mut first = lines.drain(..).next().unwrap_or(Line {
                text: String::new(),
                runs: Vec::new(),
                width: 0.0,
                rtl: false,
            });
            if first.text.len() < flat.trim_end().len() {
                // Too long for one line: keep what fits and mark the cut.
                let cut = format!("{}…", first.text.trim_end());
                let runs = shape::shape_line(&cut, style.weight, first.rtl);
                first.width = shape::line_width(&runs, style.size);
                first.runs = runs;
                first.text = cut;
            }
            first
        };
        let marking_style = TextStyle {
            size: 10.0,
            weight: Weight::Bold,
            colour: Colour::MARKING,
        };
        let name_style = TextStyle {
            size: 9.0,
            weight: Weight::Bold,
            colour: Colour::INK,
        };
        let footer = format!(
            "{} · Revision {} · Pack {}",
            running.generated_line(),
            running.revision,
            running.short_hash
        );
        Self {
            marking: one_line(&running.marking, &marking_style, BODY_WIDTH),
            name: one_line(&running.child_name, &name_style, BODY_WIDTH - 110.0),
            footer: one_line(&footer, &TextStyle::SMALL, BODY_WIDTH),
        }
    }

    fn draw(&self, surface: &mut Surface<'_>, page: usize, total: usize) {
        let marking_style = TextStyle {
            size: 10.0,
            weight: Weight::Bold,
            colour: Colour::MARKING,
        };
        let name_style = TextStyle {
            size: 9.0,
            weight: Weight::Bold,
            colour: Colour::INK,
        };
        let fit = |line: &Line, room: f32| {
            if line.width > room {
                room / line.width
            } else {
                1.0
            }
        };
        let centre = |line: &Line| MARGIN_X + (BODY_WIDTH - line.width.min(BODY_WIDTH)) / 2.0;
        let marking_scale = fit(&self.marking, BODY_WIDTH);
        // Top: marking centred, then name left and page number right, then a rule.
        draw_runs(
            surface,
            centre(&self.marking),
            24.0,
            &marking_style,
            &self.marking.runs,
            marking_scale,
        );
        draw_runs(
            surface,
            MARGIN_X,
            44.0,
            &name_style,
            &self.name.runs,
            fit(&self.name, BODY_WIDTH - 110.0),
        );
        let page_text = format!("Page {page} of {total}");
        let page_runs = shape::shape_line(&page_text, Weight::Bold, false);
        let page_width = shape::line_width(&page_runs, name_style.size);
        draw_runs(
            surface,
            PAGE_WIDTH - MARGIN_X - page_width,
            44.0,
            &name_style,
            &page_runs,
            1.0,
        );
        draw_item(
            surface,
            &Item::Rect {
                x: MARGIN_X,
                y: 52.0,
                w: BODY_WIDTH,
                h: 0.6,
                fill: Colour::GREY,
            },
            &[],
        );
        // Bottom: a rule, the generated/revision/hash line, then the marking again.
        let footer_top = BODY_BOTTOM + 14.0;
        draw_item(
            surface,
            &Item::Rect {
                x: MARGIN_X,
                y: footer_top - 8.0,
                w: BODY_WIDTH,
                h: 0.6,
                fill: Colour::GREY,
            },
            &[],
        );
        draw_runs(
            surface,
            MARGIN_X,
            footer_top + 4.0,
            &TextStyle::SMALL,
            &self.footer.runs,
            fit(&self.footer, BODY_WIDTH),
        );
        draw_runs(
            surface,
            centre(&self.marking),
            footer_top + 22.0,
            &marking_style,
            &self.marking.runs,
            marking_scale,
        );
    }
}
