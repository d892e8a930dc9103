//! `grabpack pack render|readout`: the grab-pack PDF and the 101 read-out for one child.
//!
//! The pack is built in memory; it touches the disk only when the person names a file with `-o`,
//! and then they are told the file is not encrypted. Rendering and saving are audited with the
//! pack's SHA-256, so what was handed over can be proven later.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use grabpack_store::{ChildId, Store};

use crate::Cli;
use crate::error::{CliError, send_error};
use crate::session::unlock;

#[derive(Subcommand, Debug)]
pub enum PackCommand {
    /// Build the grab-pack PDF in memory and save it to FILE (not encrypted: you are told so).
    Render {
        child: String,
        /// Include this missing episode's Part 2 (when the child is missing now).
        #[arg(long)]
        episode: Option<String>,
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// The page-1 facts as text, in the order a 101 call handler asks for them.
    Readout {
        child: String,
        #[arg(long)]
        episode: Option<String>,
    },
}

pub fn run(cli: &Cli, dir: &Path, c: &PackCommand) -> Result<(), CliError> {
    let json = cli.json;
    match c {
        PackCommand::Render {
            child,
            episode,
            output,
        } => {
            let mut store = unlock(cli, dir)?;
            let id = store.find_child(child)?;
            render(&mut store, &id, episode.as_deref(), output, json)
        }
        PackCommand::Readout { child, episode } => {
            let mut store = unlock(cli, dir)?;
            let id = store.find_child(child)?;
            readout(&mut store, &id, episode.as_deref(), json)
        }
    }
}

/// What a pack is built from: one builder for every front end (grabpack-send's `pack_input`).
pub fn input(
    store: &Store,
    child_id: &ChildId,
    episode: Option<&grabpack_store::episodes::Episode>,
) -> Result<grabpack_pack::PackInput, CliError> {
    grabpack_send::pack_input(store, child_id, episode).map_err(send_error)
}

/// The episode named on the command line, checked to be this child's.
pub fn episode_for(
    store: &Store,
    child_id: &ChildId,
    episode: Option<&str>,
) -> Result<Option<grabpack_store::episodes::Episode>, CliError> {
    let Some(query) = episode else {
        return Ok(None);
    };
    Ok(Some(
        store.episode_of_child(child_id, &store.find_episode(query)?)?,
    ))
}

pub fn render(
    store: &mut Store,
    child_id: &ChildId,
    episode: Option<&str>,
    output: &Path,
    json: bool,
) -> Result<(), CliError> {
    let episode = episode_for(store, child_id, episode)?;
    let pack = grabpack_pack::render_pack(&input(store, child_id, episode.as_ref())?)
        .map_err(|e| CliError::input(e.code(), e.to_string()))?;
    store.record(
        grabpack_store::AuditAction::PackRendered,
        Some(child_id),
        &format!("{} pages, sha256 {}", pack.page_count, pack.sha256_hex),
    )?;
    crate::output::write_handover(output, &pack.pdf)?;
    store.record(
        grabpack_store::AuditAction::PackSaved,
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
    child_id: &ChildId,
    episode: Option<&str>,
    json: bool,
) -> Result<(), CliError> {
    let episode = episode_for(store, child_id, episode)?;
    let text = grabpack_pack::readout(&input(store, child_id, episode.as_ref())?);
    store.record(
        grabpack_store::AuditAction::ReadoutShown,
        Some(child_id),
        "",
    )?;
    if json {
        println!("{}", serde_json::json!({ "readout": text }));
    } else {
        println!("{text}");
    }
    Ok(())
}
