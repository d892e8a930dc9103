import { describe, expect, it } from 'vitest';
import { AppError, toAppError } from '../src/lib/api';
import { describe as say, formatWait, KNOWN_CODES } from '../src/lib/errors';

describe('error messages', () => {
  // Words for every code, and none for a code that is gone, are checked by the compiler:
  // MESSAGES is a Record<ErrorCode, string> over the generated ErrorCode union.
  it('has words for every code, among them the app\'s, the store\'s and the sender\'s', () => {
    expect(KNOWN_CODES.length).toBeGreaterThan(80);
    for (const code of ['app.locked', 'store.wrong_secret', 'send.tls_required', 'form.invalid']) expect(KNOWN_CODES).toContain(code);
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
