//! Static files (CSS, JavaScript, images) a plugin embeds in its binary; the host serves them at
//! `/static/<plugin name>/<path>` with a content type from the extension and cache headers.
//!
//! ```
//! use netbox_framework::static_files::StaticFile;
//!
//! let file = StaticFile::new("css/zoo.css", b"body { color: green }");
//! assert_eq!(file.path, "css/zoo.css");
//! ```
//!
//! In a plugin crate, [`static_file!`](crate::static_file) embeds a file from the crate's
//! `static/` directory: `static_file!("css/zoo.css")`.

/// One embedded file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaticFile {
    /// Path below `/static/<plugin name>/`, without a leading `/`.
    pub path: &'static str,
    /// The file's bytes.
    pub bytes: &'static [u8],
}

impl StaticFile {
    /// A file served at `/static/<plugin name>/<path>`.
    pub const fn new(path: &'static str, bytes: &'static [u8]) -> Self {
        StaticFile { path, bytes }
    }
}

/// Embeds `static/<path>` of the calling crate as a [`StaticFile`] served at
/// `/static/<plugin name>/<path>`.
///
/// ```ignore
/// fn static_files(&self) -> Vec<StaticFile> {
///     vec![netbox_framework::static_file!("css/animal-sounds.css")]
/// }
/// ```
#[macro_export]
macro_rules! static_file {
    ($path:literal) => {
        $crate::static_files::StaticFile::new(
            $path,
            ::core::include_bytes!(::core::concat!(
                ::core::env!("CARGO_MANIFEST_DIR"),
                "/static/",
                $path
            )),
        )
    };
}
