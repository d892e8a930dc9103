import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import Unlock from '../src/screens/Unlock.svelte';
import ErrorSummary from '../src/components/ErrorSummary.svelte';

const status = {
  store_exists: true,
  session: null,
  staff_on_device: ['Amira Haddad (fictional)', 'Sam Jones (fictional)'],
  keychain_available: true,
  demo: false,
  sending_while_locked: 0,
};

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

// The app refuses the unlock with `error`; getting the key derivation's memory ready succeeds.
function refusing(error: unknown) {
  invoke.mockImplementation(async (cmd: string) => {
    if (cmd === 'prepare_unlock') return null;
    throw error;
  });
}

describe('the unlock screen', () => {
  it('has the key derivation made ready once, as soon as a person starts to unlock', async () => {
    refusing({ code: 'store.wrong_secret', message: 'raw', fields: [], retry_after_seconds: null });
    render(Unlock, { status, onUnlocked: () => {} });
    expect(invoke).not.toHaveBeenCalled();
    await fireEvent.click(screen.getByLabelText('Sam Jones (fictional)'));
    await fireEvent.input(screen.getByLabelText('PIN'), { target: { value: '1' } });
    await fireEvent.input(screen.getByLabelText('PIN'), { target: { value: '11' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    await vi.waitFor(() => expect(invoke.mock.calls.map(([cmd]) => cmd)).toEqual(['prepare_unlock', 'unlock']));
  });

  it('says the pack is still being sent while the app is locked', () => {
    render(Unlock, { status: { ...status, sending_while_locked: 2 }, onUnlocked: () => {} });
    expect(screen.getByTestId('sending-while-locked').textContent).toContain('2 recipients to go');
  });

  it('says nothing about sending when nothing is going out', () => {
    render(Unlock, { status, onUnlocked: () => {} });
    expect(screen.queryByTestId('sending-while-locked')).toBeNull();
  });

  it('lists the staff on this device to pick from', () => {
    render(Unlock, { status, onUnlocked: () => {} });
    expect(screen.getByLabelText('Amira Haddad (fictional)')).toBeTruthy();
    expect(screen.getByLabelText('Sam Jones (fictional)')).toBeTruthy();
  });

  it('asks who you are and for the PIN before trying', async () => {
    render(Unlock, { status, onUnlocked: () => {} });
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    expect(screen.getByText('Choose who you are')).toBeTruthy();
    expect(screen.getByText('Enter your PIN')).toBeTruthy();
    expect(invoke).not.toHaveBeenCalled();
  });

  it('says a wrong PIN is wrong, in its own words', async () => {
    refusing({ code: 'store.wrong_secret', message: 'raw', fields: [], retry_after_seconds: null });
    render(Unlock, { status, onUnlocked: () => {} });
    await fireEvent.click(screen.getByLabelText('Sam Jones (fictional)'));
    await fireEvent.input(screen.getByLabelText('PIN'), { target: { value: '1111' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    await vi.waitFor(() => expect(screen.getByText(/PIN, passphrase or recovery key is not right/)).toBeTruthy());
    expect(invoke).toHaveBeenCalledWith('unlock', { input: { method: 'pin', staff_name: 'Sam Jones (fictional)', pin: '1111' } });
  });

  it('shows the wait after too many wrong attempts and blocks the button', async () => {
    refusing({ code: 'store.too_many_attempts', message: 'x', fields: [], retry_after_seconds: 30 });
    render(Unlock, { status, onUnlocked: () => {} });
    await fireEvent.click(screen.getByLabelText('Sam Jones (fictional)'));
    await fireEvent.input(screen.getByLabelText('PIN'), { target: { value: '1111' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    await vi.waitFor(() => expect(screen.getByTestId('unlock-wait').textContent).toContain('30 seconds'));
    expect((screen.getByRole('button', { name: 'Unlock' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('offers only the passphrase and recovery key when this device has no keychain', () => {
    render(Unlock, { status: { ...status, keychain_available: false }, onUnlocked: () => {} });
    expect(screen.queryByLabelText('My PIN')).toBeNull();
    expect(screen.getByLabelText('Passphrase', { selector: 'input[type=password]' })).toBeTruthy();
  });
});

describe('the error summary', () => {
  it('links each error to its field', () => {
    render(ErrorSummary, { errors: [{ href: '#pin', text: 'Enter your PIN' }] });
    expect(screen.getByRole('link', { name: 'Enter your PIN' }).getAttribute('href')).toBe('#pin');
    expect(screen.getByRole('alert')).toBeTruthy();
  });
});
