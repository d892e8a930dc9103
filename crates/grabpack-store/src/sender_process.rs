//! Which process holds a delivery's claim, and whether it still runs.
//!
//! Why: more than one sender can work on one store (the app's sender thread, and `grabpack outbox
//! send` run by a manager or a script). A delivery is claimed (`sending`) before its bytes go out;
//! if the claimer dies, the claim must go back to the queue at once, but a claim held by a
//! sender that is still running must never be taken from it, or the police get the same pack
//! twice. So each claim names its process by pid *and* the process's start time (a pid alone is
//! reused): "still running" is then a fact this device can check, not a guess from the clock.
//! Where the start time cannot be read (no `/proc`), the claim names the pid and a random
//! nonce, liveness is unknown, and only the lease (`worker::LEASE_MS`) frees it.

use std::sync::OnceLock;

/// This process, as written in `outbox_deliveries.claimed_by`.
pub fn current() -> &'static str {
    static CURRENT: OnceLock<String> = OnceLock::new();
    CURRENT.get_or_init(|| {
        let pid = std::process::id();
        match start_time(pid) {
            Some(start) => format!("{pid}:{start}"),
            None => format!("{pid}:?{}", uuid::Uuid::new_v4().simple()),
        }
    })
}

/// Whether the process that wrote `claimant` still runs: `Some(false)` only when this device can
/// tell it has ended, `None` when it cannot tell (then only the lease frees the claim).
pub fn is_running(claimant: &str) -> Option<bool> {
    if claimant == current() {
        return Some(true);
    }
    let (pid, start) = claimant.split_once(':')?;
    let pid: u32 = pid.parse().ok()?;
    let start: u64 = start.parse().ok()?;
    if !std::path::Path::new("/proc/self/stat").exists() {
        return None;
    }
    Some(start_time(pid) == Some(start))
}

/// The process's start time in clock ticks since boot (`/proc/PID/stat`, field 22), where the
/// platform has it.
fn start_time(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may itself hold spaces or ')'.
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(19)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_running_and_a_claim_by_an_ended_process_is_not() {
        assert_eq!(is_running(current()), Some(true));
        // A child that has exited: its pid and start time name a process that no longer runs.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        let start = start_time(pid);
        child.wait().unwrap();
        if let Some(start) = start {
            assert_eq!(is_running(&format!("{pid}:{start}")), Some(false));
        }
        // The same pid with another start time is another process (pid reuse).
        let me = std::process::id();
        assert_eq!(is_running(&format!("{me}:1")), Some(false));
        // A claim whose start time could not be read cannot be judged.
        assert_eq!(is_running(&format!("{me}:?abc")), None);
    }
}
