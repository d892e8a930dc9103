import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
vi.mock('@tauri-apps/api/event', () => ({ listen: () => Promise.resolve(() => {}) }));

import Settings from '../src/screens/Settings.svelte';

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

const member = (id: string, name: string) => ({ id, name, role: { role: 'manager' }, created_at: '2026-12-01T09:00:00Z', disabled_at: null, has_pin: true });
const sending = { home_id: 'home-0000-fictional', extra_certificates: 0, trusted_certificates: [], home_police_unit: null, intakes: [], shipped_public_domains: ['police.uk'], public_domains: [], units_needing_contacts: [], smtp: null };
const answers: Record<string, unknown> = {
  settings: { home_name: 'Home (fictional)', protective_marking: 'OFFICIAL-SENSITIVE', auto_lock_minutes: 5, readiness: { review_interval_days: 30, photo_max_age_days: 90 } },
  staff: [member('s1', 'Ana Manager (fictional)'), member('s2', 'Ana Manager (fictional)'), member('s3', 'Night Worker (fictional)')],
  app_status: { keychain_available: true },
  send_settings: sending,
  directory: [],
  sync_status: { words: 'up to date, just now', state: 'paired', hub_url: 'https://hub.example.invalid', home_id: 'h', device_id: 'd', fingerprint: 'F', pairing_code: null, approved_by: null, approver_fingerprint: null, waiting_to_send: 0, refused: 0, last_error: null, children_with_disagreements: [] },
};

describe("the home's staff on a device that shares its records", () => {
  it('says when two records share a name, and that Disable stops both', async () => {
    invoke.mockImplementation(async (cmd: string) => answers[cmd] ?? null);
    render(Settings, { onSession: () => {} });
    const hints = await screen.findAllByText(/Also set up on another device of the home under this name/);
    expect(hints).toHaveLength(2);
    await fireEvent.click(screen.getAllByRole('button', { name: 'Disable Ana Manager (fictional)' })[0]);
    expect(await screen.findByText(/both records of that name were disabled/)).toBeTruthy();
    expect(invoke.mock.calls.filter((c) => c[0] === 'disable_staff').map((c) => c[1])).toEqual([{ input: { name: 'Ana Manager (fictional)' } }]);
  });
});
