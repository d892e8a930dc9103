//! Secrets that cannot leak by accident.
//!
//! A PIN, passphrase or key must never reach a log, an error message or a panic. [`Sensitive`]
//! prints `<redacted>`, has no Display and no Serialize, and is zeroed on drop: moving a secret
//! into output has to be a deliberate, visible act (`expose`).

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::error::{Result, StoreError};

#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Sensitive<T: Zeroize>(T);

impl<T: Zeroize> Sensitive<T> {
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret itself. Every call site is a place a secret leaves its wrapper: keep them few.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T: Zeroize> std::fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<&str> for Sensitive<String> {
    fn from(s: &str) -> Self {
        Self(s.to_string())
    }
}

impl From<String> for Sensitive<String> {
    fn from(s: String) -> Self {
        Self(s)
    }
}

/// 32 random bytes from the operating system.
pub(crate) fn random_key() -> Result<Sensitive<[u8; 32]>> {
    let mut k = [0u8; 32];
    getrandom::fill(&mut k).map_err(|e| StoreError::Io(std::io::Error::other(e.to_string())))?;
    let s = Sensitive(k);
    k.zeroize();
    Ok(s)
}

pub(crate) fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut k = [0u8; N];
    getrandom::fill(&mut k).map_err(|e| StoreError::Io(std::io::Error::other(e.to_string())))?;
    Ok(k)
}

/// Crockford's base32: no I, L, O or U, so a key read aloud or copied from paper survives.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// The recovery key as printed for the home's safe: 52 characters in 13 groups of 4.
pub fn format_recovery_key(key: &[u8; 32]) -> Sensitive<String> {
    let mut bits: u32 = 0;
    let mut nbits = 0;
    let mut out = String::with_capacity(64);
    let mut chars = 0;
    for &b in key.iter() {
        bits = (bits << 8) | u32::from(b);
        nbits += 8;
        while nbits >= 5 {
            nbits -= 5;
            push_group_char(
                &mut out,
                &mut chars,
                CROCKFORD[((bits >> nbits) & 31) as usize],
            );
        }
    }
    if nbits > 0 {
        push_group_char(
            &mut out,
            &mut chars,
            CROCKFORD[((bits << (5 - nbits)) & 31) as usize],
        );
    }
    bits.zeroize();
    Sensitive(out)
}

fn push_group_char(out: &mut String, count: &mut usize, c: u8) {
    if *count > 0 && (*count).is_multiple_of(4) {
        out.push('-');
    }
    out.push(char::from(c));
    *count += 1;
}

/// Read a recovery key as typed: case, spaces and dashes do not matter; O reads as 0, I and L as 1.
pub fn parse_recovery_key(typed: &str) -> Result<Sensitive<[u8; 32]>> {
    let mut bits: u32 = 0;
    let mut nbits = 0;
    let mut out = [0u8; 32];
    let mut n = 0;
    let mut symbols = 0;
    for c in typed.chars() {
        let c = c.to_ascii_uppercase();
        let c = match c {
            ' ' | '-' | '\t' | '\n' | '\r' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        let v = CROCKFORD
            .iter()
            .position(|&x| char::from(x) == c)
            .ok_or(StoreError::RecoveryKeyFormat)?;
        symbols += 1;
        bits = (bits << 5) | v as u32;
        nbits += 5;
        if nbits >= 8 {
            nbits -= 8;
            if n >= 32 {
                return Err(StoreError::RecoveryKeyFormat);
            }
            out[n] = (bits >> nbits) as u8;
            n += 1;
        }
    }
    if symbols != 52 || n != 32 {
        out.zeroize();
        return Err(StoreError::RecoveryKeyFormat);
    }
    let s = Sensitive(out);
    out.zeroize();
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recovery_key_reads_back_as_printed_whatever_the_case_and_spacing() {
        let key = [7u8; 32];
        let printed = format_recovery_key(&key);
        assert_eq!(printed.expose().len(), 52 + 12);
        let typed = printed.expose().to_lowercase().replace('-', " ");
        assert_eq!(parse_recovery_key(&typed).unwrap().expose(), &key);
    }

    #[test]
    fn a_short_recovery_key_is_refused_with_its_code() {
        assert_eq!(
            parse_recovery_key("ABCD-EFGH").unwrap_err().code(),
            "store.recovery_key_format"
        );
    }

    #[test]
    fn a_secret_never_prints() {
        let s = Sensitive::from("2468");
        assert_eq!(format!("{s:?}"), "<redacted>");
    }
}
