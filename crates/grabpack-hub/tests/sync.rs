//! The hub with real parts: a throwaway PostgreSQL, the hub on loopback HTTPS (one or two
//! instances), devices that enrol, pair, push, pull and revoke through the real client.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::{Options, TestHub};
use grabpack_sync::Record;

/// A fictional child's record with something no hub may ever read.
fn marked_record(marker: &str) -> Record {
    Record {
        kind: "revision".into(),
        record_id: uuid::Uuid::new_v4().to_string(),
        body: format!("{{\"name\":\"{marker}\",\"notes\":\"fictional test child\"}}").into_bytes(),
    }
}

async fn pull_all(
    hub: &TestHub,
    instance: usize,
    d: &common::Device,
) -> Vec<grabpack_sync::Opened> {
    let page = hub
        .client(instance)
        .pull(&d.identity, 0, 1000, 0)
        .await
        .unwrap();
    page.envelopes
        .iter()
        .map(|e| d.keys.open(e).unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn three_devices_pair_and_each_reads_what_another_pushed_while_the_hub_reads_nothing() {
    let hub = TestHub::start().await;
    let a = hub.new_home("Fictional provider home 1").await;
    let b = hub.pair(&a, 0).await;
    // Any paired device may approve the next one.
    let c = hub.pair(&b, 0).await;
    let marker = "Zanzibar-Quillfeather-7731";
    let photo_marker = b"PHOTO-BYTES-Quillfeather-JFIF".to_vec();
    let record = marked_record(marker);
    let photo = Record {
        kind: "photo".into(),
        record_id: uuid::Uuid::new_v4().to_string(),
        body: photo_marker.clone(),
    };
    let client = hub.client(0);
    let pushed = client
        .push(
            &a.identity,
            vec![
                a.keys.seal(&a.identity.device_id, &record).unwrap(),
                a.keys.seal(&a.identity.device_id, &photo).unwrap(),
            ],
        )
        .await
        .unwrap();
    assert!(pushed.results.iter().all(|r| r.stored));

    for reader in [&b, &c] {
        let opened = pull_all(&hub, 0, reader).await;
        let records: Vec<&Record> = opened.iter().map(|o| &o.record).collect();
        assert_eq!(records, vec![&record, &photo]);
        assert!(opened.iter().all(|o| o.device_id == a.identity.device_id));
    }

    // The hub's tables, as text and on disk: no marker, no record kind, in any form.
    let rows = hub.all_rows_as_text().await;
    for needle in [
        marker.to_string(),
        hex::encode(marker),
        hex::encode(&photo_marker),
        "revision".to_string(),
        hex::encode("revision"),
    ] {
        assert!(!rows.contains(&needle), "the hub's tables hold {needle:?}");
    }
    assert!(
        rows.contains(&a.identity.device_id),
        "the scan reads the tables"
    );
    hub.pool()
        .get()
        .await
        .unwrap()
        .batch_execute("CHECKPOINT")
        .await
        .unwrap();
    let mut scanned = 0;
    for file in hub.pg.data_files() {
        let Ok(bytes) = std::fs::read(&file) else {
            continue;
        };
        scanned += bytes.len();
        for needle in [marker.as_bytes(), photo_marker.as_slice()] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{} holds a marker",
                file.display()
            );
        }
    }
    assert!(scanned > 1_000_000, "the cluster's files were read");
    hub.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_revoked_device_cannot_read_anything_pushed_after_its_revocation() {
    let hub = TestHub::start().await;
    let mut a = hub.new_home("Fictional provider home 2").await;
    let mut b = hub.pair(&a, 0).await;
    let c = hub.pair(&a, 0).await;
    let client = hub.client(0);
    let before = marked_record("Before-Revocation-Fictional");
    client
        .push(
            &a.identity,
            vec![a.keys.seal(&a.identity.device_id, &before).unwrap()],
        )
        .await
        .unwrap();

    // The agency laptop C is returned: A revokes it, rotating the home key.
    client
        .revoke(&a.identity, &mut a.keys, &c.identity.device_id)
        .await
        .unwrap();
    assert_eq!(a.keys.current, 2);

    // B, not yet aware of the rotation, is told to fetch the new key before pushing.
    let stale = b
        .keys
        .seal(&b.identity.device_id, &marked_record("Stale"))
        .unwrap();
    let err = client.push(&b.identity, vec![stale]).await.unwrap_err();
    assert_eq!(err.hub_code(), Some("hub.stale_epoch"));
    b.keys = client.home_keys(&b.identity).await.unwrap();
    assert_eq!(b.keys.current, 2);

    let after = marked_record("After-Revocation-Fictional");
    client
        .push(
            &a.identity,
            vec![a.keys.seal(&a.identity.device_id, &after).unwrap()],
        )
        .await
        .unwrap();

    // C is refused everything at the hub...
    for err in [
        client.pull(&c.identity, 0, 100, 0).await.unwrap_err(),
        client.key_list(&c.identity).await.unwrap_err(),
        client
            .push(
                &c.identity,
                vec![c.keys.seal(&c.identity.device_id, &before).unwrap()],
            )
            .await
            .unwrap_err(),
    ] {
        assert_eq!(err.hub_code(), Some("hub.device_revoked"));
    }
    // ...and even given the new envelope (copied off the hub), it holds no key to open it.
    let page = client.pull(&b.identity, 0, 100, 0).await.unwrap();
    assert_eq!(page.envelopes.len(), 2);
    let new_envelope = &page.envelopes[1];
    assert_eq!(new_envelope.epoch, 2);
    assert_eq!(
        c.keys.open(new_envelope).unwrap_err().code(),
        "sync.unknown_epoch"
    );
    let no_new_key_for_c = hub
        .count(&format!(
            "SELECT count(*) FROM wrapped_keys WHERE device_id = '{}' AND epoch = 2",
            c.identity.device_id
        ))
        .await;
    assert_eq!(no_new_key_for_c, 0);
    // C's old key opened the old record; the remaining devices read both.
    assert_eq!(c.keys.open(&page.envelopes[0]).unwrap().record, before);
    let both: Vec<Record> = page
        .envelopes
        .iter()
        .map(|e| b.keys.open(e).unwrap().record)
        .collect();
    assert_eq!(both, vec![before, after]);
    hub.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_push_sent_again_stores_nothing_new_and_a_changed_one_is_refused() {
    let hub = TestHub::start().await;
    let a = hub.new_home("Fictional provider home 3").await;
    let client = hub.client(0);
    let envelopes: Vec<_> = (0..3)
        .map(|i| {
            a.keys
                .seal(&a.identity.device_id, &marked_record(&format!("r{i}")))
                .unwrap()
        })
        .collect();
    let first = client.push(&a.identity, envelopes.clone()).await.unwrap();
    assert!(first.results.iter().all(|r| r.stored));
    let again = client.push(&a.identity, envelopes.clone()).await.unwrap();
    assert!(again.results.iter().all(|r| !r.stored));
    let seqs = |r: &grabpack_sync_protocol::PushResponse| {
        r.results.iter().map(|x| x.seq).collect::<Vec<_>>()
    };
    assert_eq!(seqs(&first), seqs(&again));
    assert_eq!(hub.count("SELECT count(*) FROM envelopes").await, 3);

    let changed = a
        .keys
        .seal_as(
            &envelopes[0].id,
            &a.identity.device_id,
            &marked_record("other"),
        )
        .unwrap();
    let err = client.push(&a.identity, vec![changed]).await.unwrap_err();
    assert_eq!(err.hub_code(), Some("hub.envelope_conflict"));
    assert_eq!(hub.count("SELECT count(*) FROM envelopes").await, 3);
    hub.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_waiting_pull_on_one_instance_is_woken_by_a_push_to_another() {
    let hub = TestHub::start_with(Options {
        instances: 2,
        ..Options::default()
    })
    .await;
    let a = hub.new_home("Fictional provider home 4").await;
    let b = hub.pair(&a, 0).await;
    let home_id = a.keys.home_id.clone();
    let puller = hub.client(1);
    let b_identity = b.identity.clone();
    // B waits on instance 1 for up to 600 s (the hub allows it): only a wake-up ends it sooner.
    let waiting = tokio::spawn(async move { puller.pull(&b_identity, 0, 100, 600).await });
    let notifier = hub.instances[1].state.notifier.clone();
    while !notifier.has_waiters(&home_id) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let record = marked_record("Woken-Fictional");
    let pushed_at = Instant::now();
    hub.client(0)
        .push(
            &a.identity,
            vec![a.keys.seal(&a.identity.device_id, &record).unwrap()],
        )
        .await
        .unwrap();
    // A guard against a hang, not a timing assertion: without the wake this waits 600 s.
    let page = tokio::time::timeout(Duration::from_secs(120), waiting)
        .await
        .expect("the waiting pull was woken")
        .unwrap()
        .unwrap();
    eprintln!(
        "push on instance 0 to B's answer on instance 1: {:?}",
        pushed_at.elapsed()
    );
    assert_eq!(page.envelopes.len(), 1);
    assert_eq!(b.keys.open(&page.envelopes[0]).unwrap().record, record);
    hub.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_under_concurrent_pushes_store_every_envelope_once() {
    let hub = TestHub::start_with(Options {
        instances: 2,
        ..Options::default()
    })
    .await;
    let a = hub.new_home("Fictional provider home 5").await;
    let b = hub.pair(&a, 0).await;
    let c = hub.pair(&a, 1).await;
    let devices = [&a, &b, &c];
    let mut sent: Vec<(String, Record)> = Vec::new();
    let mut tasks = Vec::new();
    for d in devices {
        for batch in 0..10 {
            let envelopes: Vec<_> = (0..3)
                .map(|i| {
                    let r = marked_record(&format!("{}-{batch}-{i}", d.identity.device_id));
                    let e = d.keys.seal(&d.identity.device_id, &r).unwrap();
                    sent.push((e.id.clone(), r));
                    e
                })
                .collect();
            // Every batch goes to both instances at once, as a retry after a lost answer would.
            for instance in 0..2 {
                let client = hub.client(instance);
                let identity = d.identity.clone();
                let envelopes = envelopes.clone();
                tasks.push(tokio::spawn(async move {
                    client.push(&identity, envelopes).await
                }));
            }
        }
    }
    let mut stored = 0;
    for t in tasks {
        stored += t
            .await
            .unwrap()
            .unwrap()
            .results
            .iter()
            .filter(|r| r.stored)
            .count();
    }
    assert_eq!(
        stored, 90,
        "each envelope stored by exactly one of its two pushes"
    );
    assert_eq!(hub.count("SELECT count(*) FROM envelopes").await, 90);
    assert_eq!(
        hub.count("SELECT count(DISTINCT seq) FROM envelopes").await,
        90
    );
    assert_eq!(hub.count("SELECT max(seq) FROM envelopes").await, 90);
    // Every device reads all 90 from either instance, in one order.
    for (i, d) in devices.iter().enumerate() {
        let opened = pull_all(&hub, i % 2, d).await;
        assert_eq!(opened.len(), 90);
        let mut got: Vec<(String, Record)> = opened
            .into_iter()
            .map(|o| (o.envelope_id, o.record))
            .collect();
        got.sort_by(|x, y| x.0.cmp(&y.0));
        let mut want = sent.clone();
        want.sort_by(|x, y| x.0.cmp(&y.0));
        assert_eq!(got, want);
    }
    hub.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_delivery_lease_has_one_holder_at_a_time() {
    let hub = TestHub::start_with(Options {
        instances: 2,
        ..Options::default()
    })
    .await;
    let a = hub.new_home("Fictional provider home 6").await;
    let b = hub.pair(&a, 0).await;
    let c = hub.pair(&a, 0).await;
    let devices = [&a, &b, &c];
    let mut tasks = Vec::new();
    for round in 0..4 {
        for (i, d) in devices.iter().enumerate() {
            let client = hub.client((i + round) % 2);
            let identity = d.identity.clone();
            tasks.push(tokio::spawn(async move {
                (
                    identity.device_id.clone(),
                    client.acquire_lease(&identity, "delivery-42", 60).await,
                )
            }));
        }
    }
    let mut holders = std::collections::BTreeSet::new();
    let mut refusals = 0;
    for t in tasks {
        let (who, result) = t.await.unwrap();
        match result {
            Ok(lease) => {
                assert_eq!(lease.holder, who);
                assert_eq!(lease.term, 1, "its first holder's renewals keep term 1");
                holders.insert(who);
            }
            Err(e) => {
                assert_eq!(e.hub_code(), Some("hub.lease_held"));
                refusals += 1;
            }
        }
    }
    assert_eq!(holders.len(), 1, "one device holds the delivery");
    assert!(refusals >= 8, "every other device was refused");
    let holder = holders.into_iter().next().unwrap();
    let (owner, others): (Vec<&common::Device>, Vec<&common::Device>) = devices
        .iter()
        .copied()
        .partition(|d| d.identity.device_id == holder);
    let owner = owner[0];
    let client = hub.client(0);
    // Its holder renews; another device can neither release nor take it.
    client
        .acquire_lease(&owner.identity, "delivery-42", 60)
        .await
        .unwrap();
    let err = client
        .release_lease(&others[0].identity, "delivery-42")
        .await
        .unwrap_err();
    assert_eq!(err.hub_code(), Some("hub.lease_not_held"));
    // The holder goes offline: its lease runs out (moved to the past here), another takes over.
    hub.expire_leases().await;
    let taken = client
        .acquire_lease(&others[0].identity, "delivery-42", 60)
        .await
        .unwrap();
    assert_eq!(taken.holder, others[0].identity.device_id);
    assert_eq!(taken.term, 2, "passing to another device raises the term");
    let renewed = client
        .acquire_lease(&others[0].identity, "delivery-42", 60)
        .await
        .unwrap();
    assert_eq!(renewed.term, 2, "a renewal keeps the term");
    let err = client
        .acquire_lease(&owner.identity, "delivery-42", 60)
        .await
        .unwrap_err();
    assert_eq!(err.hub_code(), Some("hub.lease_held"));
    // Released by its new holder, it is free again.
    client
        .release_lease(&others[0].identity, "delivery-42")
        .await
        .unwrap();
    let after_release = client
        .acquire_lease(&others[1].identity, "delivery-42", 60)
        .await
        .unwrap();
    assert_eq!(
        after_release.term, 3,
        "a released lease keeps its term: the next holder's outranks every earlier one"
    );
    assert_eq!(hub.count("SELECT count(*) FROM leases").await, 1);
    hub.stop().await;
}
