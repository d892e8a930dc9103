//! Extreme children (empty everything, 20,000-character notes, 60 associates, 40 places, names in every
//! script) always give a valid pack, never a panic.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a test fails loudly on unexpected input

mod common;
#[path = "common/demo.rs"]
mod demo;

use common::{assert_qpdf_accepts, page_count};
use demo::extreme_input;
use grabpack_core::form::ChildForm;
use grabpack_pack::{PackInput, readout, render_pack};
use proptest::prelude::*;

#[test]
fn an_empty_form_still_gives_a_pack() {
    let input = PackInput::new(ChildForm::default(), "rev-0001", demo::generated_at());
    let pack = render_pack(&input).unwrap();
    assert_qpdf_accepts(&pack.pdf);
    assert!(readout(&input).contains("116 000"));
}

#[test]
fn the_extreme_child_paginates_into_a_valid_pack() {
    let pack = render_pack(&extreme_input(20_000, 60, 40, 0)).unwrap();
    assert_qpdf_accepts(&pack.pdf);
    assert_eq!(page_count(&pack.pdf), pack.page_count);
    assert!(pack.page_count > 10);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]
    #[test]
    fn extreme_children_always_give_a_valid_pack(
        note_len in prop_oneof![Just(0usize), 1usize..500, Just(20_000usize)],
        associates in 0usize..=60,
        places in 0usize..=40,
        name_index in 0usize..common::TEST_NAMES.len(),
    ) {
        let input = extreme_input(note_len, associates, places, name_index);
        let pack = render_pack(&input).unwrap();
        assert_qpdf_accepts(&pack.pdf);
        prop_assert!(readout(&input).trim_end().ends_with("message."));
    }
}
