//! The hub's API as the device calls it, and the pairing and revocation steps on top.
//!
//! Every request after enrolment or pairing is signed with the device's Ed25519 key over the
//! method, path, time, a fresh nonce and the body's hash (`grabpack_sync_protocol::signing_input`):
//! the hub keeps no password or token for a device, only its public key, and a captured request
//! cannot be sent again. HTTPS only through reqwest with rustls, trusting the system's roots and
//! any certificate the home added (a provider's own CA), like the sender's transport.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use grabpack_sync_protocol::{
    ApproveRequest, B64, DeviceList, DeviceWrappedKey, EnrolRequest, Enrolled, Envelope, ErrorBody,
    HEADER_DEVICE, HEADER_NONCE, HEADER_SIGNATURE, HEADER_TIME, HubLimits, KeyList, Lease,
    LeaseRequest, PairingList, PairingRequest, PairingStarted, PendingPairing, PullResponse,
    PushRequest, PushResponse, RevokeRequest, WrappedKeyUpload, signing_input,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::envelope::HomeKeys;
use crate::error::{Result, SyncError};
use crate::keys::{DeviceKeys, DevicePublicKeys, HomeKey, random};

/// A device as the hub knows it: the id the hub gave it and its keys.
#[derive(Debug, Clone)]
pub struct DeviceIdentity {
    pub device_id: String,
    pub keys: DeviceKeys,
}

/// The headers that sign one request (name, value), made at `time` (seconds since the epoch).
pub fn sign_request(
    identity: &DeviceIdentity,
    method: &str,
    path_and_query: &str,
    body: &[u8],
    time: i64,
) -> Result<Vec<(&'static str, String)>> {
    let nonce = hex::encode(random::<16>()?);
    let input = signing_input(
        method,
        path_and_query,
        &identity.device_id,
        time,
        &nonce,
        body,
    );
    let signature = STANDARD.encode(identity.keys.sign(&input));
    Ok(vec![
        (HEADER_DEVICE, identity.device_id.clone()),
        (HEADER_TIME, time.to_string()),
        (HEADER_NONCE, nonce),
        (HEADER_SIGNATURE, signature),
    ])
}

/// Seconds since the Unix epoch on this device's clock.
pub fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// What asking for a delivery's lease came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LeaseAnswer {
    /// This device holds it (taken, or renewed).
    Ours(Lease),
    /// Another device holds it, until its `expires_at`.
    Theirs(Lease),
}

/// A client of one hub.
#[derive(Debug, Clone)]
pub struct HubClient {
    http: reqwest::Client,
    base: String,
}

impl HubClient {
    /// `base` is the hub's address (`https://hub.example.org:8743`); `extra_ca_pems` are
    /// certificate authorities to trust beside the system's (PEM).
    pub fn new(base: &str, extra_ca_pems: &[String]) -> Result<Self> {
        let mut certs = Vec::new();
        for pem in extra_ca_pems {
            for one in certificates_in(pem)? {
                certs.push(
                    reqwest::Certificate::from_pem(one.as_bytes())
                        .map_err(|e| SyncError::Malformed(format!("the certificate: {e}")))?,
                );
            }
        }
        let http = reqwest::Client::builder()
            .https_only(true)
            .tls_certs_merge(certs)
            .connect_timeout(Duration::from_secs(15))
            .build()
            .map_err(|e| SyncError::Malformed(format!("the hub's certificate: {e}")))?;
        Ok(Self {
            http,
            base: base.trim_end_matches('/').to_string(),
        })
    }

    async fn answer<T: DeserializeOwned>(response: reqwest::Response) -> Result<T> {
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|e| SyncError::Network(e.to_string()))?;
        if status.is_success() {
            return serde_json::from_slice(&bytes)
                .map_err(|e| SyncError::Malformed(format!("the hub's answer: {e}")));
        }
        Err(Self::refusal(status.as_u16(), &bytes))
    }

    fn refusal(status: u16, bytes: &[u8]) -> SyncError {
        let body: ErrorBody = serde_json::from_slice(bytes).unwrap_or(ErrorBody {
            code: "hub.unknown".into(),
            message: String::from_utf8_lossy(bytes).into_owned(),
        });
        SyncError::Refused {
            status,
            code: body.code,
            message: body.message,
        }
    }

    async fn unsigned<B: Serialize, T: DeserializeOwned>(&self, path: &str, body: &B) -> Result<T> {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .json(body)
            .send()
            .await
            .map_err(|e| SyncError::Network(e.to_string()))?;
        Self::answer(response).await
    }

    /// Send a signed request with these exact body bytes (tests use it to send what a real
    /// client never would).
    pub async fn signed_raw(
        &self,
        identity: &DeviceIdentity,
        method: reqwest::Method,
        path_and_query: &str,
        body: Vec<u8>,
        timeout: Option<Duration>,
    ) -> Result<reqwest::Response> {
        let headers = sign_request(identity, method.as_str(), path_and_query, &body, now_secs())?;
        let mut request = self
            .http
            .request(method, format!("{}{path_and_query}", self.base))
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body);
        for (name, value) in headers {
            request = request.header(name, value);
        }
        if let Some(t) = timeout {
            request = request.timeout(t);
        }
        request
            .send()
            .await
            .map_err(|e| SyncError::Network(e.to_string()))
    }

    async fn signed<T: DeserializeOwned>(
        &self,
        identity: &DeviceIdentity,
        method: reqwest::Method,
        path_and_query: &str,
        body: Option<&impl Serialize>,
        timeout: Option<Duration>,
    ) -> Result<T> {
        let bytes = match body {
            Some(b) => serde_json::to_vec(b).map_err(|e| SyncError::Malformed(e.to_string()))?,
            None => Vec::new(),
        };
        let response = self
            .signed_raw(identity, method, path_and_query, bytes, timeout)
            .await?;
        Self::answer(response).await
    }

    /// Enrol a home's first device with the operator's token.
    pub async fn enrol(&self, token: &str, keys: &DeviceKeys) -> Result<Enrolled> {
        let public = keys.public();
        let request = EnrolRequest {
            token: token.to_string(),
            signing_key: B64(public.signing.to_vec()),
            box_key: B64(public.boxing.to_vec()),
            proof: B64(keys.possession_proof("enrol", token).to_vec()),
        };
        self.unsigned("/v1/enrol", &request).await
    }

    /// Ask to join `home_id`: the answer's code is shown on this device beside
    /// `keys.public().fingerprint()` for a manager to compare and approve.
    pub async fn request_pairing(
        &self,
        home_id: &str,
        keys: &DeviceKeys,
    ) -> Result<PairingStarted> {
        let public = keys.public();
        let request = PairingRequest {
            home_id: home_id.to_string(),
            signing_key: B64(public.signing.to_vec()),
            box_key: B64(public.boxing.to_vec()),
            proof: B64(keys.possession_proof("pair", home_id).to_vec()),
        };
        self.unsigned("/v1/pairings", &request).await
    }

    /// The devices of this home waiting for approval.
    pub async fn pairings(&self, me: &DeviceIdentity) -> Result<PairingList> {
        self.signed(me, reqwest::Method::GET, "/v1/pairings", None::<&()>, None)
            .await
    }

    /// Approve a waiting device: every home key this device holds, wrapped to it.
    pub async fn approve(
        &self,
        me: &DeviceIdentity,
        keys: &HomeKeys,
        pending: &PendingPairing,
    ) -> Result<()> {
        let boxing = pending
            .box_key
            .array::<32>()
            .ok_or_else(|| SyncError::Malformed("a pending device's box key".into()))?;
        let mut wrapped_keys = Vec::new();
        for (epoch, key) in keys.epochs() {
            wrapped_keys.push(WrappedKeyUpload {
                epoch,
                wrapped: B64(me.keys.wrap_home_key(
                    &pending.device_id,
                    &boxing,
                    &keys.home_id,
                    epoch,
                    key,
                )?),
            });
        }
        let path = format!("/v1/pairings/{}/approve", pending.device_id);
        let _: serde_json::Value = self
            .signed(
                me,
                reqwest::Method::POST,
                &path,
                Some(&ApproveRequest { wrapped_keys }),
                None,
            )
            .await?;
        Ok(())
    }

    /// The home keys wrapped to this device (refused with `hub.not_paired` until approved).
    pub async fn key_list(&self, me: &DeviceIdentity) -> Result<KeyList> {
        self.signed(me, reqwest::Method::GET, "/v1/keys", None::<&()>, None)
            .await
    }

    /// Fetch and open every home key wrapped to this device.
    pub async fn home_keys(&self, me: &DeviceIdentity) -> Result<HomeKeys> {
        let list = self.key_list(me).await?;
        open_home_keys(me, &list)
    }

    pub async fn devices(&self, me: &DeviceIdentity) -> Result<DeviceList> {
        self.signed(me, reqwest::Method::GET, "/v1/devices", None::<&()>, None)
            .await
    }

    /// Revoke `device_id` and rotate the home key: `keys` gains the next epoch, wrapped to
    /// every device that remains (this one included) in the same request.
    pub async fn revoke(
        &self,
        me: &DeviceIdentity,
        keys: &mut HomeKeys,
        device_id: &str,
    ) -> Result<()> {
        let list = self.devices(me).await?;
        let mut next = keys.clone();
        let epoch = next.rotate()?;
        let key = next
            .get(epoch)
            .ok_or(SyncError::UnknownEpoch { epoch })?
            .clone();
        let mut wrapped_keys = Vec::new();
        for d in list.devices.iter().filter(|d| {
            d.status == grabpack_sync_protocol::DeviceStatus::Active && d.device_id != device_id
        }) {
            let public = DevicePublicKeys::from_slices(&d.signing_key.0, &d.box_key.0)
                .ok_or_else(|| SyncError::Malformed("a device's keys".into()))?;
            wrapped_keys.push(DeviceWrappedKey {
                device_id: d.device_id.clone(),
                wrapped: B64(me.keys.wrap_home_key(
                    &d.device_id,
                    &public.boxing,
                    &keys.home_id,
                    epoch,
                    &key,
                )?),
            });
        }
        let path = format!("/v1/devices/{device_id}/revoke");
        let _: serde_json::Value = self
            .signed(
                me,
                reqwest::Method::POST,
                &path,
                Some(&RevokeRequest {
                    new_epoch: epoch,
                    wrapped_keys,
                }),
                None,
            )
            .await?;
        *keys = next;
        Ok(())
    }

    /// Push sealed envelopes (idempotent: a retry with the same ids stores nothing new).
    pub async fn push(
        &self,
        me: &DeviceIdentity,
        envelopes: Vec<Envelope>,
    ) -> Result<PushResponse> {
        self.signed(
            me,
            reqwest::Method::POST,
            "/v1/envelopes",
            Some(&PushRequest { envelopes }),
            None,
        )
        .await
    }

    /// What this hub takes in one push.
    pub async fn limits(&self, me: &DeviceIdentity) -> Result<HubLimits> {
        self.signed(me, reqwest::Method::GET, "/v1/limits", None::<&()>, None)
            .await
    }

    /// The home's envelopes after `after`; with `wait_secs` > 0 the hub holds an empty answer
    /// until something arrives (long-polling).
    pub async fn pull(
        &self,
        me: &DeviceIdentity,
        after: i64,
        limit: u32,
        wait_secs: u32,
    ) -> Result<PullResponse> {
        let path = format!("/v1/envelopes?after={after}&limit={limit}&wait={wait_secs}");
        let timeout = Duration::from_secs(u64::from(wait_secs) + 30);
        self.signed(me, reqwest::Method::GET, &path, None::<&()>, Some(timeout))
            .await
    }

    /// Take (or renew, when this device holds it) the lease on one delivery.
    pub async fn acquire_lease(
        &self,
        me: &DeviceIdentity,
        delivery_id: &str,
        ttl_secs: u32,
    ) -> Result<Lease> {
        let path = format!("/v1/leases/{delivery_id}");
        self.signed(
            me,
            reqwest::Method::POST,
            &path,
            Some(&LeaseRequest { ttl_secs }),
            None,
        )
        .await
    }

    /// Take or renew the lease on one delivery, and when another device holds it, say who and
    /// in which term (the hub's refusal carries the lease) rather than fail.
    pub async fn take_lease(
        &self,
        me: &DeviceIdentity,
        delivery_id: &str,
        ttl_secs: u32,
    ) -> Result<LeaseAnswer> {
        #[derive(serde::Deserialize)]
        struct Held {
            code: String,
            lease: Option<Lease>,
        }
        let body = serde_json::to_vec(&LeaseRequest { ttl_secs })
            .map_err(|e| SyncError::Malformed(e.to_string()))?;
        let path = format!("/v1/leases/{delivery_id}");
        let response = self
            .signed_raw(me, reqwest::Method::POST, &path, body, None)
            .await?;
        if response.status() != reqwest::StatusCode::CONFLICT {
            return Self::answer(response).await.map(LeaseAnswer::Ours);
        }
        let bytes = response
            .bytes()
            .await
            .map_err(|e| SyncError::Network(e.to_string()))?;
        match serde_json::from_slice::<Held>(&bytes) {
            Ok(Held {
                code,
                lease: Some(lease),
            }) if code == "hub.lease_held" => Ok(LeaseAnswer::Theirs(lease)),
            _ => Err(Self::refusal(409, &bytes)),
        }
    }

    /// Give a delivery's lease back (only its holder can).
    pub async fn release_lease(&self, me: &DeviceIdentity, delivery_id: &str) -> Result<()> {
        let path = format!("/v1/leases/{delivery_id}");
        let _: serde_json::Value = self
            .signed(me, reqwest::Method::DELETE, &path, None::<&()>, None)
            .await?;
        Ok(())
    }
}

/// The certificates in a provider's PEM text, each laid out as PEM again. Why: a certificate
/// pasted into a form, or copied out of an email, often arrives with its line breaks gone or
/// changed, and would then be refused deep inside the TLS library with no useful word; the
/// base64 inside is what matters, so it is taken whatever the spacing and checked here.
pub fn certificates_in(text: &str) -> Result<Vec<String>> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(BEGIN) {
        let after = &rest[start + BEGIN.len()..];
        let end = after.find(END).ok_or_else(|| {
            SyncError::Malformed("the certificate has no -----END CERTIFICATE----- line".into())
        })?;
        let body: String = after[..end]
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect();
        base64::Engine::decode(&base64::engine::general_purpose::STANDARD, &body).map_err(
            |_| SyncError::Malformed("the certificate's text is damaged (not base64)".into()),
        )?;
        let mut pem = String::from(BEGIN);
        pem.push('\n');
        for line in body.as_bytes().chunks(64) {
            pem.push_str(&String::from_utf8_lossy(line));
            pem.push('\n');
        }
        pem.push_str(END);
        pem.push('\n');
        out.push(pem);
        rest = &after[end + END.len()..];
    }
    if out.is_empty() {
        return Err(SyncError::Malformed(
            "no certificate found: paste the text from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----".into(),
        ));
    }
    Ok(out)
}

/// Open every home key of a key list wrapped to this device. Each box opens only with the box
/// key of the device that wrapped it, so a key a hub made up, or one it claims another device
/// wrapped, does not open.
pub fn open_home_keys(me: &DeviceIdentity, list: &KeyList) -> Result<HomeKeys> {
    let mut opened: Vec<(u32, HomeKey)> = Vec::new();
    for k in &list.keys {
        let wrapper = k
            .wrapped_by_box_key
            .array::<32>()
            .ok_or(SyncError::CannotUnwrap)?;
        opened.push((
            k.epoch,
            me.keys.unwrap_home_key(
                &me.device_id,
                &wrapper,
                &list.home_id,
                k.epoch,
                &k.wrapped.0,
            )?,
        ));
    }
    Ok(HomeKeys::from_keys(&list.home_id, list.epoch, opened))
}

/// Who wrapped this device's key of the home's current epoch: that device's id and the
/// fingerprint of its keys. Read after [`open_home_keys`] opened the same list: the box opened
/// with that box key, so only the device holding its secret made it. Right after approval this
/// is the approving device, whose manager reads its fingerprint on their own screen.
pub fn wrapper_of_current(list: &KeyList) -> Option<(String, String)> {
    let k = list.keys.iter().find(|k| k.epoch == list.epoch)?;
    let public =
        DevicePublicKeys::from_slices(&k.wrapped_by_signing_key.0, &k.wrapped_by_box_key.0)?;
    Some((k.wrapped_by.clone(), public.fingerprint()))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn a_ca_pem() -> String {
        let key = rcgen::KeyPair::generate().unwrap();
        let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        params.self_signed(&key).unwrap().pem()
    }

    #[test]
    fn a_certificate_pasted_without_its_line_breaks_is_laid_out_again() {
        let pem = a_ca_pem();
        let flat: String = pem.chars().filter(|c| *c != '\n').collect();
        let crlf = pem.replace('\n', "\r\n");
        assert_eq!(certificates_in(&flat).unwrap(), vec![pem.clone()]);
        assert_eq!(certificates_in(&crlf).unwrap(), vec![pem.clone()]);
        assert!(HubClient::new("https://localhost:1", &[flat]).is_ok());
        let two = format!("{pem}\n{pem}");
        assert_eq!(certificates_in(&two).unwrap().len(), 2);
    }

    #[test]
    fn text_that_is_not_a_certificate_is_refused_in_words() {
        for bad in [
            "",
            "hello",
            "-----BEGIN CERTIFICATE-----\nnot base64 !!\n-----END CERTIFICATE-----",
            "-----BEGIN CERTIFICATE-----\nAAAA\n",
        ] {
            let e = certificates_in(bad).unwrap_err();
            assert_eq!(e.code(), "sync.malformed", "{bad:?}");
            assert!(HubClient::new("https://localhost:1", &[bad.to_string()]).is_err());
        }
    }
}
