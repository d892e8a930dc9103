//! From "send" to delivered, at a loopback SMTP server (aiosmtpd, STARTTLS + AUTH) and a loopback
//! HTTPS intake (axum + rustls), for a real 3-photo grab pack. 50 runs each; prints median and
//! worst. "Send" includes composing every recipient's bytes and committing them to the encrypted
//! outbox; "delivered" is the worker having recorded every recipient's receipt.
//!
//! Run: `pip install -r crates/grabpack-send/tests/requirements.txt` then
//! `cargo bench -p grabpack-send --bench send`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use grabpack_send::recipients::Role;
use grabpack_send::{Transports, queue, send_due};
use jiff::Timestamp;

const RUNS: usize = 50;

fn photo(seed: u32) -> Vec<u8> {
    // A photo-like image (smooth gradients, a little grain) at the size grabpack-photo stores:
    // 1000 px on the long side, JPEG quality 80.
    let mut grain = seed.wrapping_mul(2_654_435_761).max(1);
    let img = image::RgbImage::from_fn(750, 1000, |x, y| {
        grain ^= grain << 13;
        grain ^= grain >> 17;
        grain ^= grain << 5;
        let n = (grain % 9) as u8;
        let r = ((x * 255) / 750) as u8;
        let g = ((y * 255) / 1000) as u8;
        let b = (((x + y + seed * 40) / 7) % 256) as u8;
        image::Rgb([r.saturating_add(n), g.saturating_add(n), b])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&img)
        .unwrap();
    out
}

fn pack() -> (Vec<u8>, Duration) {
    let (_home, store) = TestHome::new();
    let child = store.find_child("Jordan").unwrap();
    let form = store.child_unaudited(&child).unwrap().form;
    let mut input = grabpack_pack::PackInput::new(form, "revision 1", Timestamp::now());
    for (i, kind) in [
        grabpack_core::PhotoKind::Face,
        grabpack_core::PhotoKind::FullLength,
        grabpack_core::PhotoKind::Mark,
    ]
    .into_iter()
    .enumerate()
    {
        input.photos.push(grabpack_pack::PackPhoto {
            jpeg: Arc::new(photo(i as u32)),
            kind,
            taken_on: Some(jiff::civil::date(2026, 10, 1)),
        });
    }
    let t = Instant::now();
    let rendered = grabpack_pack::render_pack(&input).unwrap();
    (rendered.pdf, t.elapsed())
}

fn stats(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    (ms(v[v.len() / 2]), ms(*v.last().unwrap()))
}

fn main() {
    let (pdf, render) = pack();
    let ca = TestCa::new();
    let smtp = SmtpServer::start_with(&ca, None, false);
    let intake = Intake::start(&ca);
    let (home, mut store) = TestHome::new();
    let mut settings = smtp_settings(&ca, smtp.port, SMTP_PASSWORD);
    settings
        .intake_tokens
        .insert(intake.base_url(), TOKEN.into());
    let transports = Transports::from_settings(&settings).unwrap();

    let cases: [(&str, Vec<grabpack_send::Recipient>); 3] = [
        (
            "SMTP, 3 recipients",
            vec![
                email_to("missing-persons@kent.police.example", Role::Police),
                email_to("social.worker@council.example", Role::SocialWorker),
                email_to("edt@council.example", Role::OutOfHours),
            ],
        ),
        (
            "HTTPS intake, 1 recipient",
            vec![intake_at(&intake.base_url())],
        ),
        (
            "HTTPS + SMTP, 4 recipients",
            vec![
                intake_at(&intake.base_url()),
                email_to("social.worker@council.example", Role::SocialWorker),
                email_to("edt@council.example", Role::OutOfHours),
                email_to("manager@maple-house.example", Role::Manager),
            ],
        ),
    ];
    println!(
        "3-photo pack: {} KB, rendered in {:.0} ms (not included below)",
        pdf.len() / 1024,
        render.as_secs_f64() * 1000.0
    );
    println!(
        "| case | runs | median ms | worst ms | of which queue (render bytes + commit), median ms |"
    );
    println!("|---|---|---|---|---|");
    for (name, recipients) in cases {
        let mut times = Vec::new();
        let mut queued = Vec::new();
        for _ in 0..RUNS {
            let t = Instant::now();
            let out = outgoing(&home, None, pdf.clone(), recipients.clone());
            queue(&mut store, &settings, &out, None, Timestamp::now()).unwrap();
            queued.push(t.elapsed());
            let report = send_due(&mut store, &transports, Timestamp::now()).unwrap();
            times.push(t.elapsed());
            assert_eq!(
                report.delivered(),
                recipients.len(),
                "{:#?}",
                report.attempted
            );
        }
        let (median, worst) = stats(times);
        let (q, _) = stats(queued);
        println!("| {name} | {RUNS} | {median:.1} | {worst:.1} | {q:.1} |");
    }
}
