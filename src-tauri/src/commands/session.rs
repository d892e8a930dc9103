//! Opening and closing the store: whether one exists, set-up, unlock (PIN, passphrase, recovery
//! key), lock, and "still here" (which postpones the idle lock).

use grabpack_store::{Credential, HomeSettings, Sensitive, Setup, Store};
use tauri::State;

use super::Res;
use crate::error::{AppCode, UiError};
use crate::models::*;
use crate::state::{AppState, Session};

pub(super) fn secret(s: String) -> Sensitive<String> {
    Sensitive::from(s)
}

fn staff_on_device(state: &AppState) -> Vec<String> {
    grabpack_store::staff_on_this_device(&state.data_dir).unwrap_or_default()
}

#[tauri::command]
pub async fn app_status(state: State<'_, AppState>) -> Res<AppStatus> {
    state.lock_if_idle();
    let session = state.slot().as_ref().map(Session::view);
    Ok(AppStatus {
        store_exists: grabpack_store::exists(&state.data_dir),
        session,
        staff_on_device: staff_on_device(&state),
        keychain_available: state.keychain.is_some(),
        demo: state.demo,
        sending_while_locked: state.keeper_undelivered(),
    })
}

#[tauri::command]
pub async fn setup_store(state: State<'_, AppState>, input: SetupInput) -> Res<SetupResult> {
    let setup = Setup {
        home_name: input.home_name.trim().to_owned(),
        manager_name: input.manager_name.trim().to_owned(),
        manager_pin: input.manager_pin.filter(|p| !p.is_empty()).map(secret),
        passphrase: input.passphrase.filter(|p| !p.is_empty()).map(secret),
    };
    if setup.home_name.is_empty() || setup.manager_name.is_empty() {
        return Err(UiError::app(
            AppCode::SetupIncomplete,
            "Enter the home's name and the first manager's name.",
        ));
    }
    let home_name = setup.home_name.clone();
    let (mut store, recovery) = Store::create(&state.data_dir, setup, state.keychain.clone())?;
    let settings = HomeSettings {
        home_name,
        home_address: input.home_address.trim().to_owned(),
        home_type: input.home_type,
        ..HomeSettings::default()
    };
    store.set_settings(&settings)?;
    let session = Session::new(store, state.idle_override);
    let view = session.view();
    state.begin_session(session);
    Ok(SetupResult {
        recovery_key: recovery.expose().clone(),
        session: view,
    })
}

#[tauri::command]
pub async fn unlock(state: State<'_, AppState>, input: UnlockInput) -> Res<SessionView> {
    let store = match input {
        UnlockInput::Pin { staff_name, pin } => {
            let pin = secret(pin);
            Store::unlock(
                &state.data_dir,
                Credential::Pin {
                    staff_name: &staff_name,
                    pin: &pin,
                },
                state.keychain.clone(),
            )?
        }
        UnlockInput::Passphrase { passphrase } => Store::unlock(
            &state.data_dir,
            Credential::Passphrase(&secret(passphrase)),
            state.keychain.clone(),
        )?,
        UnlockInput::RecoveryKey { recovery_key } => Store::unlock(
            &state.data_dir,
            Credential::RecoveryKey(&secret(recovery_key)),
            state.keychain.clone(),
        )?,
    };
    let session = Session::new(store, state.idle_override);
    let view = session.view();
    state.begin_session(session);
    Ok(view)
}

/// A person has started to unlock: the key derivation's 64 MiB is made ready while
/// they type, on a thread of its own, so the unlock does not fault it in page by page itself
/// (`grabpack_store::prepare_kdf_memory`). Asked for by the unlock screen at the first focus or
/// input rather than as it appears, so the app's start never shares its two cores with it. Never
/// fails: without it the unlock faults its memory in itself, as it did before.
#[tauri::command]
pub async fn prepare_unlock() -> Res<()> {
    // No thread to be had: the unlock then makes its own memory ready, as before.
    let _ = std::thread::Builder::new()
        .name("kdf-memory".into())
        .spawn(grabpack_store::prepare_kdf_memory);
    Ok(())
}

#[tauri::command]
pub async fn lock(state: State<'_, AppState>) -> Res<()> {
    state.lock();
    Ok(())
}

/// The person is still at the screen (typing, tapping): postpone the idle lock.
#[tauri::command]
pub async fn still_here(state: State<'_, AppState>) -> Res<()> {
    state.with_store(|_| Ok(()))
}
