//! A one-page notice (the child is back) for a police intake, whose protocol carries a PDF with
//! every message. The email carries the same words as its body; this page only lets an intake
//! show them the way it shows a pack, with the marking and the child's name on the page.

use jiff::Timestamp;
use sha2::{Digest, Sha256};

use crate::PackError;
use crate::layout::{Colour, Layout, RunningHeader, TextStyle};

/// What a notice says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub marking: String,
    pub child_name: String,
    /// The banner, e.g. "RETURNED: no longer missing".
    pub title: String,
    /// The notice's lines, printed in order.
    pub lines: Vec<String>,
    pub generated_at: Timestamp,
}

/// The notice as a one-page PDF, in memory.
///
/// # Errors
/// [`PackError::RenderFailed`] if the PDF writer fails.
pub fn render_notice(notice: &Notice) -> Result<Vec<u8>, PackError> {
    let mut layout = Layout::new();
    layout.callout(&notice.title, Colour::MEDICAL);
    layout.text(&notice.child_name, TextStyle::HEADING);
    for line in &notice.lines {
        layout.text(line, TextStyle::BODY);
    }
    let mut hasher = Sha256::new();
    hasher.update(format!("{notice:?}"));
    let running = RunningHeader {
        marking: notice.marking.clone(),
        child_name: notice.child_name.clone(),
        generated_at: notice.generated_at,
        revision: "notice".into(),
        short_hash: hex::encode(hasher.finalize())[..12].to_owned(),
        title: format!("{}: {}", notice.title, notice.child_name),
    };
    layout.finish(&running)
}
