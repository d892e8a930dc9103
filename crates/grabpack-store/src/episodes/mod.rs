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

/// The independent return-home interview must be carried out within this time of the child's
/// return to the placement (DfE 2014). The strategy-meeting threshold is a local rule: a home
/// setting (`HomeSettings::strategy_meeting`).
pub const RETURN_HOME_INTERVIEW_WITHIN: SignedDuration = SignedDuration::from_hours(72);

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
                    ..Default::default()
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

    fn found_at(store: &mut Store, ep: &crate::EpisodeId, at: &str, back: Option<&str>) {
        store
            .record_found(
                ep,
                t(at),
                &Found {
                    found_where: "A park (fictional)".into(),
                    returned_to_placement_at: back.map(t),
                    ..Default::default()
                },
            )
            .unwrap();
    }

    fn rhi(store: &mut Store, ep: &crate::EpisodeId, at: &str, outcome: Option<RhiOutcome>) {
        store
            .record_return_home_interview(
                ep,
                t(at),
                &ReturnHomeInterview {
                    by: "Sam Worker (fictional)".into(),
                    organisation: "An advocacy service (fictional)".into(),
                    outcome,
                    same_worker_as_last_time: Some(true),
                    report_received: Some(false),
                    ..Default::default()
                },
            )
            .unwrap();
    }

    #[test]
    fn a_return_home_interview_only_offered_does_not_meet_the_72_hours() {
        let (_d, mut store, child) = home();
        let ep = open(&mut store, &child, "2026-11-01T21:00:00Z");
        found_at(&mut store, &ep, "2026-11-02T09:30:00Z", None);
        rhi(
            &mut store,
            &ep,
            "2026-11-03T10:00:00Z",
            Some(RhiOutcome::Offered),
        );
        let d = store
            .episode(&ep)
            .unwrap()
            .return_home_interview_deadline
            .unwrap();
        assert!(d.offered);
        assert!(!d.carried_out && !d.met, "an offer is not an interview");
        assert!(d.overdue, "long past the deadline with no interview");
    }

    #[test]
    fn a_return_home_interview_carried_out_within_72_hours_of_the_return_to_the_placement_is_met() {
        let (_d, mut store, child) = home();
        let ep = open(&mut store, &child, "2026-11-01T21:00:00Z");
        // Found on the 2nd, back at the placement only on the 3rd: the clock runs from the 3rd.
        found_at(
            &mut store,
            &ep,
            "2026-11-02T09:30:00Z",
            Some("2026-11-03T12:00:00Z"),
        );
        rhi(
            &mut store,
            &ep,
            "2026-11-06T11:00:00Z",
            Some(RhiOutcome::CarriedOut),
        );
        let e = store.episode(&ep).unwrap();
        let d = e.return_home_interview_deadline.unwrap();
        assert_eq!(d.due_by, t("2026-11-06T12:00:00Z"));
        assert!(d.carried_out && d.met && !d.overdue);
        let r = &e.return_home_interview.unwrap().value;
        assert_eq!(r.organisation, "An advocacy service (fictional)");
        assert_eq!(r.same_worker_as_last_time, Some(true));
        assert_eq!(r.report_received, Some(false));
    }

    #[test]
    fn a_return_home_interview_carried_out_after_72_hours_is_not_met() {
        let (_d, mut store, child) = home();
        let ep = open(&mut store, &child, "2026-11-01T21:00:00Z");
        found_at(&mut store, &ep, "2026-11-02T09:30:00Z", None);
        rhi(
            &mut store,
            &ep,
            "2026-11-05T09:31:00Z",
            Some(RhiOutcome::CarriedOut),
        );
        let d = store
            .episode(&ep)
            .unwrap()
            .return_home_interview_deadline
            .unwrap();
        assert!(d.carried_out && !d.met);
    }

    #[test]
    fn a_refused_return_home_interview_is_recorded_as_a_refusal_never_as_met() {
        let (_d, mut store, child) = home();
        let ep = open(&mut store, &child, "2026-11-01T21:00:00Z");
        found_at(&mut store, &ep, "2026-11-02T09:30:00Z", None);
        rhi(
            &mut store,
            &ep,
            "2026-11-03T10:00:00Z",
            Some(RhiOutcome::Refused),
        );
        let d = store
            .episode(&ep)
            .unwrap()
            .return_home_interview_deadline
            .unwrap();
        assert!(d.refused && !d.met && !d.carried_out && !d.overdue);
    }

    #[test]
    fn an_episode_changes_type_and_every_change_is_kept() {
        let (_d, mut store, child) = home();
        let ep = open(&mut store, &child, "2026-11-01T21:00:00Z");
        assert_eq!(
            store.episode(&ep).unwrap().episode_type,
            EpisodeType::Missing
        );
        store
            .record_episode_type(
                &ep,
                t("2026-11-01T23:00:00Z"),
                &EpisodeTypeChange {
                    episode_type: EpisodeType::AwayWithoutAuthorisation,
                    reason: "at a friend's address, refuses to come back tonight".into(),
                },
            )
            .unwrap();
        let e = store.episode(&ep).unwrap();
        assert_eq!(e.episode_type, EpisodeType::AwayWithoutAuthorisation);
        store
            .record_episode_type(
                &ep,
                t("2026-11-02T08:00:00Z"),
                &EpisodeTypeChange {
                    episode_type: EpisodeType::Missing,
                    reason: "left the friend's address; whereabouts unknown".into(),
                },
            )
            .unwrap();
        let e = store.episode(&ep).unwrap();
        assert_eq!(e.episode_type, EpisodeType::Missing);
        assert_eq!(e.type_changes.len(), 2, "both changes on the record");
        assert_eq!(
            store
                .audit_list(Some(&child), Some("episode_episode_type"), 5)
                .unwrap()
                .len(),
            2
        );
    }

    #[test]
    fn the_strategy_meeting_threshold_is_the_homes_setting() {
        let (_d, mut store, child) = home();
        store
            .set_strategy_meeting_rule(crate::StrategyMeetingRule {
                episodes: 2,
                within_days: 7,
            })
            .unwrap();
        let strategy = |store: &Store| {
            store
                .child_flags(&child)
                .unwrap()
                .iter()
                .filter(|f| f.kind == FlagKind::StrategyMeeting)
                .count()
        };
        for (i, day) in ["2026-11-01", "2026-11-05"].iter().enumerate() {
            let ep = open(&mut store, &child, &format!("{day}T21:00:00Z"));
            store
                .close_episode(&ep, t(&format!("{day}T23:00:00Z")), &Closure::default())
                .unwrap();
            assert_eq!(strategy(&store), i, "after episode {}", i + 1);
        }
        let flag = store
            .child_flags(&child)
            .unwrap()
            .into_iter()
            .find(|f| f.kind == FlagKind::StrategyMeeting)
            .unwrap();
        assert_eq!(flag.detail["episodes"], 2);
        assert_eq!(flag.detail["within_days"], 7);
    }

    #[test]
    fn a_strategy_meeting_rule_of_one_episode_is_refused() {
        let (_d, mut store, _child) = home();
        let err = store
            .set_strategy_meeting_rule(crate::StrategyMeetingRule {
                episodes: 1,
                within_days: 30,
            })
            .unwrap_err();
        assert_eq!(err.code(), "store.bad_strategy_rule");
        assert_eq!(store.settings().unwrap().strategy_meeting.episodes, 3);
    }

    #[test]
    fn a_strategy_meeting_is_recorded_after_the_episode_closed() {
        let (_d, mut store, child) = home();
        let ep = open(&mut store, &child, "2026-11-01T21:00:00Z");
        store
            .close_episode(&ep, t("2026-11-02T09:00:00Z"), &Closure::default())
            .unwrap();
        store
            .record_strategy_meeting(
                &ep,
                t("2026-11-09T14:00:00Z"),
                &StrategyMeeting {
                    attended: vec![
                        "Social worker (fictional)".into(),
                        "DS Test (fictional)".into(),
                    ],
                    police_attended: Some(true),
                    decisions: "Safety plan reviewed (fictional)".into(),
                },
            )
            .unwrap();
        let e = store.episode(&ep).unwrap();
        assert_eq!(e.strategy_meetings.len(), 1);
        assert_eq!(e.strategy_meetings[0].value.police_attended, Some(true));
        assert_eq!(e.strategy_meetings[0].at, t("2026-11-09T14:00:00Z"));
    }

    #[test]
    fn an_old_no_apparent_risk_grading_and_an_old_interview_read_back_as_recorded() {
        let (_d, mut store, child) = home();
        let ep = open(&mut store, &child, "2026-11-01T21:00:00Z");
        // Bodies as an earlier build wrote them: no police words, no outcome.
        let conn = store.connection_for_tests();
        for (kind, key, body) in [
            (
                "report",
                "report:old",
                r#"{"how":"phone101","unit":"","reference":"CAD 1 (fictional)","officer_name":"","collar_number":"","risk_grading":"no_apparent_risk"}"#,
            ),
            ("found", "found", r#"{"found_where":"home (fictional)"}"#),
            (
                "return_home_interview",
                "return_home_interview",
                r#"{"by":"Advocate (fictional)","accepted":true,"note":""}"#,
            ),
        ] {
            conn.execute(
                "INSERT INTO episode_events (episode_id, kind, item_key, at, recorded_at, recorded_by, recorded_by_name, body_json)
                 VALUES (?1, ?2, ?3, '2026-11-01T22:00:00Z', '2026-11-01T22:00:00Z', 'x', 'x', ?4)",
                rusqlite::params![ep, kind, key, body],
            )
            .unwrap();
        }
        let e = store.episode(&ep).unwrap();
        assert_eq!(
            e.reports[0].value.risk_grading,
            Some(grabpack_core::RiskGrading::NoApparentRisk)
        );
        assert_eq!(e.reports[0].value.police_words, "");
        let d = e.return_home_interview_deadline.unwrap();
        assert!(d.offered && !d.carried_out, "an old entry reads as offered");
        assert_eq!(e.episode_type, EpisodeType::Missing);
    }
}
