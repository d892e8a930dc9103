//! `grabpack dashboard`: every child with readiness, what needs attention first.

use std::path::Path;

use crate::Cli;
use crate::error::Result;
use crate::output::{dashboard_text, print};
use crate::session::{today, unlock};

pub fn run(cli: &Cli, dir: &Path) -> Result<()> {
    let store = unlock(cli, dir)?;
    let rows = store.dashboard(today())?;
    print(cli.json, &rows, |r| dashboard_text(r));
    Ok(())
}
