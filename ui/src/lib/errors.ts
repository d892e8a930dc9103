// What staff read for each error code. The UI branches on codes and never shows a raw Rust error:
// an unknown code gets a general message, not the text that came with it.
//
// `ErrorCode` is generated from the Rust error enums (every crate's CODES and the app's own
// codes), so this table must have words for exactly those codes: a new code without words, or
// words for a code that is gone, fails `npm run check`.
import type { ErrorCode } from '../bindings/types';
import type { AppError } from './api';

const MESSAGES: Record<ErrorCode, string> = {
  'app.locked': 'Grab Pack locked itself. Unlock it to carry on; nothing was lost.',
  'app.bad_input': 'That could not be read. Try again, or choose the file again.',
  'app.setup_incomplete': "Enter the home's name and the first manager's name.",
  'app.unexpected': 'Something went wrong in the app. Nothing was changed. Try again; if it keeps happening, tell your manager.',
  'store.wrong_secret': 'That PIN, passphrase or recovery key is not right. Check it and try again.',
  'store.too_many_attempts': 'Too many wrong attempts. Wait, then try again.',
  'store.no_such_staff': 'There is no staff member with that name in this home.',
  'store.staff_disabled': 'This staff member has been disabled. A manager can add them again.',
  'store.no_pin_slot': 'This staff member has no PIN on this device. Unlock with the passphrase or recovery key.',
  'store.device_secret_missing': "This device's key is missing from the keychain, so PINs cannot work. Unlock with the recovery key or passphrase; no record is lost.",
  'store.keychain_unavailable': "This device's keychain cannot be used, so PINs cannot work here. Use the passphrase or the recovery key.",
  'store.keyslots_missing': 'The key file beside the data is missing. Restore it from a backup before the data can be opened.',
  'store.keyslots_damaged': 'The key file beside the data is damaged. Restore it from a backup.',
  'store.not_initialised': 'There is no Grab Pack store on this device yet. Set one up first.',
  'store.already_initialised': 'A Grab Pack store already exists on this device. Nothing was changed.',
  'store.newer_schema': 'This data was written by a newer version of Grab Pack. Update the app to open it.',
  'store.damaged': 'The data could not be read: it may be damaged. Restore from a backup; the key was right.',
  'store.database': 'The data could not be read or written. Nothing was changed. Try again.',
  'store.io': "A file in the app's data folder could not be read or written. Check the disk is not full.",
  'store.child_not_found': 'That child could not be found. They may have been archived.',
  'store.child_ambiguous': 'More than one child matches. Use more of the name.',
  'store.child_archived': "This child's record is archived and kept read-only.",
  'store.revision_not_found': 'That version of the form could not be found.',
  'store.pin_format': 'A new PIN must be 6 to 12 digits.',
  'store.passphrase_too_short': 'A passphrase must be at least 12 characters.',
  'store.recovery_key_format': 'A recovery key is 13 groups of 4 letters and digits, separated by dashes.',
  'store.staff_exists': 'A staff member with that name already exists.',
  'store.last_manager': 'This is the last active manager. Add another manager first.',
  'store.not_permitted': 'Only a manager can do that.',
  'store.no_passphrase_slot': 'This home has no passphrase. Unlock with a PIN or the recovery key.',
  'store.passphrase_needed': 'Give the passphrase so it is kept, or choose to drop it.',
  'store.engagement_ended': "This agency worker's engagement has ended. A manager can extend it.",
  'store.episode_not_found': 'That missing episode could not be found. Go back to the children and open it again.',
  'store.episode_closed': 'This missing episode is closed, so nothing more can be added to it. If the child is missing again, start a new one.',
  'store.unencodable': 'That change could not be written down, so nothing was saved. Try again; if it happens again, tell your manager.',
  'store.episode_already_open': 'This child is already recorded as missing. Carry on with that episode; a new one can be started once it is closed.',
  'store.episode_other_child': 'That episode belongs to another child. Go back to the children and start again.',
  'store.event_not_found': 'The entry you are correcting could not be found. Reload the episode and try again.',
  'store.delivery_not_found': 'That message to a recipient could not be found. Reload the episode.',
  'store.delivery_state': 'That message has already moved on (sent, or stopped), so this cannot be done to it now. The list below shows where it is.',
  'store.no_recipients': 'Nobody is chosen to receive the pack. Tick at least one person or add an address, or print the pack and phone instead.',
  'store.delivery_claim_lost': 'Another copy of Grab Pack on this computer took this message over after this attempt ran out of time; it carries on sending it. Nothing is lost.',
  'app.reason_required': 'Say why, in a few words. It goes on the record.',
  'app.save_failed': 'The PDF could not be saved on this device. Check the disk is not full, or use Share or Print the read-out instead.',
  'app.no_save_folder': 'This device has no folder to save the PDF into. Use Share, or print the read-out.',
  'app.update_empty': 'Write what the update says before adding it.',
  'send.smtp_incomplete': "Enter the mail server's name and the home's own email address (the From address).",
  'send.token_required': "Enter the token the intake's administrator gave the home.",
  'send.tls_required': 'That address is not encrypted (it does not start with https). Packs are only sent over an encrypted link: ask for the https address.',
  'send.bad_address': 'That is not an email address or an https address Grab Pack can send to. Check it for typing mistakes.',
  'send.smtp_not_configured': 'Email is not set up for this home yet, so nothing can be emailed. Untick the email recipients to send to a police intake alone; save the pack PDF and hand it over or email it yourself, and phone 101 (999 in danger) with the read-out. A manager sets up email in Settings.',
  'send.no_address': 'This person has no email address or intake on record: phone them, and add the address to the form later.',
  'send.unknown_unit': 'That police area is not in the directory. Choose it again in Settings.',
  'send.directory_invalid': 'The police directory could not be read. Phone 101 and give the read-out; tell your manager.',
  'send.settings_invalid': 'The sending settings are not valid. A manager must check them in Settings.',
  'send.bad_certificate': 'That certificate could not be read. Paste the whole PEM text, from BEGIN CERTIFICATE to END CERTIFICATE.',
  'send.compose_failed': 'The message could not be put together. Save the pack PDF and send it yourself.',
  'send.auth_failed': 'The mail server refused the user name or password. A manager must correct the email account in Settings, then try again.',
  'send.untrusted_certificate': "The server's certificate is not trusted, so nothing was sent. Check the server address, or ask a manager to add the trusted certificate.",
  'send.unknown_host': 'The server could not be found (no network, or a wrong address). It will be tried again by itself.',
  'send.unreachable': 'The server could not be reached. It will be tried again by itself.',
  'send.timeout': 'The server did not answer in time. It will be tried again by itself.',
  'send.too_large': 'The receiving mailbox refused the pack as too large. Print it or save it and hand it over instead.',
  'send.rejected': 'The mail server refused the message. Check the address, or send the pack another way.',
  'send.server_busy': 'The server is busy for now. It will be tried again by itself.',
  'send.intake_unauthorised': "The police intake did not accept this home's token. A manager must correct the intake token in Settings, then try again.",
  'send.intake_conflict': "The police intake already holds a different pack for this message, so nothing was replaced. Tell the intake's administrator.",
  'send.intake_rejected': 'The police intake refused the pack. Phone them and send it another way.',
  'send.no_token': 'There is no token for this police intake. A manager adds it in Settings.',
  'send.ack_feed': "The police intake's acknowledgements could not be read. The pack itself may still have arrived; phone to check.",
  'send.needs_manager': 'An address you added is not a police, council, NHS or secure justice address (police.uk, gov.uk, nhs.net, cjsm.net or one your home added). Only a manager can send the pack there, with a reason: ask the manager on call.',
  'send.widen_needs_manager': 'An address you added gets page 1 and Part 2 of the pack only. Only a manager can send it the full pack, with a reason: ask the manager on call.',
  'send.widen_reason_required': 'As a manager, say why the added address should have the full pack in the reason box, then send again.',
  'send.reason_required': 'An address you added is not a public-service address: as a manager, say why it should have the pack in the reason box, then send to it again.',
  'send.bad_domain': 'That is not a domain. Type it like council.example.gov.uk, one on each line.',
  'send.no_pack_yet': 'No one has had the pack for this episode yet, so there is no one to update. Send the pack first.',
  'practice.invalid': 'The police practice data in this version of Grab Pack could not be read. Report on 101 (999 in danger) and tell the person who looks after the app.',
  'store.bad_strategy_rule': 'A strategy meeting rule needs at least 2 episodes (up to 50) within 1 to 365 days.',
  'store.sync_not_joined': "This device does not share the home's records yet. A manager sets it up to join the home.",
  'store.sync_already_joined': "This device already shares another home's records; it cannot join a second home.",
  'store.sync_record_invalid': "A record from another of the home's devices could not be read, so nothing was changed. Tell the person who looks after the app; this device's own records are safe.",
  'store.no_disagreement': 'Those two edits no longer disagree: someone has already chosen. Open the child again to see the record as it is now.',
  'send.grading_not_offered': "Police in this area do not grade a missing child that way. Choose one of the force's categories, and write the police's own words beside it.",
  'form.invalid': 'The form was not saved. Correct the answers listed below.',
  'photo.empty': 'That file is empty. Choose the photo again.',
  'photo.file_too_large': 'That photo file is too large. Choose a smaller copy.',
  'photo.too_many_pixels': 'That photo is too big to open safely. Choose a smaller copy.',
  'photo.heic_unsupported': 'HEIC photos (from iPhones) cannot be read. Save or share it as JPEG, then add it again.',
  'photo.unsupported_format': 'That file is not a photo Grab Pack can read. Use a JPEG, PNG or WebP.',
  'photo.corrupt': 'That photo file is damaged. Choose another copy.',
  'photo.not_as_stored': 'A photo from another device of the home was not kept: it is not a photo as Grab Pack prepares them. Add the photo again on that device or this one.',
  'photo.encode_failed': 'The photo could not be stored. Try another copy.',
  'interchange.unknown_format': 'That file is not a Grab Pack record.',
  'interchange.unknown_version': 'That record was written by a newer version of Grab Pack.',
  'interchange.malformed': 'That record file is damaged and could not be read.',
  'pack.font_missing_glyphs': 'Some characters in the name cannot be printed. Add a spelling in Latin letters too.',
  'pack.photo_unreadable': 'A photo could not be put in the pack. Add the photo again.',
  'store.delivery_on_another_device': 'Another of the home\'s devices is sending this. Retry it or stop it on that device; this one shows its state only.',
  'sync.cannot_open': 'A record from the hub could not be opened with this home\'s key. Nothing was changed; tell your manager.',
  'sync.unknown_epoch': 'This device does not have the home\'s newest key yet. Press Sync now; if it keeps happening, pair this device again.',
  'sync.cannot_unwrap': 'The home\'s key sent to this device could not be opened. Ask a manager to approve this device again.',
  'sync.malformed': 'The hub or a device sent something this device cannot read. Nothing was changed; tell your manager.',
  'sync.refused': 'The hub refused: check the address, the code or the token, or ask your manager whether this device was revoked.',
  'sync.network': 'The hub could not be reached. Everything still works on this device, and changes go when it is back.',
  'sync.random': 'This device could not make a secure key. Restart it and try again.',
  'sync.no_such_pairing': 'No device is waiting with that code. Check the code on the new device\'s screen, or ask it to try again.',
  'sync.fingerprint_mismatch': 'That fingerprint is not the one of the device waiting with this code. Do not approve it: check both screens again.',
  'sync.store_locked': 'Grab Pack locked itself while it synced. Unlock it and the sync carries on; nothing was lost.',
  'pack.render_failed': 'The pack PDF could not be built. Give the police the read-out below instead.',
};

export const KNOWN_CODES = Object.keys(MESSAGES);

/** True for a code the app can send (and so has words here). */
export function isErrorCode(code: string | null | undefined): code is ErrorCode {
  return !!code && Object.prototype.hasOwnProperty.call(MESSAGES, code);
}

/** The words for an error: specific to its code, with the wait for too many attempts. */
export function describe(e: Pick<AppError, 'code' | 'retryAfterSeconds'>): string {
  if (e.code === 'store.too_many_attempts' && e.retryAfterSeconds != null) {
    return `Too many wrong attempts. Wait ${formatWait(e.retryAfterSeconds)}, then try again.`;
  }
  return isErrorCode(e.code) ? MESSAGES[e.code] : MESSAGES['app.unexpected'];
}

/** Words for a code when there are specific ones; null for an unknown code. */
export function wordsFor(code: string | null | undefined): string | null {
  return isErrorCode(code) ? MESSAGES[code] : null;
}

export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const m = Math.ceil(seconds / 60);
  return `${m} minute${m === 1 ? '' : 's'}`;
}
