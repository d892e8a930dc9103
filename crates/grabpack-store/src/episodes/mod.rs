//! Missing episodes: from "absence noticed" to closure, every step timestamped and attributed.
//!
//! Why events and not a row that is updated: councils, inspectors and courts ask what the home
//! knew and did, and when. Each thing recorded (a checklist step, the Part 2 answers, the report
//! to police, "police would not accept the report", an update, found, the interviews, closure, an
//! acknowledgement from an intake) is one immutable row in `episode_events`, written in the same
//! transaction as its audit entry. Correcting an entry writes a new row that supersedes the old
//! one; the original stays (triggers refuse UPDATE and DELETE). The episode a person sees is the
//! newest version of each entry.

//!
//! The module is split by what a reader comes for: `types` (what an episode is, as the shells and
//! the pack see it), `record` (every write: opening, entries, corrections, closing and the flags
//! it raises) and `read` (the episode as it stands, lists, flags, Part 1's missing history).

use crate::ids::{ChildId, EpisodeId};
mod read;
pub(crate) mod record;
mod types;

pub use types::*;

use jiff::{SignedDuration, Timestamp};
use rusqlite::{Connection, OptionalExtension};

use crate::error::{Result, StoreError};

/// The independent return-home interview must be offered within this time of the child's return.
pub const RETURN_HOME_INTERVIEW_WITHIN: SignedDuration = SignedDuration::from_hours(72);
/// Three or more episodes within this window raise a strategy-meeting flag.
pub const STRATEGY_WINDOW: SignedDuration = SignedDuration::from_hours(30 * 24);
pub const STRATEGY_THRESHOLD: i64 = 3;

/// A stored time, read back. One that does not parse is damage (`store.damaged` through
/// `StoreError::from`), never the epoch.
pub(crate) fn ts_col(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Timestamp> {
    let s: String = r.get(i)?;
    s.parse().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// A stored JSON body, read back; one that does not parse is damage.
pub(crate) fn json_col<T: serde::de::DeserializeOwned>(
    r: &rusqlite::Row<'_>,
    i: usize,
) -> rusqlite::Result<T> {
    let s: String = r.get(i)?;
    serde_json::from_str(&s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

pub(crate) fn now_string() -> String {
    Timestamp::now().to_string()
}

pub(crate) fn episode_child(conn: &Connection, episode_id: &EpisodeId) -> Result<ChildId> {
    conn.query_row(
        "SELECT child_id FROM episodes WHERE id = ?1",
        [episode_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| StoreError::EpisodeNotFound(episode_id.to_string()))
}

pub(crate) fn is_closed(conn: &Connection, episode_id: &EpisodeId) -> Result<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM episode_events WHERE episode_id = ?1 AND kind = 'close' LIMIT 1",
            [episode_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::{Sensitive, Setup, Store};
    use grabpack_core::ChildForm;

    fn home() -> (tempfile::TempDir, Store, crate::ChildId) {
        let dir = tempfile::tempdir().unwrap();
        let (mut store, _) = Store::create(
            dir.path(),
            Setup {
                home_name: "Maple House (fictional)".into(),
                manager_name: "Amira Test (fictional)".into(),
                manager_pin: None,
                passphrase: Some(Sensitive::from("correct horse battery staple")),
            },
            None,
        )
        .unwrap();
        let mut form = ChildForm::default();
        form.identity.legal_name = "Jordan Testchild (fictional)".into();
        form.identity.date_of_birth = Some(jiff::civil::date(2011, 3, 14));
        let child = store.create_child(&form, "").unwrap();
        (dir, store, child)
    }

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn open(store: &mut Store, child: &crate::ChildId, noticed: &str) -> crate::EpisodeId {
        store
            .open_episode(&NewEpisode {
                child_id: child.clone(),
                noticed_at: t(noticed),
                immediate_danger: false,
                missing_from_unit: None,
            })
            .unwrap()
            .id
    }

    #[test]
    fn a_closed_episode_asks_for_a_review_unless_the_form_was_reviewed_after_it() {
        use grabpack_core::ReadinessReason;
        let (_dir, mut store, child) = home();
        let tomorrow = Timestamp::now() + SignedDuration::from_hours(24);
        let day_after = tomorrow.to_zoned(jiff::tz::TimeZone::UTC).date();
        let ep = store
            .open_episode(&NewEpisode {
                child_id: child.clone(),
                noticed_at: Timestamp::now(),
                immediate_danger: false,
                missing_from_unit: None,
            })
            .unwrap();
        store
            .close_episode(&ep.id, tomorrow, &Closure::default())
            .unwrap();
        let asks = |store: &Store| {
            store
                .readiness(&child, day_after)
                .unwrap()
                .reasons
                .contains(&ReadinessReason::ReviewDueAfterEpisode)
        };
        assert!(asks(&store), "closed after the last review: review due");
        let row = store.dashboard(day_after).unwrap().remove(0);
        assert!(
            row.readiness
                .reasons
                .contains(&ReadinessReason::ReviewDueAfterEpisode)
        );

        // An episode closed before the last review asks for nothing.
        let (_dir2, mut store2, child2) = home();
        let ep = store2
            .open_episode(&NewEpisode {
                child_id: child2.clone(),
                noticed_at: t("2026-01-01T10:00:00Z"),
                immediate_danger: false,
                missing_from_unit: None,
            })
            .unwrap();
        store2
            .close_episode(&ep.id, t("2026-01-02T10:00:00Z"), &Closure::default())
            .unwrap();
        store2
            .review(&child2, "reviewed after the episode")
            .unwrap();
        let today = Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date();
        assert!(
            !store2
                .readiness(&child2, today)
                .unwrap()
                .reasons
                .contains(&ReadinessReason::ReviewDueAfterEpisode)
        );
    }

    #[test]
    fn every_step_is_timestamped_and_attributed() {
        let (_d, mut store, child) = home();
        let ep = open(&mut store, &child, "2026-11-01T21:00:00Z");
        let step = StepEntry {
            step_id: "search_home".into(),
            label: "Search the home".into(),
            outcome: "not in the home or garden".into(),
        };
        store
            .record_step(&ep, t("2026-11-01T21:05:00Z"), &step)
            .unwrap();
        let e = store.episode(&ep).unwrap();
        assert_eq!(e.steps.len(), 1);
        assert_eq!(e.steps[0].at, t("2026-11-01T21:05:00Z"));
        assert_eq!(e.steps[0].recorded_by_name, store.actor().display_name());
        assert_eq!(e.steps[0].value.outcome, "not in the home or garden");
    }

    #[test]
    fn correcting_a_step_keeps_the_original() {
        let (_d, mut store, child) = home();
        let ep = open(&mut store, &child, "2026-11-01T21:00:00Z");
        let mut step = StepEntry {
            step_id: "call_child".into(),
            label: "Call and text".into(),
            outcome: "no answer".into(),
        };
        let first = store
            .record_step(&ep, t("2026-11-01T21:10:00Z"), &step)
            .unwrap();
        step.outcome = "no answer; phone off".into();
        let second = store
            .amend_event(first, t("2026-11-01T21:10:00Z"), &step, "added detail")
            .unwrap();
        let e = store.episode(&ep).unwrap();
        assert_eq!(e.steps.len(), 1);
        assert_eq!(e.steps[0].value.outcome, "no answer; phone off");
        assert_eq!(e.history.len(), 2, "the original is kept");
        assert_eq!(e.history[0].superseded_by, Some(second));
        assert_eq!(e.history[1].supersedes, Some(first));
        let refused = store.connection_for_tests().execute(
            "UPDATE episode_events SET body_json = '{}' WHERE id = ?1",
            [first],
        );
        assert!(refused.is_err(), "history cannot be rewritten");
    }

    #[test]
    fn a_child_aged_twelve_or_under_goes_straight_to_999() {
        let (_d, mut store, child) = home();
        // Born 2011-03-14: 12 until 2024-03-14.
        let young = open(&mut store, &child, "2024-01-10T21:00:00Z");
        assert!(store.episode(&young).unwrap().call_999_now);
        store
            .close_episode(&young, t("2024-01-11T09:00:00Z"), &Closure::default())
            .unwrap();
        let older = open(&mut store, &child, "2026-11-01T21:00:00Z");
        assert!(!store.episode(&older).unwrap().call_999_now);
    }

    #[test]
    fn the_return_home_interview_is_due_72_hours_after_the_child_is_found() {
        let (_d, mut store, child) = home();
        let ep = open(&mut store, &child, "2026-11-01T21:00:00Z");
        store
            .record_found(
                &ep,
                t("2026-11-02T09:30:00Z"),
                &Found {
                    found_where: "Brixton station (fictional)".into(),
                    found_by: "PC Test (fictional)".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        let e = store.episode(&ep).unwrap();
        let deadline = e.return_home_interview_deadline.unwrap();
        assert_eq!(deadline.due_by, t("2026-11-05T09:30:00Z"));
        assert!(!deadline.offered);
        store
            .record_return_home_interview(
                &ep,
                t("2026-11-03T10:00:00Z"),
                &ReturnHomeInterview {
                    by: "Independent advocate (fictional)".into(),
                    accepted: Some(true),
                    note: String::new(),
                },
            )
            .unwrap();
        assert!(
            store
                .episode(&ep)
                .unwrap()
                .return_home_interview_deadline
                .unwrap()
                .offered
        );
    }

    #[test]
    fn police_not_accepting_the_report_is_recorded() {
        let (_d, mut store, child) = home();
        let ep = open(&mut store, &child, "2026-11-01T21:00:00Z");
        store
            .record_not_accepted(
                &ep,
                t("2026-11-01T21:40:00Z"),
                &NotAccepted {
                    reason: "probably at an address in the grab pack".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        let e = store.episode(&ep).unwrap();
        assert_eq!(
            e.not_accepted[0].value.reason,
            "probably at an address in the grab pack"
        );
        assert_eq!(
            store
                .audit_list(Some(&child), Some("episode_not_accepted"), 5)
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn closing_flags_the_form_for_review_with_new_places_and_people() {
        let (_d, mut store, child) = home();
        let ep = open(&mut store, &child, "2026-11-01T21:00:00Z");
        store
            .record_found(
                &ep,
                t("2026-11-02T09:30:00Z"),
                &Found {
                    found_where: "A flat on Test Road (fictional)".into(),
                    found_with: "Alex Adult (fictional)".into(),
                    ..Default::default()
                },
            )
            .unwrap();
        store
            .close_episode(&ep, t("2026-11-02T12:00:00Z"), &Closure::default())
            .unwrap();
        let flags = store.child_flags(&child).unwrap();
        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].kind, FlagKind::ReviewAfterEpisode);
        assert_eq!(
            flags[0].detail["suggested_places"][0],
            "A flat on Test Road (fictional)"
        );
        assert_eq!(
            flags[0].detail["suggested_people"][0],
            "Alex Adult (fictional)"
        );
        let err = store
            .record_update(
                &ep,
                Timestamp::now(),
                &EpisodeUpdate {
                    kind: UpdateKind::Information,
                    text: "late".into(),
                    from: String::new(),
                },
            )
            .unwrap_err();
        assert_eq!(err.code(), "store.episode_closed");
        assert_eq!(
            store.past_episodes(&child).unwrap()[0].duration_hours,
            Some(12)
        );
    }

    #[test]
    fn a_third_episode_in_thirty_days_raises_a_strategy_meeting_flag() {
        let (_d, mut store, child) = home();
        for (i, day) in ["2026-11-01", "2026-11-10", "2026-11-25"]
            .iter()
            .enumerate()
        {
            let ep = open(&mut store, &child, &format!("{day}T21:00:00Z"));
            store
                .close_episode(&ep, t(&format!("{day}T23:00:00Z")), &Closure::default())
                .unwrap();
            let strategy = store
                .child_flags(&child)
                .unwrap()
                .into_iter()
                .filter(|f| f.kind == FlagKind::StrategyMeeting)
                .count();
            assert_eq!(strategy, usize::from(i == 2), "after episode {}", i + 1);
        }
    }

    #[test]
    fn three_episodes_spread_over_more_than_thirty_days_raise_no_strategy_flag() {
        let (_d, mut store, child) = home();
        for day in ["2026-09-01", "2026-10-05", "2026-11-10"] {
            let ep = open(&mut store, &child, &format!("{day}T21:00:00Z"));
            store
                .close_episode(&ep, t(&format!("{day}T23:00:00Z")), &Closure::default())
                .unwrap();
        }
        assert!(
            store
                .child_flags(&child)
                .unwrap()
                .iter()
                .all(|f| f.kind != FlagKind::StrategyMeeting)
        );
    }
}
