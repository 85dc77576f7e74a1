//! The Tantivy directory dossier opens its indexes through: Tantivy's files on disk, with two
//! changes that let people share an index.
//!
//! - Reading works where dossier cannot write (a read-only disk, a snapshot, a folder of another
//!   user). Tantivy's reader takes a lock file while it opens segments, so that a writer's
//!   clean-up does not delete them under it; creating that file fails where nothing can be
//!   written. Here the lock is taken where it can be and skipped where the disk refuses: nothing
//!   can clean up a disk that refuses writes either.
//! - Files replaced whole (`meta.json`) are created with the user's umask, as every other file
//!   of the index is, rather than readable by their owner alone.

use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{DeleteError, LockError, OpenReadError, OpenWriteError};
use tantivy::directory::{
    DirectoryLock, FileHandle, Lock, MmapDirectory, WatchCallback, WatchHandle, WritePtr,
};
use tantivy::schema::Schema;
use tantivy::{Directory, Index, IndexSettings};

/// Tantivy's directory of files on disk, whose locks give way to a disk that refuses writes.
#[derive(Clone, Debug)]
struct SharedDirectory {
    inner: MmapDirectory,
    root: PathBuf,
}

impl SharedDirectory {
    fn open(dir: &Path) -> tantivy::Result<SharedDirectory> {
        Ok(SharedDirectory {
            inner: MmapDirectory::open(dir)?,
            root: dir.to_path_buf(),
        })
    }
}

/// Opens the Tantivy index in `dir`, writing nothing there if the disk refuses.
pub(super) fn open(dir: &Path) -> tantivy::Result<Index> {
    Index::open(SharedDirectory::open(dir)?)
}

/// Creates a Tantivy index in the empty folder `dir`.
pub(super) fn create(dir: &Path, schema: Schema) -> tantivy::Result<Index> {
    Index::create(
        SharedDirectory::open(dir)?,
        schema,
        IndexSettings::default(),
    )
}

impl Directory for SharedDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        self.inner.get_file_handle(path)
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.inner.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.inner.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.inner.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.inner.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> std::io::Result<()> {
        let full = self.root.join(path);
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let tmp = self.root.join(format!(".{name}.tmp{}", std::process::id()));
        let write = || -> std::io::Result<()> {
            let mut file = std::fs::File::create(&tmp)?;
            file.write_all(data)?;
            file.sync_data()?;
            std::fs::rename(&tmp, &full)
        };
        write().inspect_err(|_| {
            let _ = std::fs::remove_file(&tmp);
        })
    }

    fn sync_directory(&self) -> std::io::Result<()> {
        self.inner.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        match self.inner.acquire_lock(lock) {
            Err(LockError::IoError(e)) if refuses_writes(e.kind()) => {
                Ok(DirectoryLock::from(Box::new(())))
            }
            other => other,
        }
    }

    fn watch(&self, callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.inner.watch(callback)
    }
}

fn refuses_writes(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::ReadOnlyFilesystem | ErrorKind::PermissionDenied
    )
}
