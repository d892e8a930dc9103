// What staff read for each error code. The UI branches on codes and never shows a raw Rust error:
// an unknown code gets a general message, not the text that came with it.
import type { AppError } from './api';

const MESSAGES: Record<string, string> = {
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
  'store.pin_format': 'A PIN must be 4 to 12 digits.',
  'store.passphrase_too_short': 'A passphrase must be at least 12 characters.',
  'store.recovery_key_format': 'A recovery key is 13 groups of 4 letters and digits, separated by dashes.',
  'store.staff_exists': 'A staff member with that name already exists.',
  'store.last_manager': 'This is the last active manager. Add another manager first.',
  'store.not_permitted': 'Only a manager can do that.',
  'store.no_passphrase_slot': 'This home has no passphrase. Unlock with a PIN or the recovery key.',
  'store.passphrase_needed': 'Give the passphrase so it is kept, or choose to drop it.',
  'form.invalid': 'The form was not saved. Correct the answers listed below.',
  'photo.empty': 'That file is empty. Choose the photo again.',
  'photo.file_too_large': 'That photo file is too large. Choose a smaller copy.',
  'photo.too_many_pixels': 'That photo is too big to open safely. Choose a smaller copy.',
  'photo.heic_unsupported': 'HEIC photos (from iPhones) cannot be read. Save or share it as JPEG, then add it again.',
  'photo.unsupported_format': 'That file is not a photo Grab Pack can read. Use a JPEG, PNG or WebP.',
  'photo.corrupt': 'That photo file is damaged. Choose another copy.',
  'photo.encode_failed': 'The photo could not be stored. Try another copy.',
  'interchange.unknown_format': 'That file is not a Grab Pack record.',
  'interchange.unknown_version': 'That record was written by a newer version of Grab Pack.',
  'interchange.malformed': 'That record file is damaged and could not be read.',
  'pack.font_missing_glyphs': 'Some characters in the name cannot be printed. Add a spelling in Latin letters too.',
  'pack.photo_unreadable': 'A photo could not be put in the pack. Add the photo again.',
  'pack.render_failed': 'The pack PDF could not be built. Give the police the read-out below instead.',
};

export const KNOWN_CODES = Object.keys(MESSAGES);

/** The words for an error: specific to its code, with the wait for too many attempts. */
export function describe(e: Pick<AppError, 'code' | 'retryAfterSeconds'>): string {
  if (e.code === 'store.too_many_attempts' && e.retryAfterSeconds != null) {
    return `Too many wrong attempts. Wait ${formatWait(e.retryAfterSeconds)}, then try again.`;
  }
  return MESSAGES[e.code] ?? MESSAGES['app.unexpected'];
}

export function formatWait(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const m = Math.ceil(seconds / 60);
  return `${m} minute${m === 1 ? '' : 's'}`;
}
