//! Part 1 proper: the whole profile, printed from the field table.
//!
//! Groups, their order, the fields in each, their labels and "do not share" all come from
//! [`grabpack_core::FIELDS`]; this module only decides how each kind of [`FieldValue`] looks.
//! A field added to the table therefore reaches the pack with no change here. Empty fields and
//! empty groups are left out (never blank boxes); photos, kept beside the form rather than in
//! it, follow the fields of group C.

use std::sync::Arc;

use grabpack_core::fields::{FIELDS, FieldSpec, FieldValue, Group, ValueTable};

use super::facts::Facts;
use super::table_title;
use crate::PackError;
use crate::layout::{Colour, Column, Layout, Row, TextStyle};

pub(super) fn part_one(facts: &Facts<'_>, layout: &mut Layout, warnings: &mut Vec<PackError>) {
    layout.heading("Part 1: the child's profile");
    // The table's labels say exactly what each field holds; most fit one line at this width.
    layout.set_label_width(150.0);
    let mut printed = false;
    for group in Group::ALL {
        printed |= group_section(facts, group, layout, warnings);
    }
    if !printed {
        layout.text(
            "Nothing in Part 1 has been recorded, or all of it is marked \"do not share\".",
            TextStyle::BODY,
        );
    }
}

/// One lettered group: its heading, then each shared field that has something to print.
/// Returns whether anything was printed.
fn group_section(
    facts: &Facts<'_>,
    group: Group,
    layout: &mut Layout,
    warnings: &mut Vec<PackError>,
) -> bool {
    let shown: Vec<(&FieldSpec, FieldValue)> = FIELDS
        .iter()
        .filter(|f| f.group == group)
        .map(|f| (f, facts.value(f)))
        .filter(|(_, value)| !value.is_empty())
        .collect();
    let photos = if group == Group::Description {
        facts.photos()
    } else {
        Vec::new()
    };
    if shown.is_empty() && photos.is_empty() {
        return false;
    }
    layout.subheading(&format!("{}. {}", group.letter(), group.title()));
    for (spec, value) in &shown {
        print_field(layout, spec.label, value);
    }
    if !photos.is_empty() {
        let photos: Vec<(Arc<Vec<u8>>, usize, String)> = photos
            .into_iter()
            .map(|(i, p)| (p.jpeg.clone(), i, facts.photo_caption(p)))
            .collect();
        gallery(layout, &photos, warnings);
    }
    true
}

/// One field under its label: text beside it, a short list one item to a line, a list of
/// structured items as a table titled with the label.
fn print_field(layout: &mut Layout, label: &str, value: &FieldValue) {
    match value {
        FieldValue::Empty => {}
        FieldValue::Text(text) => layout.label_value(label, text),
        FieldValue::Flagged(text) => layout.label_value_highlighted(label, text, Colour::HIGHLIGHT),
        FieldValue::Items(items) if items.len() == 1 => layout.label_value(label, &items[0]),
        FieldValue::Items(items) => {
            let lines: Vec<String> = items.iter().map(|i| format!("• {i}")).collect();
            layout.label_value(label, &lines.join("\n"));
        }
        FieldValue::Table(table) => {
            table_title(layout, label);
            let (columns, rows) = table_parts(table);
            layout.table(&columns, &rows);
        }
    }
}

/// Columns sized by what they hold (a date or an hour count needs less room than an address),
/// columns empty in every row left out, and rows that must stand out highlighted.
fn table_parts(table: &ValueTable) -> (Vec<Column>, Vec<Row>) {
    let rows = table.rows.len().max(1) as f32;
    let used: Vec<usize> = (0..table.columns.len())
        .filter(|&i| {
            table
                .rows
                .iter()
                .any(|r| r.cells.get(i).is_some_and(|c| !c.is_empty()))
        })
        .collect();
    let columns = used
        .iter()
        .map(|&i| (i, table.columns[i]))
        .map(|(i, heading)| {
            let chars: usize = table
                .rows
                .iter()
                .map(|r| r.cells.get(i).map_or(0, |c| c.chars().count()))
                .sum();
            let typical = (chars as f32 / rows).max(heading.chars().count() as f32);
            Column {
                heading: (*heading).to_owned(),
                share: typical.sqrt().clamp(2.2, 7.0),
            }
        })
        .collect();
    let rows = table
        .rows
        .iter()
        .map(|r| Row {
            cells: used
                .iter()
                .map(|&i| r.cells.get(i).cloned().unwrap_or_default())
                .collect(),
            highlight: r.flagged.then_some(Colour::HIGHLIGHT),
        })
        .collect();
    (columns, rows)
}

/// Every photo, three to a row. Errors here repeat page 1's for the lead photo; each photo's
/// first report is kept.
fn gallery(
    layout: &mut Layout,
    photos: &[(Arc<Vec<u8>>, usize, String)],
    warnings: &mut Vec<PackError>,
) {
    layout.space(4.0);
    for e in layout.gallery(photos, 3, 190.0) {
        if let PackError::PhotoUnreadable { index, .. } = &e {
            let seen = warnings
                .iter()
                .any(|w| matches!(w, PackError::PhotoUnreadable { index: i, .. } if i == index));
            if !seen {
                warnings.push(e);
            }
        }
    }
}
