//! `grabpack review CHILD`: stamp "reviewed, no changes" on a child's form (a revision of its own,
//! so the review date is as provable as an edit).

use std::path::Path;

use clap::Args;

use crate::Cli;
use crate::error::Result;
use crate::output::print;
use crate::session::unlock;

#[derive(Args, Debug)]
pub struct ReviewArgs {
    child: String,
    #[arg(long, default_value = "")]
    note: String,
}

pub fn run(cli: &Cli, dir: &Path, args: &ReviewArgs) -> Result<()> {
    let ReviewArgs { child, note } = args;
    let mut store = unlock(cli, dir)?;
    let id = store.find_child(child)?;
    let rev = store.review(&id, note)?;
    print(cli.json, &rev, |r| {
        format!(
            "Reviewed, no changes: revision {} by {}.",
            r.seq, r.saved_by_name
        )
    });
    Ok(())
}
