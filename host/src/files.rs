//! Reading a plugin's files: only regular files, never more than a cap (the file is opened,
//! its handle checked, and at most the cap plus one byte read, so that `/dev/zero` or a FIFO
//! cannot make the host grow or hang), and a manifest's `component` confined to the plugin's
//! folder.

use std::fs::File;
use std::io::{self, Read};
use std::path::{Component, Path};

/// The largest `plugin.toml` read: manifests are a few hundred bytes.
pub const MAX_MANIFEST_BYTES: u64 = 1 << 20;

/// Opens `path` for reading without blocking on a FIFO (the check that it is a regular file
/// follows on the handle).
pub(crate) fn open(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    options.open(path)
}

/// Opens `relative` inside the folder `base`, refusing any path that leads out of it: an
/// absolute path, `..`, or a symbolic link pointing outside (cap-std resolves every step
/// inside the folder).
pub(crate) fn open_inside(base: &Path, relative: &Path) -> io::Result<File> {
    if !stays_inside(relative) {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            "the path leads out of the plugin's folder",
        ));
    }
    let folder = cap_std::fs::Dir::open_ambient_dir(base, cap_std::ambient_authority())?;
    let mut options = cap_std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    cap_std::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    folder
        .open_with(relative, &options)
        .map(cap_std::fs::File::into_std)
}

/// Whether `relative` names something below its folder by its spelling alone: no root, no
/// prefix, no `..`, not empty.
pub(crate) fn stays_inside(relative: &Path) -> bool {
    let mut any = false;
    for component in relative.components() {
        match component {
            Component::Normal(_) => any = true,
            Component::CurDir => {}
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    any
}

/// The content of the opened `file`, when it is a regular file of at most `cap` bytes;
/// `setting` names what raises the cap, for the error.
pub(crate) fn read_capped(file: File, cap: u64, setting: &str) -> io::Result<Vec<u8>> {
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("not a regular file ({})", describe(&meta.file_type())),
        ));
    }
    let too_large = |size: &dyn std::fmt::Display| {
        io::Error::new(
            io::ErrorKind::FileTooLarge,
            format!("{size} bytes, over the cap of {cap} bytes ({setting})"),
        )
    };
    if meta.len() > cap {
        return Err(too_large(&meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(too_large(&format!("more than {cap}")));
    }
    Ok(bytes)
}

/// What a file that is not a regular file is.
fn describe(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() {
            return "a character device";
        }
        if kind.is_block_device() {
            return "a block device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if kind.is_dir() {
        "a folder"
    } else {
        "not a file"
    }
}

/// Reads the regular file `path`, at most `cap` bytes.
pub(crate) fn read_file(path: &Path, cap: u64, setting: &str) -> io::Result<Vec<u8>> {
    read_capped(open(path)?, cap, setting)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_below_the_folder_stay_inside() {
        assert!(stays_inside(Path::new("plugin.wasm")));
        assert!(stays_inside(Path::new("./lib/plugin.wasm")));
        assert!(!stays_inside(Path::new("../x.wasm")));
        assert!(!stays_inside(Path::new("lib/../../x.wasm")));
        assert!(!stays_inside(Path::new("/etc/passwd")));
        assert!(!stays_inside(Path::new("")));
        assert!(!stays_inside(Path::new(".")));
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_folders_are_refused_and_sizes_capped() {
        let err = read_file(Path::new("/dev/zero"), 1 << 20, "cap").unwrap_err();
        assert!(err.to_string().contains("character device"), "{err}");
        let err = read_file(Path::new("/"), 1 << 20, "cap").unwrap_err();
        assert!(err.to_string().contains("folder"), "{err}");

        let dir = std::env::temp_dir().join(format!("mf-files-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("big");
        std::fs::write(&file, vec![0u8; 100]).unwrap();
        assert_eq!(read_file(&file, 100, "cap").unwrap().len(), 100);
        let err = read_file(&file, 99, "the-setting").unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::FileTooLarge);
        assert!(
            err.to_string().contains("cap of 99 bytes (the-setting)"),
            "{err}"
        );

        std::os::unix::fs::symlink("/etc/hostname", dir.join("out")).unwrap();
        assert!(open_inside(&dir, Path::new("out")).is_err());
        assert!(open_inside(&dir, Path::new("big")).is_ok());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
