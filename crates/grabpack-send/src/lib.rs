//! Getting a grab pack to the people who must act: police, social worker, out-of-hours team,
//! manager.
//!
//! The layers, each in its own module: [`directory`] (which police unit covers where, editable per
//! home), [`checklist`] (the pre-report steps as data), [`practice`] (which force's practice file entry applies), [`recipients`] (who the rules propose, and
//! the sender's choice), [`compose`] (the exact bytes of each email and intake manifest, committed
//! to the store's outbox before any attempt), [`episode`] (the pack an episode sends, built one way for every front end), [`followup`] (the
//! update and the returned notice to everyone who had the pack, threaded to the first), [`transport`] (SMTP and HTTPS over rustls, TLS
//! required), [`wire`] (the intake protocol's vocabulary mapped to the form's and the store's) and
//! [`worker`] (claim, send, record; retry with backoff; recover after a crash); [`settings`]
//! checks every sending setting the same way for every front end, and [`demo`] builds the
//! fictional demo home.
//! The outbox rows themselves live in grabpack-store so they are encrypted with everything else.

pub mod checklist;
pub mod child_copy;
pub mod compose;
pub mod demo;
pub mod directory;
pub mod episode;
pub mod error;
pub mod followup;
pub mod handover;
pub mod practice;
pub mod recipients;
pub mod settings;
pub mod transport;
pub mod wire;
pub mod worker;

pub use compose::{Outgoing, PackVersion, Threaded, queue, render_versions};
pub use directory::{Directory, Unit};
pub use episode::{Purpose, display_name, pack_input, queue_episode_pack};
pub use error::{Result, SendError};
pub use followup::{FoundRecorded, queue_update, record_found};
pub use recipients::{Choice, Proposal, Recipient, Role, audience_of, choose, propose};
pub use settings::{SecretText, SendSettings, SmtpSecurity, SmtpSettings, set_home_police_unit};
pub use transport::{Outcome, Transports, check_intake_url};
pub use worker::{
    backoff, can_send_as_queued, claim_due, deliver_all, poll_acknowledgements,
    record_acknowledgements, record_outcomes, recover, send_due,
};
