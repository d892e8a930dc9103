//! Page 1: the critical facts an officer reads in 30 seconds, deliberately designed rather than
//! generated from the table (photo and description side by side, the risks that change the
//! grading in colour, where to look, who to call). Every form field it prints is read through
//! [`Facts`], so the table's "do not share" rule governs it exactly as it governs Part 1.

use grabpack_core::form::Part2;

use super::facts::Facts;
use super::{PHOTO_HEIGHT, PHOTO_WIDTH, cut, join, paren};
use crate::PackError;
use crate::layout::{Colour, Layout, TextStyle, uk_and_utc};

pub(super) fn page_one(facts: &Facts<'_>, layout: &mut Layout, warnings: &mut Vec<PackError>) {
    let limit = facts.input.settings.page1_text_limit;
    super::so_far::update_banner(&facts.input.so_far, layout);
    photo_and_description(facts, layout, warnings);
    layout.space(6.0);
    for (text, colour) in facts.critical_labels() {
        layout.callout(&cut(&text, limit), colour);
    }
    if let Some(episode) = &facts.input.episode {
        missing_now(facts, episode, layout);
    }
    super::so_far::page_one_block(&facts.input.so_far, limit, layout);
    places_to_look(facts, layout);
    contacts(facts, layout);
}

/// The lead photo with the name and description beside it (or the description alone, with a
/// note that no photo is held).
fn photo_and_description(facts: &Facts<'_>, layout: &mut Layout, warnings: &mut Vec<PackError>) {
    let photos = facts.photos();
    let Some(&(index, photo)) = photos.first() else {
        description(facts, layout);
        layout.callout("No photo is held for this child", Colour::GREY);
        return;
    };
    let placed = layout.side_by_side(
        PHOTO_WIDTH,
        |l| {
            let placed = l.photo(photo.jpeg.clone(), index, PHOTO_WIDTH, PHOTO_HEIGHT);
            if placed.is_ok() {
                l.space(2.0);
                l.text(&facts.photo_caption(photo), TextStyle::SMALL);
            } else {
                l.callout(
                    "The photo could not be printed: send it from the app",
                    Colour::GREY,
                );
            }
            placed
        },
        |l| description(facts, l),
    );
    if let Err(e) = placed {
        warnings.push(e);
    }
}

/// Name, age and what the child looks like: the facts an officer matches a face against.
fn description(facts: &Facts<'_>, l: &mut Layout) {
    let limit = facts.input.settings.page1_text_limit;
    let shown = |path: &str| cut(&facts.text_of(path).unwrap_or_default(), limit);
    l.text(&facts.name(), TextStyle::TITLE);
    l.label_value("Known as", &shown("identity.known_as"));
    l.label_value("Age", &facts.age_and_birth().unwrap_or_default());
    l.label_value("Gender", &shown("identity.gender"));
    l.label_value("Height", &shown("description.height_cm"));
    for (path, label) in [
        ("description.build", "Build"),
        ("description.hair", "Hair"),
        ("description.eyes", "Eyes"),
        ("description.facial_hair", "Facial hair"),
        ("identity.appearance", "Appearance"),
        ("description.glasses_aids", "Glasses, aids"),
        ("description.marks", "Marks"),
    ] {
        l.label_value(label, &shown(path));
    }
    l.label_value("Mobile", &cut(&facts.mobiles().unwrap_or_default(), limit));
}

/// Part 2's first facts, when the child is missing now.
fn missing_now(facts: &Facts<'_>, episode: &Part2, layout: &mut Layout) {
    let limit = facts.input.settings.page1_text_limit;
    layout.subheading("MISSING NOW: last seen");
    layout.label_value(
        "Police reference",
        &facts.police_reference().unwrap_or_default(),
    );
    let seen = episode.last_seen_at.map(uk_and_utc).unwrap_or_default();
    let noticed = episode
        .absence_noticed_at
        .map(|t| format!("noticed missing {}", uk_and_utc(t)))
        .unwrap_or_default();
    layout.label_value("When", &join([seen.as_str(), &noticed], "; "));
    let where_seen = join(
        [
            episode.last_seen_where.as_str(),
            &paren(episode.last_seen_by.trim()),
        ],
        " ",
    );
    layout.label_value("Where", &cut(&where_seen, limit));
    layout.label_value("Clothing", &cut(&episode.clothing, limit));
    layout.label_value("Who with", &cut(&episode.who_with, limit));
    let heading = join(
        [
            episode.direction_transport.as_str(),
            episode.intended_destination.as_str(),
        ],
        "; ",
    );
    layout.label_value("Heading", &cut(&heading, limit));
}

fn places_to_look(facts: &Facts<'_>, layout: &mut Layout) {
    let limit = facts.input.settings.page1_text_limit;
    let places = facts.places_to_look();
    if places.is_empty() {
        return;
    }
    layout.subheading("Most likely places to look");
    for (i, place) in places.iter().enumerate() {
        layout.label_value(&format!("{}", i + 1), &cut(place, limit));
    }
}

fn contacts(facts: &Facts<'_>, layout: &mut Layout) {
    layout.subheading("Contacts");
    layout.label_value("Home, 24/7", &facts.home_line().unwrap_or_default());
    layout.label_value(
        "Social worker",
        &facts.text_of("placement.social_worker").unwrap_or_default(),
    );
    layout.label_value(
        "Out of hours (EDT)",
        &facts.text_of("placement.out_of_hours").unwrap_or_default(),
    );
}
