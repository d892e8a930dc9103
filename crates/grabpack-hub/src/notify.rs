//! Waking a home's waiting pulls when something is pushed, on every hub instance.
//!
//! A push commits and sends `NOTIFY grabpack_hub_envelopes, '<home id>'` in its transaction, so
//! PostgreSQL delivers it only once the envelopes are visible. Each instance keeps one connection
//! that `LISTEN`s and wakes the pulls of that home waiting on this instance, whichever instance
//! took the push. A waiting pull registers before it looks (no wake-up is lost between its look
//! and its wait), and waits at most its `wait`, so a lost listener connection costs latency,
//! never data; after reconnecting every waiting pull is woken to look again.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Notify;
use tokio_postgres::AsyncMessage;
use tokio_postgres_rustls::MakeRustlsConnect;

/// The channel pushes notify on.
pub const CHANNEL: &str = "grabpack_hub_envelopes";

/// One home's wake-up and how many pulls wait on it here.
#[derive(Debug, Default)]
pub struct HomeWake {
    pub notify: Notify,
    waiting: AtomicUsize,
}

/// Counts a pull as waiting for as long as it lives.
#[derive(Debug)]
pub struct Waiting(Arc<HomeWake>);

impl Drop for Waiting {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

impl HomeWake {
    pub fn waiting(self: &Arc<Self>) -> Waiting {
        self.waiting.fetch_add(1, Ordering::SeqCst);
        Waiting(self.clone())
    }
}

/// One wake-up per home with pulls waiting on this instance.
#[derive(Debug, Default)]
pub struct Notifier {
    homes: Mutex<HashMap<String, Arc<HomeWake>>>,
}

impl Notifier {
    /// The home's wake-up, to register on before looking for envelopes.
    pub fn for_home(&self, home_id: &str) -> Arc<HomeWake> {
        let mut homes = self.homes.lock().unwrap_or_else(|p| p.into_inner());
        homes.entry(home_id.to_string()).or_default().clone()
    }

    /// Whether a pull of this home is waiting on this instance now (tests, monitoring).
    pub fn has_waiters(&self, home_id: &str) -> bool {
        let homes = self.homes.lock().unwrap_or_else(|p| p.into_inner());
        homes
            .get(home_id)
            .is_some_and(|h| h.waiting.load(Ordering::SeqCst) > 0)
    }

    /// Wake every pull of this home waiting on this instance.
    pub fn wake(&self, home_id: &str) {
        let homes = self.homes.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(h) = homes.get(home_id) {
            h.notify.notify_waiters();
        }
    }

    fn wake_all(&self) {
        let homes = self.homes.lock().unwrap_or_else(|p| p.into_inner());
        for h in homes.values() {
            h.notify.notify_waiters();
        }
    }
}

/// Listen for pushes on every instance until the task is aborted, reconnecting after a second
/// when the connection drops.
pub async fn listen(
    pg: tokio_postgres::Config,
    tls: Option<MakeRustlsConnect>,
    notifier: Arc<Notifier>,
) {
    loop {
        if let Err(e) = listen_once(&pg, &tls, &notifier).await {
            eprintln!("grabpack-hub: push notifications interrupted ({e}); reconnecting");
        }
        notifier.wake_all();
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

async fn listen_once(
    pg: &tokio_postgres::Config,
    tls: &Option<MakeRustlsConnect>,
    notifier: &Notifier,
) -> Result<(), tokio_postgres::Error> {
    match tls {
        None => {
            let (client, connection) = pg.connect(tokio_postgres::NoTls).await?;
            pump(client, connection, notifier).await
        }
        Some(tls) => {
            let (client, connection) = pg.connect(tls.clone()).await?;
            pump(client, connection, notifier).await
        }
    }
}

async fn pump<S, T>(
    client: tokio_postgres::Client,
    mut connection: tokio_postgres::Connection<S, T>,
    notifier: &Notifier,
) -> Result<(), tokio_postgres::Error>
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin + Send + 'static,
{
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<String>();
    // The connection must be polled for the LISTEN to complete and for notifications to come.
    let pump = tokio::spawn(async move {
        loop {
            match std::future::poll_fn(|cx| connection.poll_message(cx)).await {
                Some(Ok(AsyncMessage::Notification(n))) => {
                    if tx.send(n.payload().to_string()).is_err() {
                        return;
                    }
                }
                Some(Ok(_)) => {}
                Some(Err(e)) => {
                    eprintln!("grabpack-hub: notification connection: {e}");
                    return;
                }
                None => return,
            }
        }
    });
    client.batch_execute(&format!("LISTEN {CHANNEL}")).await?;
    // Anything pushed while we were (re)connecting: let waiting pulls look again.
    notifier.wake_all();
    while let Some(home) = rx.recv().await {
        notifier.wake(&home);
    }
    pump.abort();
    drop(client);
    Ok(())
}
