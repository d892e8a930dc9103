//! `grabpack photo add|list`: a child's photos. Adding goes through grabpack-photo (turned
//! upright, every bit of metadata dropped) before anything is stored.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use grabpack_core::PhotoKind;
use jiff::civil::Date;

use crate::Cli;
use crate::error::{CliError, Result};
use crate::output::print;
use crate::session::unlock;

#[derive(Subcommand, Debug)]
pub enum PhotoCommand {
    /// Add a photo (JPEG, PNG or WebP): turned upright, stripped of metadata, stored encrypted.
    Add {
        child: String,
        file: PathBuf,
        #[arg(long, default_value = "face")]
        kind: String,
        /// Date taken (YYYY-MM-DD) when the camera's date is missing or wrong.
        #[arg(long)]
        taken: Option<Date>,
    },
    /// A child's photos, newest face photo first.
    List { child: String },
}

pub fn run(cli: &Cli, dir: &Path, c: &PhotoCommand) -> Result<()> {
    let json = cli.json;
    match c {
        PhotoCommand::Add {
            child,
            file,
            kind,
            taken,
        } => {
            let mut store = unlock(cli, dir)?;
            let id = store.find_child(child)?;
            let kind = PhotoKind::parse(kind).ok_or_else(|| {
                CliError::input(
                    "cli.bad_photo_kind",
                    format!("'{kind}' is not a photo kind: use face, full_length or mark."),
                )
            })?;
            let bytes = std::fs::read(file).map_err(|e| {
                CliError::input(
                    "cli.file_unreadable",
                    format!("{} could not be read: {e}", file.display()),
                )
            })?;
            let info = store.add_photo(&id, &bytes, kind, *taken)?;
            print(json, &info, |i| {
                format!(
                    "Added {} photo {} ({}x{}), taken {}.",
                    i.kind.as_str(),
                    i.id,
                    i.width,
                    i.height,
                    i.taken_on
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "unknown: add --taken".into())
                )
            });
        }
        PhotoCommand::List { child } => {
            let store = unlock(cli, dir)?;
            let photos = store.photos(&store.find_child(child)?)?;
            print(json, &photos, |ps| {
                ps.iter()
                    .map(|p| {
                        format!(
                            "{}  {:<11} taken {}  {}x{}",
                            p.id,
                            p.kind.as_str(),
                            p.taken_on
                                .map(|d| d.to_string())
                                .unwrap_or_else(|| "unknown".into()),
                            p.width,
                            p.height
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
    }
    Ok(())
}
