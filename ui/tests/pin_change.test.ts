import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import PinChange from '../src/components/PinChange.svelte';

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

describe('choosing a new PIN after unlocking with a short one', () => {
  it('says why a new PIN is asked for', () => {
    render(PinChange, { onChanged: () => {} });
    expect(screen.getByTestId('pin-change').textContent).toContain('6 to 12 digits');
  });

  it('refuses a PIN of fewer than 6 digits before asking the app', async () => {
    render(PinChange, { onChanged: () => {} });
    await fireEvent.input(screen.getByLabelText('New PIN'), { target: { value: '2468' } });
    await fireEvent.input(screen.getByLabelText('New PIN again'), { target: { value: '2468' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Set new PIN' }));
    expect(screen.getAllByText('Enter a PIN of 6 to 12 digits').length).toBeGreaterThan(0);
    expect(invoke).not.toHaveBeenCalled();
  });

  it('sets the new PIN and hands back the session', async () => {
    const session = { actor_name: 'Sam Jones (fictional)', actor_kind: 'staff', can_administer: false, home_name: 'Maple House (fictional)', auto_lock_seconds: 300, pin_change_due: false, recovery_key_unconfirmed: false };
    invoke.mockResolvedValueOnce(session);
    const onChanged = vi.fn();
    render(PinChange, { onChanged });
    await fireEvent.input(screen.getByLabelText('New PIN'), { target: { value: '246810' } });
    await fireEvent.input(screen.getByLabelText('New PIN again'), { target: { value: '246810' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Set new PIN' }));
    await vi.waitFor(() => expect(onChanged).toHaveBeenCalledWith(session));
    expect(invoke).toHaveBeenCalledWith('set_own_pin', { input: { pin: '246810' } });
  });
});
