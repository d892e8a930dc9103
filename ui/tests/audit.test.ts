import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
vi.mock('@tauri-apps/api/event', () => ({ listen: () => Promise.resolve(() => {}) }));

import Audit from '../src/screens/Audit.svelte';
import type { DeviceChainReport, HomeAuditEntry } from '../src/bindings/types';

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

const OTHER = '8a5faa0f-9c24-49dd-8284-fictional0002';

function entry(over: Partial<HomeAuditEntry>): HomeAuditEntry {
  return { device: null, seq: 1, at: '2026-12-02T10:00:00Z', actor: 'staff:fictional', action: 'edited', child_id: null, detail: 'Edited (fictional)', ...over };
}

function answering(entries: HomeAuditEntry[], chains: DeviceChainReport[]) {
  invoke.mockImplementation(async (cmd: string) => {
    if (cmd === 'dashboard') return { cards: [], total: 0 };
    if (cmd === 'audit_list') return entries;
    if (cmd === 'audit_verify') return chains;
    return null;
  });
}

describe('the audit log on a device of a home that syncs', () => {
  it("shows every device's entries, each naming its device, and checks every chain it holds", async () => {
    answering(
      [entry({ seq: 7, at: '2026-12-02T10:05:00Z', detail: 'Seen here (fictional)' }), entry({ device: OTHER, seq: 7, detail: 'Edited on the office laptop (fictional)' })],
      [{ device: null, entries: 7, broken_at: null }, { device: OTHER, entries: 7, broken_at: 3 }],
    );
    render(Audit);
    expect(await screen.findByText('Edited on the office laptop (fictional)')).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: 'Device' })).toBeTruthy();
    expect(screen.getByText('Device 8a5faa0f')).toBeTruthy();
    expect(screen.getByText('This device')).toBeTruthy();

    await fireEvent.click(screen.getByRole('button', { name: 'Check the log has not been altered' }));
    const report = await screen.findByTestId('audit-report');
    expect(report.textContent).toContain('This device: All 7 entries check out');
    expect(report.textContent).toContain("Device 8a5faa0f: This device's copy of that device's log was altered at entry 3");
  });

  it('shows no device column on a device that keeps only its own log', async () => {
    answering([entry({})], [{ device: null, entries: 1, broken_at: null }]);
    render(Audit);
    expect(await screen.findByText('Edited (fictional)')).toBeTruthy();
    expect(screen.queryByRole('columnheader', { name: 'Device' })).toBeNull();
    await fireEvent.click(screen.getByRole('button', { name: 'Check the log has not been altered' }));
    expect((await screen.findByTestId('audit-report')).textContent?.trim()).toBe('All 1 entries check out: the log has not been altered.');
  });
});
