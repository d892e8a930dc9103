//! A pack (or a child's file) leaving the encrypted store as a plain file, for print or hand-over.
//!
//! Why here and not in each shell: the app's "Save the grab pack PDF" and the command line's
//! `pack`, `outbox save-pdf` and `child export` all put a child's most sensitive data in a file
//! that is not encrypted. The rules for that file live once: its name never says who the child
//! is (a Downloads folder, a recent-files list or a cloud folder's web page shows names to
//! whoever looks), only the person's own account may read it, and a folder that a sync client
//! copies to the cloud is named so the person can choose another.

use std::io::Write;
use std::path::{Path, PathBuf};

/// `grab-pack-2026-12-02-0525.pdf`: when it was made, never whose it is.
pub fn neutral_pack_file_name(now: &jiff::Zoned) -> String {
    format!("grab-pack-{}.pdf", now.strftime("%Y-%m-%d-%H%M"))
}

/// The child's own copy's file name: named for when it was made, never for the child.
pub fn neutral_child_copy_file_name(now: &jiff::Zoned) -> String {
    format!("what-we-keep-{}.pdf", now.strftime("%Y-%m-%d-%H%M"))
}

/// A name in `dir` that does not overwrite an earlier file: `name.pdf`, `name (2).pdf`, ...
pub fn unused_path(dir: &Path, file_name: &str) -> PathBuf {
    let (stem, ext) = match file_name.rsplit_once('.') {
        Some((s, e)) => (s, format!(".{e}")),
        None => (file_name, String::new()),
    };
    let mut path = dir.join(file_name);
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{stem} ({n}){ext}"));
        n += 1;
    }
    path
}

/// Write `bytes` to `path` readable and writable by the person's own account only (mode 0600
/// where the platform has modes), replacing a file already there; its permissions are narrowed
/// too. Flushed to disk before returning.
pub fn write_owner_only(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let mut file = options.open(path)?;
        // An existing file keeps its old mode when opened: narrow it before writing.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        file.write_all(bytes)?;
        file.sync_all()
    }
    #[cfg(not(unix))]
    {
        let mut file = options.open(path)?;
        file.write_all(bytes)?;
        file.sync_all()
    }
}

/// Folder names the common sync clients copy to the cloud (Dropbox, OneDrive, Google Drive,
/// iCloud Drive, Nextcloud, ownCloud, pCloud, Box, MEGA, Syncthing's default).
const CLOUD_FOLDERS: &[&str] = &[
    "dropbox",
    "onedrive",
    "google drive",
    "googledrive",
    "my drive",
    "icloud drive",
    "mobile documents",
    "nextcloud",
    "owncloud",
    "pcloud",
    "pcloud drive",
    "box",
    "box sync",
    "mega",
    "megasync",
    "sync",
];

/// When `dir` is (inside) a folder a sync client copies to the cloud, the words that say so, for
/// the person to choose another folder. Judged from the folder names on the way (OneDrive's
/// "OneDrive - Council Name" included); a synced folder with an unusual name is not recognised.
pub fn cloud_synced_folder_warning(dir: &Path) -> Option<String> {
    let hit = dir.components().find_map(|c| {
        let name = c.as_os_str().to_string_lossy().to_lowercase();
        let known = CLOUD_FOLDERS
            .iter()
            .any(|f| name == *f || name.starts_with(&format!("{f} - ")));
        known.then(|| c.as_os_str().to_string_lossy().into_owned())
    })?;
    Some(format!(
        "This folder looks like one a sync service copies to the cloud ('{hit}'): the pack there is not encrypted and may be copied off this computer. Save it somewhere else, or delete it as soon as it is printed or handed over."
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_file_name_never_says_whose_pack_it_is() {
        let now: jiff::Zoned = "2026-12-02T05:25:00[Europe/London]".parse().unwrap();
        assert_eq!(
            neutral_pack_file_name(&now),
            "grab-pack-2026-12-02-0525.pdf"
        );
    }

    #[test]
    fn saving_again_never_overwrites_an_earlier_file() {
        let dir = tempfile::tempdir().unwrap();
        let first = unused_path(dir.path(), "grab-pack-x.pdf");
        assert_eq!(first, dir.path().join("grab-pack-x.pdf"));
        std::fs::write(&first, b"x").unwrap();
        let second = unused_path(dir.path(), "grab-pack-x.pdf");
        assert_eq!(second, dir.path().join("grab-pack-x (2).pdf"));
        std::fs::write(&second, b"x").unwrap();
        assert_eq!(
            unused_path(dir.path(), "grab-pack-x.pdf"),
            dir.path().join("grab-pack-x (3).pdf")
        );
    }

    #[cfg(unix)]
    #[test]
    fn only_the_owner_can_read_the_file_even_one_that_was_there_before() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pack.pdf");
        write_owner_only(&path, b"new").unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), 0o600);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        write_owner_only(&path, b"again").unwrap();
        assert_eq!(mode(&path), 0o600);
        assert_eq!(std::fs::read(&path).unwrap(), b"again");
    }

    #[test]
    fn a_folder_a_sync_client_copies_to_the_cloud_is_named() {
        for dir in [
            "/home/sam/Dropbox/packs",
            "/home/sam/OneDrive - Example Council/Documents",
            "/Users/sam/Library/Mobile Documents/com~apple~CloudDocs",
            "/home/sam/Nextcloud",
            "C:/Users/sam/Google Drive/My Drive",
        ] {
            assert!(
                cloud_synced_folder_warning(Path::new(dir)).is_some(),
                "{dir}"
            );
        }
        for dir in [
            "/home/sam/Downloads",
            "/home/sam/Documents/boxes",
            "/tmp/megaphone",
        ] {
            assert!(
                cloud_synced_folder_warning(Path::new(dir)).is_none(),
                "{dir}"
            );
        }
    }
}
