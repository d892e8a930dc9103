//! The child's own copy: "what we keep about you, and who we share it with", in plain words, for
//! the child to read and keep.
//!
//! Why from the same record and the same tables: a copy written by hand drifts from what the pack
//! really holds and from who really gets it. What we keep is the field table's labels of what is
//! filled in (never the values: the child is told what is written down, and can ask to see it
//! with someone they trust); who gets it is read from `grabpack_core::audience`, so a change to
//! who reads a field changes this copy too. The child's own words and the adults they trust are
//! printed in full: they are the child's.

use grabpack_core::audience::{AUDIENCES, Audience, FULL_IMMIGRATION_STATUS, PROTECTED_ADDRESS};
use grabpack_core::fields::{FIELDS, FieldSpec, Group, join};
use grabpack_core::form::ChildForm;
use jiff::Timestamp;
use sha2::{Digest, Sha256};

use crate::PackError;
use crate::layout::{Colour, Layout, RunningHeader, TextStyle};

/// The title printed at the top of the child's copy.
pub const CHILD_COPY_TITLE: &str = "What we keep about you, and who we share it with";

/// What the child's copy is built from. Nothing is read from disk or the clock.
#[derive(Debug, Clone)]
pub struct ChildCopyInput {
    pub form: ChildForm,
    /// The form revision it is built from (printed on every page).
    pub revision: String,
    pub marking: String,
    pub generated_at: Timestamp,
}

/// Who gets the pack, in words a child can follow, in the order the copy lists them. An added
/// address a manager widened is told as part of an added address.
fn who(audience: Audience) -> Option<&'static str> {
    match audience {
        Audience::Police => Some("The police where you went missing"),
        Audience::SecondForce => {
            Some("The police where your family lives, if that is somewhere else")
        }
        Audience::SocialCare => {
            Some("Your social worker, the council's out-of-hours team and the home's manager")
        }
        Audience::ExtraAddress => Some(
            "Anyone else the home adds to help look for you (a manager must agree to send them more, and write down why)",
        ),
        Audience::ExtraAddressWidened => None,
    }
}

fn filled(form: &ChildForm) -> Vec<&'static FieldSpec> {
    FIELDS.iter().filter(|f| (f.filled)(form)).collect()
}

/// What `audience` gets of the filled fields, in words: everything, everything except some, or
/// only some (whichever list is shorter).
fn what_they_get(form: &ChildForm, audience: Audience) -> String {
    let kept = filled(form);
    let withheld = |f: &FieldSpec| form.do_not_share.contains(f.path);
    let reads = |f: &FieldSpec| {
        !withheld(f)
            && AUDIENCES
                .iter()
                .any(|r| r.path == f.path && r.audiences.contains(audience))
    };
    let (get, not): (Vec<&FieldSpec>, Vec<&FieldSpec>) = kept
        .iter()
        .copied()
        .filter(|f| !withheld(f))
        .partition(|f| reads(f));
    let labels = |list: &[&FieldSpec]| {
        list.iter()
            .map(|f| f.label.to_lowercase())
            .collect::<Vec<_>>()
            .join("; ")
    };
    if get.is_empty() {
        "nothing we have written down yet".into()
    } else if not.is_empty() {
        "everything in the list above that may be shared".into()
    } else if not.len() <= get.len() {
        format!("everything in the list above except: {}", labels(&not))
    } else {
        format!("only: {}", labels(&get))
    }
}

/// Builds the child's own copy as a PDF, in memory.
///
/// # Errors
/// [`PackError::RenderFailed`] if the PDF writer fails.
pub fn render_child_copy(input: &ChildCopyInput) -> Result<Vec<u8>, PackError> {
    std::panic::catch_unwind(|| build(input)).unwrap_or_else(|_| {
        Err(PackError::RenderFailed(
            "the child's copy builder stopped unexpectedly".into(),
        ))
    })
}

fn build(input: &ChildCopyInput) -> Result<Vec<u8>, PackError> {
    let form = &input.form;
    let name = form
        .identity
        .known_as
        .iter()
        .map(|s| s.trim())
        .find(|s| !s.is_empty())
        .unwrap_or(form.identity.legal_name.trim())
        .to_owned();
    let mut layout = Layout::new();
    layout.callout(CHILD_COPY_TITLE, Colour::MEDICAL);
    layout.text(&format!("For {name}"), TextStyle::HEADING);
    layout.text(
        "Your home keeps a record about you so that, if you ever go missing, the people looking \
         for you can find you quickly and keep you safe. This is called a grab pack. This page \
         says what is in it and who would see it. You can ask to see any of it with someone you \
         trust, and to change anything that is wrong.",
        TextStyle::BODY,
    );

    layout.subheading("In your own words");
    let words = form.administration.child_contribution.trim();
    layout.text(
        if words.is_empty() {
            "Nothing yet. You can tell your keyworker what you would want the police to know if you go missing."
        } else {
            words
        },
        TextStyle::BODY,
    );

    layout.subheading("People you trust");
    let trusted: Vec<String> = form
        .people
        .trusted_adults
        .iter()
        .map(|p| join([p.name.as_str(), &p.relationship], ", "))
        .filter(|t| !t.is_empty())
        .collect();
    if trusted.is_empty() {
        layout.text(
            "Nobody written down yet. You can tell us who.",
            TextStyle::BODY,
        );
    }
    for t in &trusted {
        layout.text(&format!("• {t}"), TextStyle::BODY);
    }

    layout.subheading("What we keep about you");
    let kept = filled(form);
    for group in Group::ALL {
        let labels: Vec<String> = kept
            .iter()
            .filter(|f| f.group == group)
            .map(|f| f.label.to_lowercase())
            .collect();
        if !labels.is_empty() {
            layout.text(group.title(), TextStyle::STRONG);
            layout.text(&labels.join("; "), TextStyle::BODY);
        }
    }
    if kept.is_empty() {
        layout.text("Nothing is written down yet.", TextStyle::BODY);
    }

    layout.subheading("Who we share it with, only if you go missing");
    for audience in Audience::ALL {
        if let Some(who) = who(audience) {
            layout.text(who, TextStyle::STRONG);
            layout.text(&what_they_get(form, audience), TextStyle::BODY);
        }
    }
    if !form.identity.immigration_status.trim().is_empty() {
        let readers: Vec<&str> = Audience::ALL
            .into_iter()
            .filter(|a| FULL_IMMIGRATION_STATUS.contains(*a))
            .filter_map(who)
            .collect();
        layout.text(
            &format!(
                "Your full immigration status goes only to: {}. The police are told only whether you came to the UK on your own.",
                readers.join("; ").to_lowercase()
            ),
            TextStyle::BODY,
        );
    }
    let protected = form
        .people
        .family
        .iter()
        .chain(&form.people.friends)
        .chain(&form.people.partners)
        .chain(&form.people.associates)
        .chain(&form.people.trusted_adults)
        .any(|p| p.protected_address);
    if protected {
        let readers: Vec<&str> = Audience::ALL
            .into_iter()
            .filter(|a| PROTECTED_ADDRESS.contains(*a))
            .filter_map(who)
            .collect();
        layout.text(
            &format!(
                "Where we wrote down someone you must not be taken to, their address goes only to: {}, so they can keep you safe.",
                readers.join("; ").to_lowercase()
            ),
            TextStyle::BODY,
        );
    }

    let never: Vec<String> = FIELDS
        .iter()
        .filter(|f| form.do_not_share.contains(f.path))
        .map(|f| f.label.to_lowercase())
        .collect();
    if !never.is_empty() {
        layout.subheading("Never shared");
        layout.text(&never.join("; "), TextStyle::BODY);
    }

    layout.subheading("Shown to you");
    layout.text(
        "Shown to you on: ____________________   by: ____________________",
        TextStyle::BODY,
    );

    let mut hasher = Sha256::new();
    hasher.update(serde_json::to_vec(form).unwrap_or_default());
    hasher.update(input.revision.as_bytes());
    hasher.update(input.generated_at.to_string());
    let running = RunningHeader {
        marking: input.marking.clone(),
        child_name: name.clone(),
        generated_at: input.generated_at,
        revision: input.revision.clone(),
        short_hash: hex::encode(hasher.finalize())[..12].to_owned(),
        title: format!("{CHILD_COPY_TITLE}: {name}"),
    };
    layout.finish(&running)
}
