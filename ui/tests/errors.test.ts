import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError, toAppError } from '../src/lib/api';
import { describe as say, formatWait, KNOWN_CODES } from '../src/lib/errors';

// Every code the app can send, read from the Rust sources themselves: each crate's error enum
// (its `code()` strings) and the app's own `app.*` codes. A new code without words here fails.
// vitest runs in ui/ (npm test, npm --prefix ui test): the repository is one level up.
const root = join(process.cwd(), '..');
const sources = [
  ...['grabpack-core', 'grabpack-photo', 'grabpack-store', 'grabpack-pack', 'grabpack-send'].map((c) => join(root, 'crates', c, 'src', 'error.rs')),
  ...readdirSync(join(root, 'src-tauri', 'src')).filter((f) => f.endsWith('.rs')).map((f) => join(root, 'src-tauri', 'src', f)),
];
const CODES_FROM_RUST = [
  ...new Set(sources.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/"((?:store|photo|pack|send|form|interchange|app)\.[a-z0-9_]+)"/g)].map((m) => m[1]))),
];

describe('error messages', () => {
  it('has specific words for every error code', () => {
    expect(CODES_FROM_RUST.length).toBeGreaterThan(80);
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
