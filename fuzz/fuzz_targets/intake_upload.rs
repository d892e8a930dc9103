//! The police intake's `POST /v1/packs` body: the multipart reading, the manifest's JSON
//! (`grabpack_protocol::Manifest`) and every rule the manifest must meet, as a home (or anyone
//! holding a home's token) can send them.
//!
//! The first byte picks how the body is cut into chunks, so the multipart parser also meets
//! boundaries and headers split across reads; the rest is the body, under the boundary
//! `fuzz-boundary`, for the home `home-oakfield` with the key of the protocol document's example.
//! The pack limit is 2 KiB (the service's default is far larger) so the fuzzer reaches the
//! over-limit paths with small inputs.
//!
//! Beyond "no panic": an upload that is accepted has a pack within the limit and a manifest
//! within 64 KiB whose text parses to the manifest kept, that meets every rule, and that the
//! protocol types write back and read to the same manifest.
#![no_main]

use std::sync::OnceLock;

use bytes::Bytes;
use grabpack_inbox::config::Home;
use grabpack_inbox::intake::{read_upload, validate_manifest};
use grabpack_protocol::{MANIFEST_MAX_BYTES, Manifest};
use libfuzzer_sys::fuzz_target;

const LIMIT: u64 = 2 * 1024;
const ENVELOPE: u64 = LIMIT + 4 * 1024;

fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap_or_else(|e| panic!("no tokio runtime: {e}"))
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&cut, body)) = data.split_first() else {
        return;
    };
    let step = usize::from(cut).max(1);
    let chunks: Vec<Result<Bytes, std::io::Error>> = body
        .chunks(step)
        .map(|c| Ok(Bytes::copy_from_slice(c)))
        .collect();
    let home = Home {
        id: "home-oakfield".into(),
        name: "Oakfield House (fictional)".into(),
        token_sha256: [0; 32],
    };
    let key = uuid::Uuid::from_u128(0x6f1c2a5e_3b1d_4c1e_9d5e_0a4b2c3d4e5f);
    let read = read_upload(
        futures_util::stream::iter(chunks),
        "fuzz-boundary".to_string(),
        &home,
        &key,
        LIMIT,
        ENVELOPE,
    );
    let Ok(upload) = runtime().block_on(read) else {
        return;
    };
    assert!(
        upload.pdf.len() as u64 <= LIMIT,
        "a pack over the limit was kept"
    );
    assert!(upload.manifest_text.len() as u64 <= MANIFEST_MAX_BYTES);
    let reparsed: Manifest = match serde_json::from_str(&upload.manifest_text) {
        Ok(m) => m,
        Err(e) => panic!("the kept manifest text does not parse: {e}"),
    };
    assert_eq!(
        reparsed, upload.manifest,
        "the kept text is not the manifest checked"
    );
    if let Err(e) = validate_manifest(&upload.manifest, &home, &key, LIMIT) {
        panic!("an accepted manifest breaks a rule: {e}");
    }
    let written = serde_json::to_string(&upload.manifest).unwrap_or_default();
    let back: Manifest = match serde_json::from_str(&written) {
        Ok(m) => m,
        Err(e) => panic!("a manifest written by the protocol types does not parse: {e}"),
    };
    assert_eq!(back, upload.manifest);
});
