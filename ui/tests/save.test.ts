import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import fixtures from './fixtures/demo.json';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));

import Readout from '../src/components/episode/Readout.svelte';
import type { EpisodeView } from '../src/bindings/types';

const view = fixtures.episode as unknown as EpisodeView;

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

describe('saving the pack from the episode', () => {
  it('asks the app to write the PDF, then says where it is and that it is not encrypted', async () => {
    invoke.mockResolvedValueOnce({ path: '/home/carer/Downloads/grab-pack-x.pdf', sha256_hex: 'ab', page_count: 3 });
    render(Readout, { view, fail: () => {} });
    await fireEvent.click(screen.getByTestId('save-pdf'));
    await vi.waitFor(() => expect(screen.getByTestId('save-status').textContent).toContain('/home/carer/Downloads/grab-pack-x.pdf'));
    expect(screen.getByTestId('save-status').textContent).toContain('not encrypted');
    expect(invoke).toHaveBeenCalledWith('save_pack', { input: { child_id: view.episode.child_id, episode_id: view.episode.id } });
  });

  it('passes on the warning when the folder is one a sync service copies to the cloud', async () => {
    const warning = "This folder looks like one a sync service copies to the cloud ('Dropbox'): save it somewhere else.";
    invoke.mockResolvedValueOnce({ path: '/home/carer/Dropbox/grab-pack-x.pdf', warning, sha256_hex: 'ab', page_count: 3 });
    render(Readout, { view, fail: () => {} });
    await fireEvent.click(screen.getByTestId('save-pdf'));
    await vi.waitFor(() => expect(screen.getByTestId('save-status').textContent).toContain(warning));
  });

  it('reports a failed save in words, and never claims it saved', async () => {
    invoke.mockRejectedValueOnce({ code: 'app.save_failed', message: 'The PDF could not be saved.', fields: [], retry_after_seconds: null });
    const fail = vi.fn();
    render(Readout, { view, fail });
    await fireEvent.click(screen.getByTestId('save-pdf'));
    await vi.waitFor(() => expect(fail).toHaveBeenCalled());
    expect(screen.getByTestId('save-status').textContent).toBe('');
  });
});
