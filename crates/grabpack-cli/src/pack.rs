//! `grabpack pack render|readout`: the grab-pack PDF and the 101 read-out for one child.
//!
//! The pack is built in memory; it touches the disk only when the person names a file with `-o`,
//! and then they are told the file is not encrypted. Rendering and saving are audited with the
//! pack's SHA-256, so what was handed over can be proven later.

use std::path::Path;
use std::sync::Arc;

use grabpack_pack::{PackInput, PackPhoto};
use grabpack_store::Store;

use crate::CliError;

/// What a pack is built from, for the CLI's `pack` and `missing` commands alike: the store's
/// `pack_material` (the child's own marking wins over the home's), the app's closed episodes for
/// the missing history and, when a child is missing now, that episode's Part 2.
pub fn input(
    store: &Store,
    child_id: &str,
    episode: Option<&grabpack_store::episodes::Episode>,
) -> Result<PackInput, CliError> {
    let material = store.pack_material(child_id)?;
    let mut input = PackInput::new(
        material.form,
        format!("revision {}", material.revision),
        jiff::Timestamp::now(),
    );
    input.marking = material.marking;
    input.photos = material
        .photos
        .into_iter()
        .map(|p| PackPhoto {
            jpeg: Arc::new(p.jpeg),
            kind: p.kind,
            taken_on: p.taken_on,
        })
        .collect();
    input.episode = episode.and_then(|e| e.part2.as_ref().map(|p| p.value.clone()));
    input.app_episodes = store.past_episodes(child_id)?;
    Ok(input)
}

/// The episode named on the command line, checked to be this child's.
pub fn episode_for(
    store: &Store,
    child_id: &str,
    episode: Option<&str>,
) -> Result<Option<grabpack_store::episodes::Episode>, CliError> {
    let Some(query) = episode else {
        return Ok(None);
    };
    let ep = store.episode(&store.find_episode(query)?)?;
    if ep.child_id != child_id {
        return Err(CliError::input(
            "cli.episode_other_child",
            "That episode belongs to another child.",
        ));
    }
    Ok(Some(ep))
}

pub fn render(
    store: &mut Store,
    child_id: &str,
    episode: Option<&str>,
    output: &Path,
    json: bool,
) -> Result<(), CliError> {
    let episode = episode_for(store, child_id, episode)?;
    let pack = grabpack_pack::render_pack(&input(store, child_id, episode.as_ref())?)
        .map_err(|e| CliError::input(e.code(), e.to_string()))?;
    store.record(
        "pack_rendered",
        Some(child_id),
        &format!("{} pages, sha256 {}", pack.page_count, pack.sha256_hex),
    )?;
    std::fs::write(output, &pack.pdf).map_err(|e| {
        CliError::input(
            "cli.file_unwritable",
            format!("{} could not be written: {e}", output.display()),
        )
    })?;
    store.record(
        "pack_saved",
        Some(child_id),
        &format!("sha256 {} to a file chosen by the user", pack.sha256_hex),
    )?;
    if json {
        println!(
            "{}",
            serde_json::json!({ "written": output, "pages": pack.page_count, "bytes": pack.pdf.len(), "sha256": pack.sha256_hex })
        );
    } else {
        println!(
            "Grab pack written to {} ({} pages, {} KB, sha256 {}).\nThis file is NOT encrypted: send it, print it, then delete it.",
            output.display(),
            pack.page_count,
            pack.pdf.len() / 1024,
            &pack.sha256_hex[..12]
        );
    }
    Ok(())
}

pub fn readout(
    store: &mut Store,
    child_id: &str,
    episode: Option<&str>,
    json: bool,
) -> Result<(), CliError> {
    let episode = episode_for(store, child_id, episode)?;
    let text = grabpack_pack::readout(&input(store, child_id, episode.as_ref())?);
    store.record("readout_shown", Some(child_id), "")?;
    if json {
        println!("{}", serde_json::json!({ "readout": text }));
    } else {
        println!("{text}");
    }
    Ok(())
}
