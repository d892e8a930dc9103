import { describe, expect, it } from 'vitest';
import { AppError, toAppError } from '../src/lib/api';
import { describe as say, formatWait, KNOWN_CODES } from '../src/lib/errors';

// Every code the crates can send today. A new code without words here fails this test.
const CODES_FROM_RUST = [
  'store.wrong_secret', 'store.no_such_staff', 'store.staff_disabled', 'store.no_pin_slot',
  'store.device_secret_missing', 'store.keychain_unavailable', 'store.keyslots_missing',
  'store.keyslots_damaged', 'store.not_initialised', 'store.already_initialised', 'store.newer_schema',
  'store.damaged', 'store.database', 'store.io', 'store.child_not_found', 'store.child_ambiguous',
  'store.child_archived', 'store.revision_not_found', 'form.invalid', 'store.pin_format',
  'store.passphrase_too_short', 'store.recovery_key_format', 'store.staff_exists', 'store.last_manager',
  'store.not_permitted', 'store.no_passphrase_slot', 'store.passphrase_needed', 'store.too_many_attempts',
  'photo.empty', 'photo.file_too_large', 'photo.too_many_pixels', 'photo.heic_unsupported',
  'photo.unsupported_format', 'photo.corrupt', 'photo.encode_failed', 'interchange.unknown_format',
  'interchange.unknown_version', 'interchange.malformed', 'pack.font_missing_glyphs',
  'pack.photo_unreadable', 'pack.render_failed', 'app.locked', 'app.bad_input', 'app.setup_incomplete',
];

describe('error messages', () => {
  it('has specific words for every error code', () => {
    for (const code of CODES_FROM_RUST) expect(KNOWN_CODES, code).toContain(code);
  });
  it('shows the wait after too many wrong PINs', () => {
    expect(say({ code: 'store.too_many_attempts', retryAfterSeconds: 30 })).toContain('30 seconds');
    expect(say({ code: 'store.too_many_attempts', retryAfterSeconds: 300 })).toContain('5 minutes');
    expect(formatWait(1)).toBe('1 second');
  });
  it('never shows the text of an unknown error', () => {
    const e = toAppError({ code: 'store.something_new', message: 'rusqlite: SQLITE_BUSY at db.rs:42' });
    expect(say(e)).not.toContain('rusqlite');
  });
  it('turns anything thrown by the bridge into a coded error', () => {
    expect(toAppError('boom').code).toBe('app.unexpected');
    expect(toAppError(new Error('x')).code).toBe('app.unexpected');
    const fields = [{ path: 'identity.legal_name', code: 'form.x', message: 'Too long' }];
    const e = toAppError({ code: 'form.invalid', message: 'm', fields, retry_after_seconds: null });
    expect(e).toBeInstanceOf(AppError);
    expect(e.fields).toEqual(fields);
  });
});
