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
//!   passed, so neither a clock change nor a restart ends a wait early;
//! - where no boot clock is known (every system but Linux for now; this build cannot test
//!   per-system code for the others), a wait counts only time a running process has itself
//!   observed on its monotonic clock (`std::time::Instant`): the counter keeps the wait still
//!   owed and which process run last observed it, so a restart starts the owed rest again and a
//!   wall-clock jump is never seen. A wait may last longer than it says (time while no process
//!   watched is lost), never shorter. The clock is a trait ([`Clock`]) so the tests run this path
//!   on Linux too.
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
    #[serde(default)]
    boot: String,
    #[serde(default)]
    at_ms: u64,
    /// Without a boot clock: the wait still owed (milliseconds) when last observed ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    owed_ms: Option<u64>,
    /// ... by this process run, this far into its monotonic clock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    observer: Option<String>,
    #[serde(default)]
    observed_ms: u64,
}

/// Where a lockout reads the time.
pub(crate) trait Clock: Send + Sync {
    /// This boot's identity and the time since it started (milliseconds, sleep included), where
    /// the system offers such a clock; `None` elsewhere.
    fn boot(&self) -> Option<(String, u64)>;
    /// This process run's identity and the time since its monotonic clock started
    /// (milliseconds). Never moved by setting the wall clock; starts again with each run.
    fn process(&self) -> (String, u64);
}

/// The clocks of the system this runs on.
pub(crate) struct SystemClock;

impl Clock for SystemClock {
    fn boot(&self) -> Option<(String, u64)> {
        boot_clock()
    }

    fn process(&self) -> (String, u64) {
        use std::sync::OnceLock;
        use std::time::Instant;
        static RUN: OnceLock<(String, Instant)> = OnceLock::new();
        let (id, start) = RUN.get_or_init(|| {
            let id: [u8; 16] = crate::secret::random_bytes().unwrap_or_default();
            let id = id.iter().map(|b| format!("{b:02x}")).collect::<String>();
            (format!("{}-{id}", std::process::id()), Instant::now())
        });
        (id.clone(), start.elapsed().as_millis() as u64)
    }
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
    clock: &'a dyn Clock,
}

impl<'a> Lockout<'a> {
    pub(crate) fn new(
        dir: &'a Path,
        keychain: Option<&'a Arc<dyn DeviceKeychain>>,
        account: String,
    ) -> Self {
        Self::with_clock(dir, keychain, account, &SystemClock)
    }

    pub(crate) fn with_clock(
        dir: &'a Path,
        keychain: Option<&'a Arc<dyn DeviceKeychain>>,
        account: String,
        clock: &'a dyn Clock,
    ) -> Self {
        Self {
            dir,
            keychain,
            account,
            clock,
        }
    }

    /// Seconds still to wait before `what` may be tried again. Without a boot clock this is
    /// also when the time this process has watched is taken off the wait, so it is saved.
    pub(crate) fn remaining(&self, what: &str) -> Option<u64> {
        let (mut counts, secret) = self.load();
        let mut longest = None;
        let mut observed = false;
        for c in counts
            .counters
            .get_mut(what)
            .into_iter()
            .chain(counts.damaged.as_mut())
        {
            let (left, changed) = c.remaining(self.clock);
            observed |= changed;
            if let Some(s) = left {
                longest = Some(longest.unwrap_or(0).max(s));
            }
        }
        if observed {
            self.save(&counts, secret);
        }
        longest
    }

    pub(crate) fn record_failure(&self, what: &str) {
        let (mut counts, secret) = self.load();
        let c = counts
            .counters
            .entry(what.to_string())
            .or_insert_with(|| Counter::new(0, self.clock));
        *c = Counter::new(c.failures.saturating_add(1), self.clock);
        self.save(&counts, secret);
    }

    pub(crate) fn clear(&self, what: &str) {
        let (mut counts, secret) = self.load();
        let damaged_over = counts
            .damaged
            .as_mut()
            .is_some_and(|d| d.remaining(self.clock).0.is_none());
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
                return (damaged(self.clock), None);
            }
            let counts = if bytes.len() == SECRET_LEN {
                Counts::default()
            } else {
                serde_json::from_slice(&bytes[SECRET_LEN..]).unwrap_or_else(|_| damaged(self.clock))
            };
            let secret = Sensitive::new(bytes[..SECRET_LEN].to_vec());
            return (counts, Some(secret));
        }
        let counts = match std::fs::read(self.dir.join(FILE_NAME)) {
            Err(_) => Counts::default(),
            Ok(b) => serde_json::from_slice(&b).unwrap_or_else(|_| damaged(self.clock)),
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

fn damaged(clock: &dyn Clock) -> Counts {
    Counts {
        counters: BTreeMap::new(),
        damaged: Some(Counter::new(FREE_ATTEMPTS + 5, clock)),
    }
}

impl Counter {
    /// `failures` wrong secrets, the last one now.
    fn new(failures: u32, clock: &dyn Clock) -> Self {
        let mut c = Counter {
            failures,
            boot: String::new(),
            at_ms: 0,
            owed_ms: None,
            observer: None,
            observed_ms: 0,
        };
        match clock.boot() {
            Some((boot, at_ms)) => {
                c.boot = boot;
                c.at_ms = at_ms;
            }
            None => {
                let (run, now_ms) = clock.process();
                c.owed_ms = Some(c.wait_seconds().unwrap_or(0) * 1000);
                c.observer = Some(run);
                c.observed_ms = now_ms;
            }
        }
        c
    }

    fn wait_seconds(&self) -> Option<u64> {
        if self.failures < FREE_ATTEMPTS {
            return None;
        }
        let extra = (self.failures - FREE_ATTEMPTS).min(5);
        Some((30u64 << extra).min(LONGEST_WAIT_SECONDS))
    }

    /// Seconds still to wait, and whether this look changed the counter (time a process watched
    /// taken off the owed wait: to be saved).
    fn remaining(&mut self, clock: &dyn Clock) -> (Option<u64>, bool) {
        let Some(wait_s) = self.wait_seconds() else {
            return (None, false);
        };
        let wait_ms = wait_s * 1000;
        if self.owed_ms.is_none()
            && let Some((boot, now_ms)) = clock.boot()
        {
            // Same boot: the boot clock never goes back. Another boot: the time since it started
            // is the most that can have passed since the failure.
            let elapsed_ms = if boot == self.boot {
                now_ms.saturating_sub(self.at_ms)
            } else {
                now_ms
            };
            return (
                (elapsed_ms < wait_ms).then(|| (wait_ms - elapsed_ms).div_ceil(1000)),
                false,
            );
        }
        // No boot clock (or a counter written where there was none): only time this process run
        // has watched counts. Another run (a restart) knows nothing of the time between, so it
        // takes nothing off; a counter from a boot clock owes its whole wait.
        let (run, now_ms) = clock.process();
        let owed = self.owed_ms.unwrap_or(wait_ms).min(wait_ms);
        let watched = if self.observer.as_deref() == Some(run.as_str()) {
            now_ms.saturating_sub(self.observed_ms)
        } else {
            0
        };
        let owed = owed.saturating_sub(watched);
        self.owed_ms = Some(owed);
        self.observer = Some(run);
        self.observed_ms = now_ms;
        ((owed > 0).then(|| owed.div_ceil(1000)), true)
    }
}

/// This boot's identity and the time since it started, in milliseconds (sleep included).
#[cfg(target_os = "linux")]
fn boot_clock() -> Option<(String, u64)> {
    let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    // /proc/uptime is CLOCK_BOOTTIME: unaffected by setting the clock, and it counts sleep.
    let ms = std::fs::read_to_string("/proc/uptime")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .and_then(|s| s.parse::<f64>().ok())
        .map(|s| (s * 1000.0) as u64)?;
    (!boot.is_empty()).then_some((boot, ms))
}

/// Elsewhere no boot clock is known: waits count on the process clock (see [`Clock`]).
#[cfg(not(target_os = "linux"))]
fn boot_clock() -> Option<(String, u64)> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A clock the test sets: a boot clock (`boot: Some`) or, as on systems without one, only
    /// a process run's monotonic clock.
    struct TestClock {
        boot: Option<(String, u64)>,
        run: String,
        process_ms: u64,
    }

    impl Clock for TestClock {
        fn boot(&self) -> Option<(String, u64)> {
            self.boot.clone()
        }
        fn process(&self) -> (String, u64) {
            (self.run.clone(), self.process_ms)
        }
    }

    fn boot(boot: &str, ms: u64) -> TestClock {
        TestClock {
            boot: Some((boot.into(), ms)),
            run: "run".into(),
            process_ms: 0,
        }
    }

    /// No boot clock: process run `run`, `ms` into its monotonic clock.
    fn process(run: &str, ms: u64) -> TestClock {
        TestClock {
            boot: None,
            run: run.into(),
            process_ms: ms,
        }
    }

    #[test]
    fn five_failures_are_free_then_the_wait_doubles_from_30_seconds_to_15_minutes() {
        let now = boot("boot-a", 1_000_000);
        for (failures, wait) in [(4, None), (5, Some(30)), (6, Some(60)), (50, Some(900))] {
            assert_eq!(Counter::new(failures, &now).remaining(&now).0, wait);
            let now = process("run-1", 5_000);
            assert_eq!(Counter::new(failures, &now).remaining(&now).0, wait);
        }
    }

    #[test]
    fn within_one_boot_only_time_on_the_boot_clock_counts() {
        let mut c = Counter::new(5, &boot("boot-a", 1_000_000));
        assert_eq!(c.remaining(&boot("boot-a", 1_010_000)).0, Some(20));
        assert_eq!(c.remaining(&boot("boot-a", 1_030_000)).0, None);
    }

    #[test]
    fn a_restart_never_ends_a_wait_early() {
        // A failure late in a long boot; ten seconds after a restart only ten seconds count,
        // whatever the wall clock says.
        let mut c = Counter::new(10, &boot("boot-a", 90_000_000));
        assert_eq!(c.remaining(&boot("boot-b", 10_000)).0, Some(890));
    }

    #[test]
    fn without_a_boot_clock_only_time_a_running_process_watched_counts() {
        // Five wrong PINs 1 s into the app's run: 30 s owed.
        let mut c = Counter::new(5, &process("run-1", 1_000));
        // The same run watches 10 s go by.
        assert_eq!(c.remaining(&process("run-1", 11_000)).0, Some(20));
        // The wall clock is moved forward a day and the app restarted: the new run saw none of
        // that day, so the 20 s still owed are still owed.
        assert_eq!(c.remaining(&process("run-2", 5)).0, Some(20));
        assert_eq!(c.remaining(&process("run-2", 10_005)).0, Some(10));
        assert_eq!(c.remaining(&process("run-2", 20_005)).0, None);
    }

    #[test]
    fn without_a_boot_clock_a_day_between_runs_never_shortens_a_wait_kept_on_disk() {
        let dir = tempfile::tempdir().unwrap();
        let first = process("run-1", 60_000);
        let lockout = Lockout::with_clock(dir.path(), None, "store".into(), &first);
        for _ in 0..6 {
            lockout.record_failure(PASSPHRASE);
        }
        assert_eq!(lockout.remaining(PASSPHRASE), Some(60));
        // A day later by the wall clock, in a new run a second old: still 60 s to wait, and the
        // staff member's own count is untouched.
        let next_day = process("run-2", 1_000);
        let lockout = Lockout::with_clock(dir.path(), None, "store".into(), &next_day);
        assert_eq!(lockout.remaining(PASSPHRASE), Some(60));
        assert_eq!(lockout.remaining(&pin_key("someone")), None);
        // That run watches 45 s: 15 s left; a good unlock after the wait clears it.
        let later = process("run-2", 46_000);
        let lockout = Lockout::with_clock(dir.path(), None, "store".into(), &later);
        assert_eq!(lockout.remaining(PASSPHRASE), Some(15));
        lockout.clear(PASSPHRASE);
        assert_eq!(lockout.remaining(PASSPHRASE), None);
    }

    #[test]
    fn a_counter_from_a_boot_clock_read_where_there_is_none_owes_its_whole_wait() {
        let mut c = Counter::new(5, &boot("boot-a", 1_000_000));
        assert_eq!(c.remaining(&process("run-1", 999_999_999)).0, Some(30));
    }

    #[test]
    fn unreadable_counts_wait_the_longest() {
        for clock in [boot("boot-a", 5_000), process("run-1", 5_000)] {
            let d = damaged(&clock);
            assert_eq!(
                d.damaged.unwrap().remaining(&clock).0,
                Some(LONGEST_WAIT_SECONDS)
            );
        }
    }
}
