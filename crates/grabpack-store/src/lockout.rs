//! The unlock lockout: a wait after repeated wrong secrets, per staff member and per method.
//!
//! Why here and why so: a lockout kept in a file beside the database was reset by deleting the
//! file, filling it with junk, or moving the clock forward, and one count for everyone let anyone
//! at the unlock screen (a resident) lock every colleague out during an episode. So:
//! - each PIN counts for its own staff member and the passphrase for itself; the recovery key is
//!   never locked out (32 random bytes: guessing it is hopeless, and it is the way in of last
//!   resort), so a lockout of one person never blocks another way in;
//! - the counts live in the keychain entry that holds the device secret, so removing them removes
//!   the device secret too, and with it every PIN on this device (the recovery key still opens
//!   the store). An entry whose counts cannot be read counts as locked for the longest wait.
//!   Only on a machine with no keychain (passphrase only) are they kept in a file;
//! - time is measured on the boot clock (time since the machine started, sleep included), never
//!   on the wall clock: after a restart the time since the restart is the most that can have
//!   passed, so neither a clock change nor a restart ends a wait early.
//!
//! A successful unlock clears only the count of the method (and member) that succeeded.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::keychain::DeviceKeychain;
use crate::keyslots::write_atomically;
use crate::secret::Sensitive;

/// Wrong secrets allowed (per member and method) before a wait is imposed.
pub const FREE_ATTEMPTS: u32 = 5;
/// The longest wait, reached after five waits (30 s doubling).
pub const LONGEST_WAIT_SECONDS: u64 = 900;
const FILE_NAME: &str = "unlock-lockout.json";
/// Device secrets are 32 bytes; anything after them in the keychain entry is the lockout state.
const SECRET_LEN: usize = 32;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Counts {
    #[serde(default)]
    counters: BTreeMap<String, Counter>,
    /// Set when the stored counts could not be read: everything PIN or passphrase waits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    damaged: Option<Counter>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Counter {
    failures: u32,
    /// The boot the last failure happened in, and the boot clock then (milliseconds).
    boot: String,
    at_ms: u64,
}

/// What is counted: `pin:<staff id>` or `passphrase`.
pub(crate) fn pin_key(staff_id: &str) -> String {
    format!("pin:{staff_id}")
}
pub(crate) const PASSPHRASE: &str = "passphrase";

/// Where the counts are kept for one store on this device.
pub(crate) struct Lockout<'a> {
    dir: &'a Path,
    keychain: Option<&'a Arc<dyn DeviceKeychain>>,
    account: String,
}

impl<'a> Lockout<'a> {
    pub(crate) fn new(
        dir: &'a Path,
        keychain: Option<&'a Arc<dyn DeviceKeychain>>,
        account: String,
    ) -> Self {
        Self {
            dir,
            keychain,
            account,
        }
    }

    /// Seconds still to wait before `what` may be tried again.
    pub(crate) fn remaining(&self, what: &str) -> Option<u64> {
        let (counts, _) = self.load();
        let now = boot_clock();
        let mut longest = None;
        for c in counts
            .counters
            .get(what)
            .into_iter()
            .chain(counts.damaged.as_ref())
        {
            if let Some(s) = c.remaining(&now) {
                longest = Some(longest.unwrap_or(0).max(s));
            }
        }
        longest
    }

    pub(crate) fn record_failure(&self, what: &str) {
        let (mut counts, secret) = self.load();
        let (boot, at_ms) = boot_clock();
        let c = counts.counters.entry(what.to_string()).or_insert(Counter {
            failures: 0,
            boot: boot.clone(),
            at_ms,
        });
        c.failures = c.failures.saturating_add(1);
        c.boot = boot;
        c.at_ms = at_ms;
        self.save(&counts, secret);
    }

    pub(crate) fn clear(&self, what: &str) {
        let (mut counts, secret) = self.load();
        let now = boot_clock();
        let damaged_over = counts
            .damaged
            .as_ref()
            .is_some_and(|d| d.remaining(&now).is_none());
        if counts.counters.remove(what).is_some() || damaged_over {
            if damaged_over {
                counts.damaged = None;
            }
            self.save(&counts, secret);
        }
    }

    /// The counts, and the device secret they are stored with (when they live in the keychain).
    fn load(&self) -> (Counts, Option<Sensitive<Vec<u8>>>) {
        if let Some(kc) = self.keychain
            && let Ok(Some(entry)) = kc.load(&self.account)
        {
            let bytes = entry.expose();
            if bytes.len() < SECRET_LEN {
                return (damaged(), None);
            }
            let counts = if bytes.len() == SECRET_LEN {
                Counts::default()
            } else {
                serde_json::from_slice(&bytes[SECRET_LEN..]).unwrap_or_else(|_| damaged())
            };
            let secret = Sensitive::new(bytes[..SECRET_LEN].to_vec());
            return (counts, Some(secret));
        }
        let counts = match std::fs::read(self.dir.join(FILE_NAME)) {
            Err(_) => Counts::default(),
            Ok(b) => serde_json::from_slice(&b).unwrap_or_else(|_| damaged()),
        };
        (counts, None)
    }

    /// Best effort: failing to record a count must not turn a wrong PIN into a different error.
    fn save(&self, counts: &Counts, secret: Option<Sensitive<Vec<u8>>>) {
        let Ok(json) = serde_json::to_vec(counts) else {
            return;
        };
        match (self.keychain, secret) {
            (Some(kc), Some(secret)) => {
                // Sized once, so the secret is never left behind in a reallocated buffer.
                let mut bytes = Vec::with_capacity(SECRET_LEN + json.len());
                bytes.extend_from_slice(secret.expose());
                bytes.extend_from_slice(&json);
                let entry = Sensitive::new(bytes);
                let _ = kc.save(&self.account, entry.expose());
            }
            _ => {
                let _ = write_atomically(self.dir, FILE_NAME, &json);
            }
        }
    }
}

/// The device secret from a keychain entry that may also hold lockout counts.
pub(crate) fn device_secret_of(entry: Sensitive<Vec<u8>>) -> Sensitive<Vec<u8>> {
    let bytes = entry.expose();
    Sensitive::new(bytes[..bytes.len().min(SECRET_LEN)].to_vec())
}

/// A new keychain entry for `secret`, carrying the counts of `from` (device recovery must not
/// reset a lockout).
pub(crate) fn entry_with_counts_of(
    secret: &[u8],
    from: Option<Sensitive<Vec<u8>>>,
) -> Sensitive<Vec<u8>> {
    let mut bytes = Vec::with_capacity(SECRET_LEN + 4096);
    bytes.extend_from_slice(secret);
    if let Some(old) = from
        && old.expose().len() > SECRET_LEN
    {
        bytes.extend_from_slice(&old.expose()[SECRET_LEN..]);
    }
    Sensitive::new(bytes)
}

fn damaged() -> Counts {
    let (boot, at_ms) = boot_clock();
    Counts {
        counters: BTreeMap::new(),
        damaged: Some(Counter {
            failures: FREE_ATTEMPTS + 5,
            boot,
            at_ms,
        }),
    }
}

impl Counter {
    fn wait_seconds(&self) -> Option<u64> {
        if self.failures < FREE_ATTEMPTS {
            return None;
        }
        let extra = (self.failures - FREE_ATTEMPTS).min(5);
        Some((30u64 << extra).min(LONGEST_WAIT_SECONDS))
    }

    fn remaining(&self, (boot, now_ms): &(String, u64)) -> Option<u64> {
        let wait_ms = self.wait_seconds()? * 1000;
        // Same boot: the boot clock never goes back. Another boot: the time since it started is
        // the most that can have passed since the failure.
        let elapsed_ms = if *boot == self.boot {
            now_ms.saturating_sub(self.at_ms)
        } else {
            *now_ms
        };
        (elapsed_ms < wait_ms).then(|| (wait_ms - elapsed_ms).div_ceil(1000))
    }
}

/// This boot's identity and the time since it started, in milliseconds (sleep included).
#[cfg(target_os = "linux")]
fn boot_clock() -> (String, u64) {
    let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    // /proc/uptime is CLOCK_BOOTTIME: unaffected by setting the clock, and it counts sleep.
    let ms = std::fs::read_to_string("/proc/uptime")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .and_then(|s| s.parse::<f64>().ok())
        .map(|s| (s * 1000.0) as u64)
        .unwrap_or(0);
    (boot, ms)
}

/// Elsewhere the wall clock, with the limit that moving it forward shortens a wait (see
/// `docs/threat-model.md`); moving it back never does.
#[cfg(not(target_os = "linux"))]
fn boot_clock() -> (String, u64) {
    let ms = jiff::Timestamp::now().as_millisecond().max(0) as u64;
    ("wall-clock".into(), ms)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counter(failures: u32, boot: &str, at_ms: u64) -> Counter {
        Counter {
            failures,
            boot: boot.into(),
            at_ms,
        }
    }

    #[test]
    fn five_failures_are_free_then_the_wait_doubles_from_30_seconds_to_15_minutes() {
        let now = ("boot-a".to_string(), 1_000_000);
        assert_eq!(counter(4, "boot-a", 1_000_000).remaining(&now), None);
        assert_eq!(counter(5, "boot-a", 1_000_000).remaining(&now), Some(30));
        assert_eq!(counter(6, "boot-a", 1_000_000).remaining(&now), Some(60));
        assert_eq!(counter(50, "boot-a", 1_000_000).remaining(&now), Some(900));
    }

    #[test]
    fn within_one_boot_only_time_on_the_boot_clock_counts() {
        let c = counter(5, "boot-a", 1_000_000);
        assert_eq!(c.remaining(&("boot-a".into(), 1_010_000)), Some(20));
        assert_eq!(c.remaining(&("boot-a".into(), 1_030_000)), None);
    }

    #[test]
    fn a_restart_never_ends_a_wait_early() {
        // A failure late in a long boot; ten seconds after a restart only ten seconds count,
        // whatever the wall clock says.
        let c = counter(10, "boot-a", 90_000_000);
        assert_eq!(c.remaining(&("boot-b".into(), 10_000)), Some(890));
    }

    #[test]
    fn unreadable_counts_wait_the_longest() {
        let d = damaged();
        let now = boot_clock();
        assert_eq!(
            d.damaged.unwrap().remaining(&now),
            Some(LONGEST_WAIT_SECONDS)
        );
    }
}
