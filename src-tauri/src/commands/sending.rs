//! Settings for sending: the home's police area, the police directory's contacts, the email
//! account and intake tokens, each with a "send test". Secrets go in and never come back out:
//! the view says only whether a password is set.

use grabpack_send::directory::ContactsEdit;
use grabpack_send::{Directory, SendSettings, SmtpSettings, Transports, Unit};
use grabpack_store::Store;
use tauri::State;

use super::Res;
use crate::error::{AppCode, UiError};
use crate::models::*;
use crate::state::AppState;

/// The settings as the window shows them: whether a secret is set, never the secret.
pub fn settings_view(store: &Store, settings: &SendSettings) -> Res<SendSettingsView> {
    Ok(SendSettingsView {
        home_id: store.store_id().to_owned(),
        home_police_unit: settings.home_police_unit.clone(),
        smtp: settings.smtp.as_ref().map(|s| SmtpView {
            host: s.host.clone(),
            port: s.port,
            security: s.security,
            username: s.username.clone(),
            from: s.from.clone(),
            from_name: s.from_name.clone(),
            password_set: s.password.is_set(),
        }),
        intakes: settings.intake_tokens.keys().cloned().collect(),
        extra_certificates: settings.extra_root_pem.len(),
        trusted_certificates: settings.trusted_certificates(),
        shipped_public_domains: grabpack_send::recipients::PUBLIC_SERVICE_DOMAINS
            .iter()
            .map(|d| (*d).to_owned())
            .collect(),
        public_domains: settings.public_domains.clone(),
        units_needing_contacts: grabpack_send::recipients::units_needing_contacts(
            store,
            super::today(),
        )?,
    })
}

/// Load, change, check the transports still build, save (audited without secrets), answer.
fn change(
    store: &mut Store,
    f: impl FnOnce(&mut SendSettings) -> Res<()>,
) -> Res<SendSettingsView> {
    let mut settings = SendSettings::load(store)?;
    f(&mut settings)?;
    Transports::from_settings(&settings)?;
    settings.save(store)?;
    settings_view(store, &settings)
}

#[tauri::command]
pub async fn send_settings(state: State<'_, AppState>) -> Res<SendSettingsView> {
    state.with_store(|store| settings_view(store, &SendSettings::load(store)?))
}

#[tauri::command]
pub async fn set_smtp(state: State<'_, AppState>, input: SmtpInput) -> Res<SendSettingsView> {
    let smtp = SmtpSettings {
        host: input.host,
        port: input.port,
        security: input.security,
        username: input.username,
        password: input.password.unwrap_or_default(),
        from: input.from,
        from_name: input.from_name,
        timeout_seconds: None,
    };
    state.with_store(|store| change(store, |s| Ok(s.set_smtp(smtp)?)))
}

#[tauri::command]
pub async fn set_intake_token(
    state: State<'_, AppState>,
    input: IntakeTokenInput,
) -> Res<SendSettingsView> {
    state.with_store(|store| {
        change(store, |s| {
            Ok(s.set_intake_token(&input.url, input.token.expose())?)
        })
    })
}

#[tauri::command]
pub async fn trust_certificate(
    state: State<'_, AppState>,
    input: TrustCaInput,
) -> Res<SendSettingsView> {
    state.with_store(|store| change(store, |s| Ok(s.trust_certificate(&input.pem).map(drop)?)))
}

/// Stop trusting an extra certificate authority (audited with the fingerprints left, as every
/// change of the sending settings is).
#[tauri::command]
pub async fn remove_certificate(
    state: State<'_, AppState>,
    input: RemoveCertificateInput,
) -> Res<SendSettingsView> {
    state.with_store(|store| {
        change(store, |s| {
            Ok(s.remove_certificate(&input.sha256_fingerprint)?)
        })
    })
}

#[tauri::command]
pub async fn set_home_unit(
    state: State<'_, AppState>,
    input: HomeUnitInput,
) -> Res<SendSettingsView> {
    state.with_store(|store| {
        let settings = grabpack_send::set_home_police_unit(store, input.unit_id.as_deref())?;
        settings_view(store, &settings)
    })
}

/// The home's own public-service domains: an added recipient on one needs no manager's reason.
#[tauri::command]
pub async fn set_public_domains(
    state: State<'_, AppState>,
    input: PublicDomainsInput,
) -> Res<SendSettingsView> {
    state.with_store(|store| change(store, |s| Ok(s.set_public_domains(&input.domains)?)))
}

/// "Send test": the email account (connect, TLS, log in; nothing sent) or an intake (its
/// acknowledgement feed read with the token). Runs without holding the store, so a slow server
/// does not freeze the window.
#[tauri::command]
pub async fn send_test(state: State<'_, AppState>, input: SendTestInput) -> Res<String> {
    let settings = state.with_store(|store| Ok(SendSettings::load(store)?))?;
    let target = input.target.trim().to_owned();
    let result = tauri::async_runtime::spawn_blocking(move || {
        let transports = Transports::from_settings(&settings)?;
        if target == "smtp" {
            transports.test_smtp()
        } else {
            transports.test_intake(&target)
        }
    })
    .await
    .map_err(|_| UiError::app(AppCode::Unexpected, "The test could not run. Try again."))?;
    let outcome = result
        .as_ref()
        .map_or_else(|e| e.code().to_owned(), |_| "ok".to_owned());
    state.with_store(|store| {
        Ok(store.record(
            grabpack_store::AuditAction::SendTest,
            None,
            &format!("{}: {outcome}", input.target),
        )?)
    })?;
    Ok(result?)
}

#[tauri::command]
pub async fn directory(state: State<'_, AppState>, input: DirectoryQuery) -> Res<Vec<Unit>> {
    state.with_store(|store| {
        let d = Directory::load(store)?;
        Ok(
            match input
                .area
                .as_deref()
                .map(str::trim)
                .filter(|a| !a.is_empty())
            {
                Some(area) => d.unit_for_area(area).into_iter().cloned().collect(),
                None => d.units().cloned().collect(),
            },
        )
    })
}

#[tauri::command]
pub async fn directory_edit(state: State<'_, AppState>, input: DirectoryEditInput) -> Res<Unit> {
    state.with_store_saving(|store| {
        let edit = ContactsEdit {
            email: input.email.clone(),
            https_intake: input.https_intake.clone(),
            phone_non_emergency: input.phone_non_emergency.clone(),
        };
        let verified = input
            .last_verified
            .unwrap_or_else(|| jiff::Zoned::now().date());
        Ok(Directory::edit_contacts(
            store,
            &input.unit_id,
            &edit,
            verified,
        )?)
    })
}
