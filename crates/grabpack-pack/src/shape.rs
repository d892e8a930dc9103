//! Shaping: turning a line of text into the glyphs the pack draws, in visual order.
//!
//! Why we shape ourselves rather than letting krilla's `draw_text` do it: to wrap a paragraph we must
//! know its width before drawing, a line may mix scripts (an English label with an Arabic name) that no
//! single font covers, and a right-to-left name must be reordered with the Unicode bidi algorithm.
//! So each line is split into bidi level runs (`unicode-bidi`), each level run into font runs
//! ([`crate::fonts::font_for`]), and each font run is shaped by `rustybuzz` (the Rust port of HarfBuzz that
//! krilla itself uses). The glyphs drawn are exactly what [`shaped_glyph_ids`] returns for a single-font
//! run, which the tests compare with `hb-shape`.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Range;
use std::rc::Rc;

use rustybuzz::{Direction, Face, Script, ShapePlan, UnicodeBuffer};
use unicode_bidi::{Level, ParagraphBidiInfo};

use crate::fonts::{self, PackFont, Weight};

/// One glyph, with advances and offsets in em (divide font units by units-per-em), as krilla wants them.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapedGlyph {
    /// Glyph id in the font file (before krilla subsets it).
    pub id: u16,
    /// Horizontal advance in em.
    pub x_advance: f32,
    /// Horizontal offset in em.
    pub x_offset: f32,
    /// Vertical offset in em (up is positive, as HarfBuzz reports it).
    pub y_offset: f32,
    /// The bytes of [`ShapedRun::text`] this glyph stands for, so text extraction gives them back.
    pub cluster: Range<usize>,
}

/// A run of text in one font and one direction, shaped, glyphs in visual (left to right) order.
#[derive(Debug, Clone, PartialEq)]
pub struct ShapedRun {
    /// The characters, in logical order.
    pub text: String,
    /// The font the run is set in.
    pub font: PackFont,
    /// Regular or bold.
    pub weight: Weight,
    /// Whether the run reads right to left.
    pub rtl: bool,
    /// The glyphs, left to right as drawn.
    pub glyphs: Vec<ShapedGlyph>,
}

impl ShapedRun {
    /// Width in points at `size` points.
    pub fn width(&self, size: f32) -> f32 {
        self.glyphs.iter().map(|g| g.x_advance).sum::<f32>() * size
    }

    /// The glyph ids, left to right.
    pub fn glyph_ids(&self) -> Vec<u16> {
        self.glyphs.iter().map(|g| g.id).collect()
    }
}

/// The glyph ids HarfBuzz would draw for `text` in `font`, left to right, letting the shaper guess
/// script and direction from the text exactly as `hb-shape` does. The renderer draws the same glyphs
/// for a run of one font (see [`shape_line`]); the shaping tests hold both to `hb-shape`'s answer.
pub fn shaped_glyph_ids(text: &str, font: PackFont, weight: Weight) -> Vec<u16> {
    shape_run(text, font, weight, None).glyph_ids()
}

/// Shapes one run. `rtl` forces the direction (from the bidi algorithm); `None` lets the shaper guess.
pub fn shape_run(text: &str, font: PackFont, weight: Weight, rtl: Option<bool>) -> ShapedRun {
    let mut run = ShapedRun {
        text: text.to_owned(),
        font,
        weight,
        rtl: rtl.unwrap_or(false),
        glyphs: Vec::new(),
    };
    let Some(face) = font.face(weight) else {
        return run;
    };
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    match rtl {
        Some(true) => buffer.set_direction(Direction::RightToLeft),
        Some(false) => buffer.set_direction(Direction::LeftToRight),
        None => {}
    }
    if buffer.direction() == Direction::Invalid {
        buffer.set_direction(Direction::LeftToRight);
    }
    let direction = buffer.direction();
    run.rtl = direction == Direction::RightToLeft;
    let script = Some(buffer.script()).filter(|s| *s != UNKNOWN_SCRIPT);
    let output = with_plan(face, (font, weight, direction, script), |plan| {
        rustybuzz::shape_with_plan(face, plan, buffer)
    });
    let units_per_em = f32::from(face.units_per_em().max(1) as u16);
    let infos = output.glyph_infos();
    let positions = output.glyph_positions();

    // Cluster starts in visual order; a glyph's text ends where the next cluster (in logical order) starts.
    let mut starts: Vec<usize> = infos.iter().map(|i| i.cluster as usize).collect();
    starts.sort_unstable();
    starts.dedup();
    run.glyphs = infos
        .iter()
        .zip(positions)
        .map(|(info, pos)| {
            let start = (info.cluster as usize).min(text.len());
            let end = starts
                .iter()
                .copied()
                .find(|&s| s > start)
                .unwrap_or(text.len());
            ShapedGlyph {
                id: u16::try_from(info.glyph_id).unwrap_or(0),
                x_advance: pos.x_advance as f32 / units_per_em,
                x_offset: pos.x_offset as f32 / units_per_em,
                y_offset: pos.y_offset as f32 / units_per_em,
                cluster: start..end,
            }
        })
        .collect();
    if font == PackFont::Latin {
        substitute_unprintable(&mut run, face, units_per_em);
    }
    run
}

/// Draws characters no vendored font covers as the replacement character (U+FFFD) instead of the
/// font's invisible-looking .notdef box. Why: krilla gives .notdef no text mapping, so such a name
/// would vanish from copy and search; a real glyph keeps its characters (through ToUnicode or
/// ActualText), so an officer can still copy a Korean name the pack cannot draw.
fn substitute_unprintable(run: &mut ShapedRun, face: &Face<'static>, units_per_em: f32) {
    let Some(replacement) = face.glyph_index('\u{FFFD}') else {
        return;
    };
    let advance = f32::from(face.glyph_hor_advance(replacement).unwrap_or(0)) / units_per_em;
    for glyph in run.glyphs.iter_mut().filter(|g| g.id == 0) {
        let text = run.text.get(glyph.cluster.clone()).unwrap_or("");
        if text
            .chars()
            .any(|c| !fonts::is_invisible(c) && !c.is_whitespace())
        {
            glyph.id = replacement.0;
            glyph.x_advance = advance;
            glyph.x_offset = 0.0;
            glyph.y_offset = 0.0;
        }
    }
}

type PlanKey = (PackFont, Weight, Direction, Option<Script>);

/// rustybuzz's `Script` for text of no particular script (what an unset script reads as).
const UNKNOWN_SCRIPT: Script = rustybuzz::script::UNKNOWN;

/// Shapes with a cached plan. Building a shape plan (collecting the font's OpenType features for a
/// script and direction) costs far more than shaping a word, and a pack shapes every word twice (to
/// measure, then to draw), so plans are kept per thread for each font, weight, direction and script.
fn with_plan<T>(face: &Face<'static>, key: PlanKey, shape: impl FnOnce(&ShapePlan) -> T) -> T {
    thread_local! {
        static PLANS: RefCell<HashMap<PlanKey, Rc<ShapePlan>>> = RefCell::new(HashMap::new());
    }
    let plan = PLANS.with(|plans| {
        plans
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| Rc::new(ShapePlan::new(face, key.2, key.3, None, &[])))
            .clone()
    });
    shape(&plan)
}

/// Normalises text for printing: tabs and odd separators become spaces, other control characters go.
/// Line feeds are kept (they separate paragraphs); everything else is kept as written.
pub fn clean_text(text: &str) -> String {
    text.chars()
        .filter_map(|ch| match ch {
            '\n' => Some('\n'),
            '\t'
            | '\u{0B}'
            | '\u{0C}'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{1C}'..='\u{1E}' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// Splits a run of text in logical order into font runs: letters choose the first font that covers
/// them; spaces, digits, punctuation and combining marks stay in the current run's font when it can
/// print them, so "محمد 07700" and "Dvořák" each stay in one run and shape as one.
pub fn font_runs(text: &str) -> Vec<(Range<usize>, PackFont)> {
    let mut runs: Vec<(Range<usize>, PackFont)> = Vec::new();
    let mut current: Option<PackFont> = None;
    for (i, ch) in text.char_indices() {
        let keep_current = current.filter(|f| {
            fonts::is_invisible(ch) || (!ch.is_alphabetic() && (f.covers(ch) || is_mark(ch)))
        });
        // A character no font covers goes to the Latin font, which draws it as U+FFFD (see shape_run).
        let font =
            keep_current
                .or_else(|| fonts::font_for(ch))
                .unwrap_or(if fonts::is_invisible(ch) {
                    current.unwrap_or(PackFont::Latin)
                } else {
                    PackFont::Latin
                });
        match runs.last_mut() {
            Some((range, f)) if *f == font => range.end = i + ch.len_utf8(),
            _ => runs.push((i..i + ch.len_utf8(), font)),
        }
        current = Some(font);
    }
    runs
}

/// Combining marks (accents written after a base letter) must stay with their base letter's font.
fn is_mark(ch: char) -> bool {
    matches!(ch, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// The base direction of a paragraph: right to left when its first strong character is.
pub fn paragraph_is_rtl(text: &str) -> bool {
    ParagraphBidiInfo::new(text, None).paragraph_level.is_rtl()
}

/// Shapes one line for drawing: bidi reordering, then font fallback, then shaping. Returns runs in
/// visual order (draw them left to right). `rtl_paragraph` is the direction of the paragraph the line
/// came from, so a wrapped line keeps its paragraph's direction.
pub fn shape_line(text: &str, weight: Weight, rtl_paragraph: bool) -> Vec<ShapedRun> {
    if text.is_empty() {
        return Vec::new();
    }
    if !rtl_paragraph && !text.chars().any(may_be_rtl) {
        // Nothing here can read right to left: skip the bidi algorithm (most text in a pack).
        return font_runs(text)
            .into_iter()
            .map(|(range, font)| shape_run(&text[range], font, weight, Some(false)))
            .collect();
    }
    let base = if rtl_paragraph {
        Level::rtl()
    } else {
        Level::ltr()
    };
    let bidi = ParagraphBidiInfo::new(text, Some(base));
    let mut out = Vec::new();
    if bidi.is_pure_ltr {
        for (range, font) in font_runs(text) {
            out.push(shape_run(&text[range], font, weight, Some(false)));
        }
        return out;
    }
    let (levels, level_runs) = bidi.visual_runs(0..text.len());
    for level_run in level_runs {
        let rtl = levels
            .get(level_run.start)
            .is_some_and(|level| level.is_rtl());
        let piece = &text[level_run.clone()];
        let mut runs = font_runs(piece);
        if rtl {
            runs.reverse();
        }
        for (range, font) in runs {
            out.push(shape_run(&piece[range], font, weight, Some(rtl)));
        }
    }
    out
}

/// Characters that are (or can make text) right to left: Hebrew, Arabic, Syriac, Thaana, N'Ko and
/// other RTL blocks, their presentation forms, and the bidi control characters.
fn may_be_rtl(ch: char) -> bool {
    matches!(ch,
        '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}' |
        '\u{10800}'..='\u{10FFF}' | '\u{1E800}'..='\u{1EFFF}' |
        '\u{200F}' | '\u{202B}' | '\u{202E}' | '\u{2067}')
}

/// Width in points of a line shaped by [`shape_line`].
pub fn line_width(runs: &[ShapedRun], size: f32) -> f32 {
    runs.iter().map(|r| r.width(size)).sum()
}
