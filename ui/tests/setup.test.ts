import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import Setup from '../src/screens/Setup.svelte';

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

const session = { actor_name: 'Jo Manager (fictional)', actor_kind: 'staff', can_administer: true, home_name: 'Larch House (fictional)', auto_lock_seconds: 300 };

describe('setting up a home', () => {
  it('sends the home address and type with the first manager', async () => {
    invoke.mockResolvedValueOnce({ recovery_key: 'ABCD-EFGH', session });
    render(Setup, { keychainAvailable: false, onDone: () => {} });
    await fireEvent.input(screen.getByLabelText('Name of the home'), { target: { value: 'Larch House (fictional)' } });
    await fireEvent.input(screen.getByLabelText('Address of the home'), { target: { value: '1 Larch Lane (fictional)\nAnytown' } });
    await fireEvent.click(screen.getByLabelText('Foster home'));
    await fireEvent.input(screen.getByLabelText('Your name (the first manager)'), { target: { value: 'Jo Manager (fictional)' } });
    await fireEvent.input(screen.getByLabelText('Passphrase'), { target: { value: 'a long fictional passphrase' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create the store' }));
    await vi.waitFor(() => expect(screen.getByTestId('recovery-key').textContent).toBe('ABCD-EFGH'));
    expect(invoke).toHaveBeenCalledWith('setup_store', {
      input: {
        home_name: 'Larch House (fictional)',
        home_address: '1 Larch Lane (fictional)\nAnytown',
        home_type: 'foster_home',
        manager_name: 'Jo Manager (fictional)',
        manager_pin: null,
        passphrase: 'a long fictional passphrase',
      },
    });
  });

  it('asks for the police area after the recovery key and saves the one chosen', async () => {
    invoke.mockResolvedValueOnce({ recovery_key: 'ABCD-EFGH', session });
    render(Setup, { keychainAvailable: false, onDone: () => {} });
    await fireEvent.input(screen.getByLabelText('Name of the home'), { target: { value: 'Larch House (fictional)' } });
    await fireEvent.input(screen.getByLabelText('Your name (the first manager)'), { target: { value: 'Jo Manager (fictional)' } });
    await fireEvent.input(screen.getByLabelText('Passphrase'), { target: { value: 'a long fictional passphrase' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Create the store' }));
    await vi.waitFor(() => expect(screen.getByTestId('recovery-key')).toBeTruthy());
    invoke.mockResolvedValueOnce([
      { id: 'kent', kind: 'force', name: 'Kent Police', nation: 'England', parent: null, areas: [], channels: {}, last_verified: '2026-11-01', unit_name_confirmed: true, edited: false },
    ]);
    await fireEvent.click(screen.getByLabelText(/I have printed or written down/));
    await fireEvent.click(screen.getByRole('button', { name: 'Continue' }));
    await vi.waitFor(() => expect(screen.getByRole('option', { name: 'Kent Police' })).toBeTruthy());
    // Saving without a choice says what to do, and calls nothing.
    await fireEvent.click(screen.getByRole('button', { name: 'Save the police area' }));
    expect(screen.getByText('Choose the police area the home is in')).toBeTruthy();
    invoke.mockResolvedValueOnce({ units_needing_contacts: [{ unit_id: 'kent', unit_name: 'Kent Police', why: "the home's own police area" }] });
    await fireEvent.change(screen.getByLabelText('The police area the home is in'), { target: { value: 'kent' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save the police area' }));
    await vi.waitFor(() => expect(screen.getByText('Police area saved: Kent Police.')).toBeTruthy());
    expect(invoke).toHaveBeenCalledWith('set_home_unit', { input: { unit_id: 'kent' } });
    // Its contacts are still the shipped placeholders: set-up says so, and where to add them.
    expect(screen.getByTestId('units-needing-contacts').textContent).toContain('No confirmed address yet for Kent Police');
  });
});
