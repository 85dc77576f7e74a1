//! The article id: what names an article's bytes everywhere, computed once from them.
//!
//! The index stores it as 32 hex digits ([`ArticleId::hex`]) and groups passages by its first
//! 64 bits ([`ArticleId::key`]); `files.json` records it per file. Code that holds an article
//! passes this type around rather than hashing or parsing again.

use std::fmt;

/// The first 128 bits of the BLAKE3 hash of a file's bytes: the same bytes always give the
/// same id, wherever the file lies. The default, all zeros, stands for "not read yet" in the
/// record of files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArticleId([u8; 16]);

impl ArticleId {
    /// The id of these bytes.
    pub fn of_bytes(bytes: &[u8]) -> ArticleId {
        let mut id = [0u8; 16];
        id.copy_from_slice(&blake3::hash(bytes).as_bytes()[..16]);
        ArticleId(id)
    }

    /// The id written as 32 hex digits, if `hex` is one.
    pub fn parse(hex: &str) -> Option<ArticleId> {
        let hex = hex.as_bytes();
        if hex.len() != 32 {
            return None;
        }
        let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
        let mut id = [0u8; 16];
        for (i, pair) in hex.chunks_exact(2).enumerate() {
            id[i] = digit(pair[0])? << 4 | digit(pair[1])?;
        }
        Some(ArticleId(id))
    }

    /// The 32 lowercase hex digits the index stores.
    pub fn hex(&self) -> String {
        self.to_string()
    }

    /// The first 64 bits: the `article_key` fast field search groups passages by.
    pub fn key(&self) -> u64 {
        let mut first = [0u8; 8];
        first.copy_from_slice(&self.0[..8]);
        u64::from_be_bytes(first)
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const X: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn round_trips_through_hex() {
        assert_eq!(ArticleId::parse(X).unwrap().hex(), X);
        assert_eq!(ArticleId::parse("abc"), None);
        assert_eq!(ArticleId::parse(&X.replace('0', "g")), None);
    }

    #[test]
    fn key_is_the_first_sixteen_digits() {
        assert_eq!(ArticleId::parse(X).unwrap().key(), 0x0123_4567_89ab_cdef);
    }

    #[test]
    fn of_bytes_is_the_hash_prefix() {
        let id = ArticleId::of_bytes(b"dossier");
        assert_eq!(id.hex(), blake3::hash(b"dossier").to_hex()[..32]);
        assert_ne!(id, ArticleId::of_bytes(b"dossier "));
    }
}
