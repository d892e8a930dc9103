//! The protocol's syntax rules for identifiers, part file names and intake addresses.
//!
//! Why they live with the types: the receiver refuses what the sender must never produce, so both
//! sides read the same rule. Identifiers are kept to a set that can never be read as a path, even
//! though no receiver should ever name a file after one.

use std::net::IpAddr;

use crate::error::ProtocolError;

const ID_MAX: usize = 128;

/// An identifier the protocol accepts (`home.id`, `child.ref`, `episode_id`, `recipient_id`):
/// 1-128 of `A-Z a-z 0-9 . _ : -`, starting with a letter or digit, never `..`. Anything that
/// could be a path (`/`, `\`, `..`, NUL, percent escapes) is refused.
pub fn is_valid_id(s: &str) -> bool {
    let ok_chars = s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'));
    !s.is_empty()
        && s.len() <= ID_MAX
        && ok_chars
        && s.as_bytes()[0].is_ascii_alphanumeric()
        && !s.contains("..")
}

/// Map any id of the sender's (a recipient typed as `other:duty@council.example`) into the
/// identifier set: other characters become `-`, at most 128 are kept, and a first character that
/// is not a letter or digit becomes `r`.
pub fn to_valid_id(id: &str) -> String {
    let mut out: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-') {
                c
            } else {
                '-'
            }
        })
        .take(ID_MAX)
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        out.replace_range(..out.chars().next().map_or(0, char::len_utf8), "r");
    }
    // A run of dots is the one thing the character map keeps that the rule refuses.
    while out.contains("..") {
        out = out.replace("..", ".-");
    }
    out
}

/// A multipart part's `filename` is only ever informational; one that looks like a path
/// (`/`, `\`, `%`, `..`, control characters) or is empty or over 255 bytes is refused.
pub fn is_safe_part_filename(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 255
        && !s.contains("..")
        && !s
            .chars()
            .any(|c| c == '/' || c == '\\' || c == '%' || c.is_control())
}

/// An intake's base URL as the protocol allows it: `https://`, or plain `http://` to a loopback
/// address only (a receiver on the same machine, as in tests).
pub fn check_intake_url(url: &str) -> Result<url::Url, ProtocolError> {
    let u = url::Url::parse(url).map_err(|e| ProtocolError::BadUrl {
        url: url.into(),
        reason: e.to_string(),
    })?;
    match u.scheme() {
        "https" => Ok(u),
        "http" => {
            let loopback = match u.host() {
                Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
                Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
                _ => false,
            };
            if loopback {
                Ok(u)
            } else {
                Err(ProtocolError::TlsRequired(url.into()))
            }
        }
        _ => Err(ProtocolError::TlsRequired(url.into())),
    }
}
