import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import fixtures from './fixtures/demo.json';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import Child from '../src/screens/Child.svelte';

const childId = Object.keys(fixtures.children)[0];
const fx = fixtures as unknown as Record<string, Record<string, unknown>>;

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

describe("the child's own copy", () => {
  it('is saved from the child screen, and showing it to the child is recorded only when ticked', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'child') return fx.children[childId];
      if (cmd === 'fields') return fixtures.fields;
      if (cmd === 'readiness') return fx.readiness[childId] ?? [];
      if (cmd === 'history') return fx.history[childId] ?? [];
      if (cmd === 'save_child_copy') {
        return { path: '/home/carer/Downloads/what-we-keep-x.pdf', sha256_hex: 'ab', shown_at: ['2026-11-28T20:00:00Z'] };
      }
      throw { code: 'app.unexpected', message: 'no mock for ' + cmd, fields: [] };
    });
    render(Child, { id: childId, tab: 'history' });
    await fireEvent.click(await screen.findByLabelText('I am showing it to the child now (this is recorded)'));
    await fireEvent.click(screen.getByTestId('save-child-copy'));
    await vi.waitFor(() => expect(screen.getByTestId('child-copy-saved').textContent).toContain('/home/carer/Downloads/what-we-keep-x.pdf'));
    const said = screen.getByTestId('child-copy-saved').textContent ?? '';
    expect(said).toContain('not encrypted');
    expect(said).toContain('Last shown to the child: 2026-11-28 20:00');
    expect(invoke).toHaveBeenCalledWith('save_child_copy', { input: { child_id: childId, shown: true } });
  });
});
