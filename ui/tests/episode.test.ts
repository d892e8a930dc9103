import { cleanup, fireEvent, render, screen, within } from '@testing-library/svelte';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';

const invoke = vi.fn();
vi.mock('@tauri-apps/api/core', () => ({ invoke: (...a: unknown[]) => invoke(...a) }));
vi.mock('@tauri-apps/api/event', () => ({ listen: () => Promise.resolve(() => {}) }));

import Episode from '../src/screens/Episode.svelte';
import Missing from '../src/screens/Missing.svelte';
import Dashboard from '../src/screens/Dashboard.svelte';
import Settings from '../src/screens/Settings.svelte';
import { nav } from '../src/lib/router.svelte';
import {
  checkExtra,
  deliveryProblem,
  deliveryWords,
  elapsed,
  lines,
  removedIds,
  roleAfter,
  timeToIso,
} from '../src/components/episode/format';
import { describe as say, KNOWN_CODES } from '../src/lib/errors';
import type { Delivery, EpisodeView, OpenEpisodeCard } from '../src/bindings/types';

beforeAll(() => {
  URL.createObjectURL = vi.fn(() => 'blob:fictional');
  URL.revokeObjectURL = vi.fn();
  window.scrollTo = vi.fn() as unknown as typeof window.scrollTo;
});

afterEach(() => {
  cleanup();
  invoke.mockReset();
});

const T0 = '2026-11-28T20:00:00Z';

function delivery(over: Partial<Delivery>): Delivery {
  return {
    id: 'd1', message_id: 'm1', child_id: 'c1', episode_id: 'e1', recipient_id: 'police:met-cw', recipient_name: 'Central West (fictional)',
    recipient_role: 'police', channel: 'email', address: 'cw@example.invalid', attempts: 0, idempotency_key: 'k', payload_sha256: 'x',
    state: 'queued', sent_from_another_device: false, ...over,
  };
}

/** A force's practice as the view carries it (fictional sources). */
const PRACTICE: EpisodeView['practice'] = {
  force_id: 'metropolitan',
  risk_grading: {
    categories: [
      { grading: 'very_low', words: 'Very low' },
      { grading: 'low', words: 'Low' },
      { grading: 'medium', words: 'Medium' },
      { grading: 'high', words: 'High' },
    ],
    source: 'Test source (fictional)',
  },
  call_999: { at_or_under_age: 12, wording: 'report immediately', source: 'Test source (fictional)' },
  prevention_interview: { within_hours: 24, wording: 'within 24 hours of the return', source: 'Test source (fictional)' },
};

function view(over: Partial<EpisodeView['episode']> = {}, rest: Partial<EpisodeView> = {}): EpisodeView {
  return {
    age: 15,
    child_name: 'Maya Thompson (fictional)',
    readout: 'Name: Maya Thompson (fictional)',
    checklist: { call_999_now: false, steps: [{ id: 'search_home', label: 'Search the home' }, { id: 'call_child', label: 'Call the child' }] },
    proposal: {
      recipients: [
        { id: 'police:met-cw', role: 'police', name: 'Central West (fictional)', channel: 'email', address: 'cw@example.invalid', reason: "The home's police area" },
        { id: 'social_worker', role: 'social_worker', name: 'Jo Patel (fictional)', channel: 'email', address: 'jo@example.invalid', reason: 'Social worker' },
        { id: 'out_of_hours', role: 'out_of_hours', name: 'EDT (fictional)', channel: 'email', address: 'edt@example.invalid', reason: 'Out of hours' },
      ],
      unreachable: ['IRO (fictional)'],
      call_advice: [],
    },
    messages: [],
    had_the_pack: [],
    flags: [],
    refusal_notices: [],
    practice: PRACTICE,
    prevention_interview_overdue: false,
    episode: {
      id: 'e1', child_id: 'c1', acknowledgements: [], call_999_now: false, immediate_danger: false, history: [], not_accepted: [],
      noticed_at: T0, opened_at: T0, opened_by_name: 'Sam (fictional)', recipients: [], reports: [], steps: [], updates: [],
      episode_type: 'missing', type_changes: [], strategy_meetings: [], also_recorded: [],
      ...over,
    },
    ...rest,
  };
}

/** Answers `episode` with the view, and every other command through `others`. */
function serve(v: EpisodeView, others: Record<string, (input: unknown) => unknown> = {}) {
  invoke.mockImplementation(async (cmd: string, args?: { input?: unknown }) => {
    if (cmd === 'episode') return v;
    if (others[cmd]) return others[cmd](args?.input);
    throw { code: 'app.unexpected', message: 'no mock for ' + cmd, fields: [] };
  });
}

const callsOf = (cmd: string) => invoke.mock.calls.filter((c) => c[0] === cmd).map((c) => (c[1] as { input: unknown }).input);

describe('the words and sums behind the episode screen', () => {
  it('says how long a child has been missing in hours and minutes', () => {
    expect(elapsed(T0, new Date('2026-11-28T22:14:30Z'))).toBe('2 h 14 min');
    expect(elapsed(T0, new Date('2026-11-28T20:00:20Z'))).toBe('less than a minute');
    expect(elapsed(T0, new Date('2026-11-28T20:45:00Z'))).toBe('45 min');
    expect(elapsed(T0, new Date('2026-11-30T23:00:00Z'))).toBe('2 days 3 h');
  });

  it('says a queued delivery that already failed once is retrying, with the next try time', () => {
    const next = new Date(2026, 10, 28, 21, 5).toISOString();
    expect(deliveryWords(delivery({ state: 'queued', attempts: 2, next_attempt_at: next }))).toBe('Retrying, next try at 21:05');
    expect(deliveryWords(delivery({ state: 'queued', attempts: 0 }))).toBe('Queued');
    expect(deliveryWords(delivery({ state: 'failed', attempts: 1 }))).toBe('Failed — waiting for a person');
    expect(deliveryWords(delivery({ state: 'given_up' }))).toBe('Given up');
    expect(deliveryWords(delivery({ state: 'delivered' }))).toBe('Delivered');
  });

  it('explains a delivery problem in staff words, and only falls back to the app text for a new code', () => {
    expect(deliveryProblem({ last_error_code: 'send.auth_failed', last_error: 'raw 535' })).toContain('refused the user name or password');
    expect(deliveryProblem({ last_error_code: 'send.something_new', last_error: 'The server said no.' })).toBe('The server said no.');
  });

  it('lists only the unticked proposed recipients for removal', () => {
    const rs = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
    expect(removedIds(rs, {})).toEqual([]);
    expect(removedIds(rs, { b: false, c: true })).toEqual(['b']);
  });

  it('accepts an email or https address to add, and refuses plain http and nonsense', () => {
    expect(checkExtra(' duty@example.invalid ', [])).toEqual({ ok: true, value: 'duty@example.invalid' });
    expect(checkExtra('https://intake.example.invalid/x', []).ok).toBe(true);
    expect(checkExtra('http://intake.example.invalid', []).ok).toBe(false);
    expect(checkExtra('not an address', []).ok).toBe(false);
    expect(checkExtra('a@b.co', ['a@b.co']).ok).toBe(false);
  });

  it('reads a typed time as today, or yesterday when it would be in the future', () => {
    const now = new Date(2026, 10, 29, 0, 10);
    expect(new Date(timeToIso('23:50', now)!).getDate()).toBe(28);
    expect(new Date(timeToIso('00:05', now)!).getDate()).toBe(29);
    expect(timeToIso('', now)).toBeNull();
  });

  it('adds the role after a name only when the name does not already say it', () => {
    expect(roleAfter('Jordan Lee (fictional) (social worker)', 'social_worker')).toBe('');
    expect(roleAfter('Jo Patel (fictional)', 'social_worker')).toBe('(Social worker)');
    expect(roleAfter('Exampleton Emergency Duty Team (out-of-hours team)', 'out_of_hours')).toBe('');
    expect(roleAfter('Metropolitan Police Central South BCU', 'police')).toBe('');
  });

  it('splits new places and people one per line, dropping empty lines', () => {
    expect(lines(' Bus station \n\n Park ')).toEqual(['Bus station', 'Park']);
  });

  it('has staff words for every sending and episode error code', () => {
    const codes = [
      'send.tls_required', 'send.bad_address', 'send.smtp_not_configured', 'send.no_address', 'send.unknown_unit',
      'send.directory_invalid', 'send.settings_invalid', 'send.bad_certificate', 'send.compose_failed', 'send.auth_failed',
      'send.untrusted_certificate', 'send.unknown_host', 'send.unreachable', 'send.timeout', 'send.too_large', 'send.rejected',
      'send.server_busy', 'send.intake_unauthorised', 'send.intake_conflict', 'send.intake_rejected', 'send.no_token', 'send.ack_feed',
      'app.reason_required', 'app.update_empty', 'send.smtp_incomplete', 'send.token_required', 'store.episode_not_found',
      'store.episode_closed', 'store.event_not_found', 'store.delivery_not_found', 'store.delivery_state', 'store.no_recipients',
      'store.engagement_ended',
    ];
    for (const code of codes) expect(KNOWN_CODES, code).toContain(code);
    expect(say({ code: 'send.smtp_not_configured', retryAfterSeconds: null })).not.toContain('grabpack ');
  });
});

describe('the episode screen', () => {
  it('says when the same absence was also recorded on another device, and opens that record', async () => {
    serve(view({ also_recorded: [{ episode_id: 'e2', noticed_at: T0, opened_at: T0, opened_by_name: 'Night worker (fictional)', closed: false }] }));
    render(Episode, { id: 'e1' });
    const banner = await screen.findByTestId('also-recorded');
    expect(banner.textContent).toContain('Tell the police it is one absence');
    expect(banner.textContent).toContain('Night worker (fictional)');
    await fireEvent.click(screen.getByRole('button', { name: /Open the other record/ }));
    expect(nav.route).toEqual({ name: 'episode', id: 'e2' });
    cleanup();
    serve(view());
    render(Episode, { id: 'e1' });
    await screen.findByTestId('elapsed');
    expect(screen.queryByTestId('also-recorded')).toBeNull();
  });

  it('shows the agreed trigger plan while the child is missing, and not once found', async () => {
    const plan = { when_to_report: 'Not back by 22:00 and not answering (fictional)', agreed: 'Agreed with Police (PC 1234 Example)' };
    serve(view({}, { trigger_plan: plan }));
    render(Episode, { id: 'e1' });
    expect((await screen.findByTestId('trigger-plan-when')).textContent).toBe('Not back by 22:00 and not answering (fictional)');
    cleanup();
    serve(view({ found: { at: '2026-11-28T23:00:00Z', event_id: 5, found_where: 'Bus station', recorded_by_name: 'Sam (fictional)' } } as never, { trigger_plan: plan }));
    render(Episode, { id: 'e1' });
    await screen.findByTestId('elapsed');
    expect(screen.queryByTestId('trigger-plan')).toBeNull();
  });

  it('sends the pack without the recipients unticked, and with the addresses added', async () => {
    const v = view();
    serve(v, { episode_send: () => v });
    render(Episode, { id: 'e1' });
    const box = (await screen.findByTestId('recipient-social_worker')) as HTMLInputElement;
    expect(box.checked).toBe(true);
    await fireEvent.click(box);
    await fireEvent.input(screen.getByLabelText('Also send to (email address or https intake address)'), { target: { value: 'duty@example.invalid' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(screen.getByTestId('extras').textContent).toContain('duty@example.invalid');
    await fireEvent.click(screen.getByTestId('send-pack'));
    await vi.waitFor(() => expect(callsOf('episode_send')).toHaveLength(1));
    expect(callsOf('episode_send')[0]).toEqual({ episode_id: 'e1', remove: ['social_worker'], add: ['duty@example.invalid'], manager_reason: null, widen: [], widen_reason: null, note: '' });
  });

  it('sends an added address the full pack only when ticked, with the manager\'s reason', async () => {
    const v = view();
    serve(v, { episode_send: () => v });
    render(Episode, { id: 'e1' });
    await fireEvent.input(await screen.findByLabelText('Also send to (email address or https intake address)'), { target: { value: 'advocate@example.invalid' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(screen.queryByTestId('widen-reason')).toBeNull();
    await fireEvent.click(screen.getByLabelText('Send advocate@example.invalid the full pack (manager only)'));
    await fireEvent.input(screen.getByTestId('widen-reason'), { target: { value: 'Her advocate is searching with police (fictional)' } });
    await fireEvent.click(screen.getByTestId('send-pack'));
    await vi.waitFor(() => expect(callsOf('episode_send')).toHaveLength(1));
    expect(callsOf('episode_send')[0]).toMatchObject({
      add: ['advocate@example.invalid'],
      widen: ['advocate@example.invalid'],
      widen_reason: 'Her advocate is searching with police (fictional)',
    });
  });

  it('still sends when widening is refused: the added address gets page 1 and Part 2, and the person is told why', async () => {
    const v = view();
    let first = true;
    serve(v, {
      episode_send: () => {
        if (first) {
          first = false;
          throw { code: 'send.widen_needs_manager', message: 'raw', fields: [] };
        }
        return v;
      },
    });
    render(Episode, { id: 'e1' });
    await fireEvent.input(await screen.findByLabelText('Also send to (email address or https intake address)'), { target: { value: 'advocate@example.invalid' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    await fireEvent.click(screen.getByLabelText('Send advocate@example.invalid the full pack (manager only)'));
    await fireEvent.click(screen.getByTestId('send-pack'));
    await vi.waitFor(() => expect(callsOf('episode_send')).toHaveLength(2));
    expect(callsOf('episode_send')[1]).toMatchObject({ add: ['advocate@example.invalid'], widen: [], widen_reason: null });
    expect((await screen.findByText(/got page 1 and Part 2 only/)).textContent).toContain('ask the manager on call');
  });

  it('says which version of the pack each recipient got', async () => {
    const v = view({}, {
      messages: [{
        id: 'm1', child_id: 'c1', cover_note: '', created_at: T0, created_by: 's', purpose: 'pack', sent_from_another_device: false,
        deliveries: [
          delivery({ id: 'd1', recipient_id: 'police:met-cw', audience: 'police' }),
          delivery({ id: 'd2', recipient_id: 'social_worker', recipient_name: 'Jo Patel (fictional)', recipient_role: 'social_worker', audience: 'social_care' }),
          delivery({ id: 'd3', recipient_id: 'other:advocate@example.invalid', recipient_name: 'advocate@example.invalid', recipient_role: 'other', audience: 'extra_address' }),
          delivery({ id: 'd4', recipient_id: 'other:aunt@example.invalid', recipient_name: 'aunt@example.invalid', recipient_role: 'other', audience: 'extra_address_widened' }),
        ],
      }],
    });
    serve(v);
    render(Episode, { id: 'e1' });
    await screen.findAllByTestId('delivery');
    const versions = screen.getAllByTestId('delivery-version').map((e) => e.textContent);
    expect(versions).toEqual([
      'Version: Full pack',
      'Version: Full pack (social care)',
      'Version: Page 1 and Part 2',
      'Version: Full pack (widened by a manager)',
    ]);
  });

  it('says first to phone a police unit with no confirmed address, with its number, before the read-out', async () => {
    const v = view({}, {
      proposal: {
        recipients: [],
        unreachable: [],
        call_advice: [{
          unit_id: 'met-cs', unit_name: 'Central South BCU (fictional)', why: 'police for where the child went missing',
          phone_non_emergency: '101', phone_emergency: '999',
          call: 'Call 101 (999 if in danger) and say you have a Philomena Protocol form',
          no_address: 'no confirmed address for Central South BCU (fictional): a manager can add it in Settings',
        }],
      },
    });
    serve(v);
    render(Episode, { id: 'e1' });
    const advice = await screen.findByTestId('call-advice');
    expect(advice.textContent).toContain('Call 101 (999 if in danger) and say you have a Philomena Protocol form');
    expect(advice.textContent).toContain('no confirmed address for Central South BCU (fictional): a manager can add it in Settings');
    expect(advice.querySelector('a[href="tel:101"]')).toBeTruthy();
    const readout = screen.getByTestId('readout');
    expect(advice.compareDocumentPosition(readout) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  });

  it('sends a manager\'s reason with an added address', async () => {
    const v = view();
    serve(v, { episode_send: () => v });
    render(Episode, { id: 'e1' });
    await fireEvent.input(await screen.findByLabelText('Also send to (email address or https intake address)'), { target: { value: 'aunt@example.invalid' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    await fireEvent.input(screen.getByLabelText(/Manager's reason/), { target: { value: 'Her aunt is searching (fictional)' } });
    await fireEvent.click(screen.getByTestId('send-pack'));
    await vi.waitFor(() => expect(callsOf('episode_send')).toHaveLength(1));
    expect(callsOf('episode_send')[0]).toMatchObject({ add: ['aunt@example.invalid'], manager_reason: 'Her aunt is searching (fictional)' });
  });

  it('still sends to everyone else when an added address needs a manager, and says why it was not used', async () => {
    const v = view();
    let first = true;
    serve(v, {
      episode_send: () => {
        if (first) {
          first = false;
          throw { code: 'send.needs_manager', message: 'raw', fields: [] };
        }
        return v;
      },
    });
    render(Episode, { id: 'e1' });
    await fireEvent.input(await screen.findByLabelText('Also send to (email address or https intake address)'), { target: { value: 'aunt@example.invalid' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    await fireEvent.click(screen.getByTestId('send-pack'));
    await vi.waitFor(() => expect(callsOf('episode_send')).toHaveLength(2));
    expect(callsOf('episode_send')[0]).toMatchObject({ add: ['aunt@example.invalid'] });
    expect(callsOf('episode_send')[1]).toMatchObject({ add: [], manager_reason: null });
    expect((await screen.findByText(/Sent to everyone else/)).textContent).toContain('ask the manager on call');
  });

  it('says who a refusal notice reached only as the view says it', async () => {
    serve(view({}, { refusal_notices: [{ entry: 7, message_id: null, summary: 'There is no social worker email address on the child\'s form: nobody was sent the notice for them. Phone them.' }] }));
    render(Episode, { id: 'e1' });
    const said = await screen.findByTestId('refusal-notice');
    expect(said.textContent).toContain('nobody was sent the notice');
    expect(screen.getByTestId('refusal-notices').textContent).not.toContain('was told');
  });

  it('refuses an added address that is not email or https, at the field, without sending', async () => {
    serve(view());
    render(Episode, { id: 'e1' });
    const input = await screen.findByLabelText('Also send to (email address or https intake address)');
    await fireEvent.input(input, { target: { value: 'http://insecure.example.invalid' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(screen.getByRole('link', { name: /Use the https address/ }).getAttribute('href')).toBe('#add-recipient');
    expect(input.getAttribute('aria-invalid')).toBe('true');
  });

  it('still sends to everyone else when an address typed but not added cannot be used, and says so', async () => {
    const v = view();
    serve(v, { episode_send: () => v });
    render(Episode, { id: 'e1' });
    const input = await screen.findByLabelText('Also send to (email address or https intake address)');
    await fireEvent.input(input, { target: { value: 'not an address' } });
    await fireEvent.click(screen.getByTestId('send-pack'));
    await vi.waitFor(() => expect(callsOf('episode_send')).toHaveLength(1));
    expect((callsOf('episode_send')[0] as { add: string[] }).add).toEqual([]);
    expect((await screen.findByRole('link', { name: /Sent to everyone else/ })).getAttribute('href')).toBe('#add-recipient');
  });

  it('sends to an address typed but not yet added', async () => {
    const v = view();
    serve(v, { episode_send: () => v });
    render(Episode, { id: 'e1' });
    const input = await screen.findByLabelText('Also send to (email address or https intake address)');
    await fireEvent.input(input, { target: { value: 'duty@example.invalid' } });
    await fireEvent.click(screen.getByTestId('send-pack'));
    await vi.waitFor(() => expect(callsOf('episode_send')).toHaveLength(1));
    expect((callsOf('episode_send')[0] as { add: string[] }).add).toEqual(['duty@example.invalid']);
  });

  it('lists people with no address to phone', async () => {
    serve(view());
    render(Episode, { id: 'e1' });
    const box = await screen.findByTestId('unreachable');
    expect(box.textContent).toContain('No address: phone them');
    expect(box.textContent).toContain('IRO (fictional)');
  });

  it('shows each delivery state in words, offers a retry only for retrying or failed ones, and retries on request', async () => {
    const next = new Date(2026, 10, 28, 21, 5).toISOString();
    const v = view({}, {
      messages: [{
        id: 'm1', child_id: 'c1', cover_note: '', created_at: T0, created_by: 's', purpose: 'pack', sent_from_another_device: false,
        deliveries: [
          delivery({ id: 'd1', state: 'delivered', recipient_id: 'police:met-cw', delivered_at: T0 }),
          delivery({ id: 'd2', state: 'queued', attempts: 2, next_attempt_at: next, recipient_id: 'social_worker', recipient_name: 'Jo Patel (fictional)', last_error_code: 'send.unreachable', last_error: 'connection refused' }),
          delivery({ id: 'd3', state: 'failed', attempts: 1, recipient_id: 'out_of_hours', recipient_name: 'EDT (fictional)', last_error_code: 'send.auth_failed' }),
        ],
      }],
    });
    serve(v, { delivery_retry: () => v.messages[0].deliveries[2] });
    render(Episode, { id: 'e1' });
    await screen.findAllByTestId('delivery');
    const rows = screen.getAllByTestId('delivery');
    expect(rows.map((r) => r.dataset.state)).toEqual(['delivered', 'queued', 'failed']);
    expect(rows.map((r) => r.dataset.recipient)).toEqual(['police:met-cw', 'social_worker', 'out_of_hours']);
    expect(rows[1].textContent).toContain('Retrying, next try at 21:05');
    expect(rows[1].textContent).toContain('could not be reached');
    expect(rows[1].textContent).not.toContain('connection refused');
    expect(rows[2].textContent).toContain('Failed — waiting for a person');
    expect(within(rows[0]).queryByTestId('retry')).toBeNull();
    expect(within(rows[1]).getByTestId('retry')).toBeTruthy();
    await fireEvent.click(within(rows[2]).getByTestId('retry'));
    await vi.waitFor(() => expect(callsOf('delivery_retry')).toEqual([{ delivery_id: 'd3' }]));
  });

  it('shows a pack sent from another of the home\'s devices with its states, and offers no retry here', async () => {
    const v = view({}, {
      messages: [{ id: 'm1', child_id: 'c1', cover_note: '', created_at: T0, created_by: 's', purpose: 'pack', sent_from_another_device: true, deliveries: [delivery({ id: 'd3', state: 'failed', attempts: 1, sent_from_another_device: true }), delivery({ id: 'd4', state: 'delivered', sent_from_another_device: true })] }],
    });
    serve(v);
    render(Episode, { id: 'e1' });
    expect((await screen.findByTestId('sent-elsewhere')).textContent).toContain('another of the home');
    const states = screen.getAllByTestId('delivery').map((r) => r.getAttribute('data-state'));
    expect(states).toEqual(['failed', 'delivered']);
    expect(screen.queryByTestId('retry')).toBeNull();
    expect(screen.queryByTestId('give-up')).toBeNull();
  });

  it('will not stop trying a delivery without a reason, and sends the reason when given', async () => {
    const v = view({}, {
      messages: [{ id: 'm1', child_id: 'c1', cover_note: '', created_at: T0, created_by: 's', purpose: 'pack', sent_from_another_device: false, deliveries: [delivery({ id: 'd3', state: 'failed', attempts: 1 })] }],
    });
    serve(v, { delivery_give_up: () => v.messages[0].deliveries[0] });
    render(Episode, { id: 'e1' });
    const stop = await screen.findByTestId('give-up');
    await fireEvent.click(stop);
    expect(callsOf('delivery_give_up')).toHaveLength(0);
    expect(screen.getByRole('link', { name: /Say why you are stopping/ }).getAttribute('href')).toBe('#give-up-d3');
    await fireEvent.input(screen.getByLabelText(/Why stop sending to/), { target: { value: 'Handed over in person' } });
    await fireEvent.click(stop);
    await vi.waitFor(() => expect(callsOf('delivery_give_up')).toEqual([{ delivery_id: 'd3', reason: 'Handed over in person' }]));
  });

  it('records a ticked step with its id, label and outcome, and then shows when and who', async () => {
    const v = view();
    const after = view({ steps: [{ at: T0, event_id: 1, label: 'Search the home', outcome: 'Not in the home', recorded_by_name: 'Sam (fictional)', step_id: 'search_home' }] });
    serve(v, { episode_step: () => after });
    render(Episode, { id: 'e1' });
    await screen.findByText('Nothing here has to be finished before you report.');
    await fireEvent.input(screen.getAllByLabelText('What happened (optional)')[0], { target: { value: 'Not in the home' } });
    await fireEvent.click(screen.getByTestId('step-search_home'));
    await vi.waitFor(() => expect(callsOf('episode_step')).toEqual([{ episode_id: 'e1', step_id: 'search_home', label: 'Search the home', outcome: 'Not in the home' }]));
    await screen.findByText(/Done at .* by Sam \(fictional\): Not in the home/);
    expect((screen.getByTestId('step-search_home') as HTMLInputElement).checked).toBe(true);
  });

  it('offers an update only once someone has had the pack, names who gets it, and sends it with the note', async () => {
    const had = [{ id: 'social_worker', role: 'social_worker' as const, name: 'Jo Patel (fictional)', channel: 'email' as const, address: 'jo@example.invalid', reason: 'had the pack' }];
    serve(view());
    render(Episode, { id: 'e1' });
    await screen.findByTestId('record-found');
    expect(screen.queryByTestId('send-update')).toBeNull();
    cleanup();
    const v = view({}, { had_the_pack: had });
    serve(v, { episode_send_update: () => v });
    render(Episode, { id: 'e1' });
    const section = await screen.findByTestId('send-update');
    expect(section.textContent).toContain('Jo Patel (fictional)');
    await fireEvent.input(screen.getByLabelText('What has changed (optional, goes at the top of the email)'), { target: { value: 'Seen in a red coat (fictional)' } });
    await fireEvent.click(screen.getByTestId('send-update-button'));
    await vi.waitFor(() => expect(callsOf('episode_send_update')).toHaveLength(1));
    expect(callsOf('episode_send_update')[0]).toEqual({ episode_id: 'e1', note: 'Seen in a red coat (fictional)' });
  });

  it('says who will be told when the child is found, and after found that everyone who had the pack was told', async () => {
    const had = [{ id: 'social_worker', role: 'social_worker' as const, name: 'Jo Patel (fictional)', channel: 'email' as const, address: 'jo@example.invalid', reason: 'had the pack' }];
    serve(view({}, { had_the_pack: had }));
    render(Episode, { id: 'e1' });
    const before = await screen.findByTestId('returned-notice');
    expect(before.textContent).toContain('these people are told at once');
    expect(before.textContent).toContain('Jo Patel (fictional)');
    cleanup();
    const notice = { id: 'm2', child_id: 'c1', episode_id: 'e1', purpose: 'returned_notice' as const, created_at: T0, created_by: 'Sam (fictional)', pdf_sha256: null, cover_note: '', sent_from_another_device: false, deliveries: [delivery({ id: 'd2', message_id: 'm2', recipient_id: 'social_worker', recipient_name: 'Jo Patel (fictional)', state: 'delivered' })] };
    serve(view({ found: { event_id: 9, at: T0, recorded_by_name: 'Sam (fictional)', found_where: 'Bus station (fictional)', found_by: '', found_with: '', injuries: '', disclosures: '', new_risks: '' } }, { had_the_pack: had, messages: [notice] }));
    render(Episode, { id: 'e1' });
    await screen.findByTestId('returned-told');
    expect(screen.queryByTestId('send-update')).toBeNull();
    expect(screen.getByTestId('returned-notice').textContent).toContain('Returned notice sent');
  });

  it('offers recording found but not closing while the child is still missing', async () => {
    serve(view());
    render(Episode, { id: 'e1' });
    await screen.findByTestId('record-found');
    expect(screen.queryByTestId('close-episode')).toBeNull();
    expect(screen.queryByLabelText('Officer', { selector: '#prevention-officer' })).toBeNull();
    expect(screen.getByTestId('elapsed').textContent).toMatch(/Missing/);
  });

  it('after found, shows the 72-hour deadline, the interviews and the close form, and saves the interviews', async () => {
    const v = view({
      found: { at: '2026-11-28T23:00:00Z', event_id: 5, found_where: 'Bus station', recorded_by_name: 'Sam (fictional)' },
      return_home_interview_deadline: { due_by: '2026-12-01T23:00:00Z', offered: false, carried_out: false, met: false, refused: false, overdue: false },
    });
    serve(v, { episode_interview: () => v });
    render(Episode, { id: 'e1' });
    await screen.findByTestId('rhi-deadline');
    expect(screen.queryByTestId('record-found')).toBeNull();
    expect(screen.getByTestId('close-episode')).toBeTruthy();
    expect(screen.getByTestId('elapsed').textContent).toContain('Found after 3 h');
    expect(screen.getByTestId('found').textContent).toMatch(/\d at Bus station/);
    await fireEvent.input(document.getElementById('prevention-officer')!, { target: { value: 'PC Example' } });
    await fireEvent.click(screen.getByTestId('save-prevention'));
    await fireEvent.input(document.getElementById('rhi-by')!, { target: { value: 'Advocate' } });
    await fireEvent.click(screen.getByLabelText('Yes'));
    await fireEvent.click(screen.getByTestId('save-rhi'));
    await vi.waitFor(() => expect(callsOf('episode_interview')).toHaveLength(2));
    expect(callsOf('episode_interview')[0]).toEqual({
      episode_id: 'e1',
      prevention: { officer: 'PC Example', note: '', how: null, with_whom: null, child_engaged: null, disclosed: null },
    });
    expect(callsOf('episode_interview')[1]).toEqual({
      episode_id: 'e1',
      at: null,
      return_home: { by: 'Advocate', note: '', accepted: true, outcome: 'offered', organisation: '', same_worker_as_last_time: null, report_received: null },
    });
  });

  it('warns when the return-home interview is overdue', async () => {
    serve(view({
      found: { at: '2026-11-20T23:00:00Z', event_id: 5, recorded_by_name: 'Sam' },
      return_home_interview_deadline: { due_by: '2026-11-23T23:00:00Z', offered: false, carried_out: false, met: false, refused: false, overdue: true },
    }));
    render(Episode, { id: 'e1' });
    expect((await screen.findByTestId('rhi-overdue')).textContent).toContain('overdue');
  });

  it('closes with places and people one per line, then says it is closed and lists the flags', async () => {
    const found = { at: '2026-11-28T23:00:00Z', event_id: 5, recorded_by_name: 'Sam' };
    const closed = view(
      { found, closed: { at: '2026-11-29T10:00:00Z', event_id: 9, recorded_by_name: 'Sam (fictional)', summary: 'Home safe' } },
      { flags: [{ id: 1, child_id: 'c1', kind: 'strategy_meeting', raised_at: T0, detail: {} }] },
    );
    serve(view({ found }), { episode_close: () => closed });
    render(Episode, { id: 'e1' });
    await fireEvent.input(await screen.findByLabelText('What happened'), { target: { value: 'Home safe' } });
    await fireEvent.input(screen.getByLabelText('New places'), { target: { value: 'Bus station\n\nPark' } });
    await fireEvent.click(screen.getByTestId('close-episode'));
    await screen.findByTestId('episode-closed');
    expect(callsOf('episode_close')[0]).toEqual({ episode_id: 'e1', closure: { summary: 'Home safe', new_places: ['Bus station', 'Park'], new_people: [], harm: '' } });
    expect(screen.getByTestId('flags').textContent).toContain('strategy meeting');
    expect(screen.queryByTestId('close-episode')).toBeNull();
    expect(screen.queryByTestId('send-pack')).toBeNull();
  });

  it('saves the police report with the channel, reference, officer, collar and grading', async () => {
    const v = view();
    serve(v, { episode_report: () => v });
    render(Episode, { id: 'e1' });
    await fireEvent.click(await screen.findByLabelText('101 call'));
    await fireEvent.input(screen.getByLabelText('Police reference'), { target: { value: 'CAD 1234' } });
    await fireEvent.input(document.getElementById('report-officer')!, { target: { value: 'PC Example' } });
    await fireEvent.input(document.getElementById('report-collar')!, { target: { value: '1234' } });
    await fireEvent.change(screen.getByLabelText('Risk grading the police gave'), { target: { value: 'medium' } });
    await fireEvent.click(screen.getByTestId('save-report'));
    await vi.waitFor(() =>
      expect(callsOf('episode_report')).toEqual([
        { episode_id: 'e1', report: { how: 'phone101', reference: 'CAD 1234', officer_name: 'PC Example', collar_number: '1234', risk_grading: 'medium', police_words: '' } },
      ]),
    );
  });

  it('shows a command error in staff words at the top, never the raw text', async () => {
    serve(view(), { episode_send: () => { throw { code: 'store.episode_closed', message: 'rusqlite raw', fields: [] }; } });
    render(Episode, { id: 'e1' });
    await fireEvent.click(await screen.findByTestId('send-pack'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('This missing episode is closed');
    expect(alert.textContent).not.toContain('rusqlite');
  });
});

describe('the Missing screen', () => {
  const preview = { age: 15, call_999_now: false, child_id: 'c1', legal_name: 'Maya Thompson (fictional)', page_count: 3, pdf_base64: 'JVBERi0=', readout: 'Name: Maya', revision: 2, sha256_hex: 'x', warnings: [] };
  const units = [{ id: 'kent', kind: 'force', name: 'Kent Police', nation: 'England', parent: null, areas: [], channels: {}, last_verified: '2026-11-01', unit_name_confirmed: true, edited: false }];
  const answer = (id: string) => async (cmd: string) => (cmd === 'missing_preview' ? preview : cmd === 'directory' ? units : view({ id }));

  it('starts the episode with immediate danger when the person says yes, then opens it', async () => {
    invoke.mockImplementation(answer('e42'));
    render(Missing, { id: 'c1' });
    await screen.findByTestId('readout');
    await fireEvent.click(screen.getByLabelText('Yes, or I am not sure'));
    await fireEvent.click(screen.getByTestId('start-episode'));
    await vi.waitFor(() => expect(nav.route).toEqual({ name: 'episode', id: 'e42' }));
    const input = callsOf('missing_start')[0] as { immediate_danger: boolean; child_id: string; noticed_at: string; missing_from_unit: null };
    expect(input.child_id).toBe('c1');
    expect(input.immediate_danger).toBe(true);
    expect(input.missing_from_unit).toBeNull();
    expect(Math.abs(Date.parse(input.noticed_at) - Date.now())).toBeLessThan(2 * 60000);
  });

  it('starts without immediate danger when the person has not said yes', async () => {
    invoke.mockImplementation(answer('e43'));
    render(Missing, { id: 'c1' });
    await fireEvent.click(await screen.findByTestId('start-episode'));
    await vi.waitFor(() => expect(callsOf('missing_start')).toHaveLength(1));
    expect((callsOf('missing_start')[0] as { immediate_danger: boolean }).immediate_danger).toBe(false);
  });

  it('starts the episode for another police area when the child went missing away from home', async () => {
    invoke.mockImplementation(answer('e44'));
    render(Missing, { id: 'c1' });
    await screen.findByRole('option', { name: 'Kent Police' });
    await fireEvent.change(screen.getByLabelText(/Where did .* go missing from\?/), { target: { value: 'kent' } });
    await fireEvent.click(screen.getByTestId('start-episode'));
    await vi.waitFor(() => expect(callsOf('missing_start')).toHaveLength(1));
    expect((callsOf('missing_start')[0] as { missing_from_unit: string | null }).missing_from_unit).toBe('kent');
  });

  it('shows the agreed trigger plan where staff decide to report', async () => {
    const plan = { when_to_report: 'Not back by 22:00 and not answering (fictional)', agreed: 'Agreed with Police (PC 1234 Example); Social worker (Jo Patel) on 14 Sep 2026' };
    invoke.mockImplementation(async (cmd: string) => (cmd === 'missing_preview' ? { ...preview, trigger_plan: plan } : cmd === 'directory' ? units : null));
    render(Missing, { id: 'c1' });
    expect((await screen.findByTestId('trigger-plan-when')).textContent).toBe('Not back by 22:00 and not answering (fictional)');
    expect(screen.getByTestId('trigger-plan-agreed').textContent).toContain('PC 1234 Example');
    expect(screen.getByRole('heading', { name: 'When to report Maya Thompson (fictional): the agreed trigger plan' })).toBeTruthy();
  });

  it('says plainly when no trigger plan was agreed', async () => {
    invoke.mockImplementation(answer('e45'));
    render(Missing, { id: 'c1' });
    expect((await screen.findByTestId('trigger-plan-none')).textContent).toContain('No trigger plan is recorded');
  });

  it('goes to the open episode instead of starting a second one', async () => {
    invoke.mockImplementation(async () => ({ ...preview, open_episode_id: 'e7' }));
    render(Missing, { id: 'c1' });
    await screen.findByText('An episode is already open');
    expect(screen.queryByTestId('start-episode')).toBeNull();
    await fireEvent.click(screen.getByTestId('go-to-episode'));
    expect(nav.route).toEqual({ name: 'episode', id: 'e7' });
  });
});

describe('the dashboard', () => {
  // The app's answer to `dashboard`: the first cards asked for, or all, with the count of all.
  const cardsPage = (cards: unknown[], args: unknown) => {
    const first = (args as { input?: { first?: number | null } } | undefined)?.input?.first;
    return { cards: first == null ? cards : cards.slice(0, first), total: cards.length };
  };
  const card = { id: 'c1', legal_name: 'Maya Thompson (fictional)', known_as: [], reasons: [], critical_missing: 0, state: 'ready' as const, age: 15 };
  const open: OpenEpisodeCard = {
    episode_id: 'e9', child_id: 'c1', child_name: 'Maya Thompson (fictional)', call_999_now: false, noticed_at: new Date(Date.now() - 74 * 60000).toISOString(), found_at: null,
    deliveries: [delivery({ id: 'd1', state: 'delivered' }), delivery({ id: 'd2', state: 'failed', recipient_name: 'EDT' })],
  };

  it('pins a child missing now above the children, with each delivery state, and its Missing button opens the episode', async () => {
    invoke.mockImplementation(async (cmd: string, args?: unknown) => (cmd === 'dashboard' ? cardsPage([card], args) : cmd === 'open_episodes' ? [open] : null));
    render(Dashboard);
    const pinned = await screen.findByTestId('open-episode');
    expect(pinned.textContent).toContain('for 1 h 14 min');
    expect(within(pinned).getAllByTestId('open-episode-delivery').map((t) => t.dataset.state)).toEqual(['delivered', 'failed']);
    await screen.findByTestId('child-card');
    await fireEvent.click(screen.getByTestId('missing-button'));
    expect(nav.route).toEqual({ name: 'episode', id: 'e9' });
  });

  it('says a child\'s record cannot be read instead of showing an empty name, and keeps the other children', async () => {
    const damaged = { ...card, id: 'c2', legal_name: '', state: 'not_ready' as const, damaged: true, age: null };
    invoke.mockImplementation(async (cmd: string, args?: unknown) => (cmd === 'dashboard' ? cardsPage([damaged, card], args) : cmd === 'open_episodes' ? [] : null));
    render(Dashboard);
    expect((await screen.findByTestId('damaged-record')).textContent).toContain('cannot be read');
    expect(screen.getAllByTestId('child-card')).toHaveLength(2);
    expect(screen.getByRole('button', { name: 'Maya Thompson (fictional)' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: '' })).toBeNull();
  });

  it('draws a large home\'s first screenful at once and more cards only as the end of the list nears the screen', async () => {
    // Every card is a live component: a home of 1,000 children drawn whole made a tap on Missing
    // wait while 1,000 cards were taken down.
    const observers: { callback: IntersectionObserverCallback; target?: Element; gone: boolean }[] = [];
    class WatchedByTheTest {
      callback: IntersectionObserverCallback;
      target?: Element;
      gone = false;
      constructor(callback: IntersectionObserverCallback) {
        this.callback = callback;
        observers.push(this);
      }
      observe(target: Element) { this.target = target; }
      disconnect() { this.gone = true; }
      unobserve() {}
      takeRecords() { return []; }
    }
    vi.stubGlobal('IntersectionObserver', WatchedByTheTest);
    try {
      const many = Array.from({ length: 200 }, (_, i) => ({ ...card, id: `c${i}`, legal_name: `Child ${i} (fictional)` }));
      invoke.mockImplementation(async (cmd: string, args?: unknown) => (cmd === 'dashboard' ? cardsPage(many, args) : cmd === 'open_episodes' ? [] : null));
      render(Dashboard);
      await screen.findAllByTestId('child-card');
      expect(screen.getAllByTestId('child-card')).toHaveLength(24);
      // The first screenful's cards were asked for on their own, then every card.
      await vi.waitFor(() =>
        expect(invoke.mock.calls.filter(([cmd]) => cmd === 'dashboard').map(([, args]) => args)).toEqual([
          { input: { first: 24 } },
          { input: {} },
        ]),
      );
      const nearing = () => {
        const end = screen.getByTestId('more-children');
        const watching = observers.filter((o) => o.target === end && !o.gone);
        expect(watching).toHaveLength(1);
        watching[0].callback([{ isIntersecting: true, target: end } as unknown as IntersectionObserverEntry], watching[0] as unknown as IntersectionObserver);
      };
      expect(screen.getByTestId('more-children').textContent).toContain('Showing 24 of 200 children');
      for (const drawn of [104, 184, 200]) {
        nearing();
        await vi.waitFor(() => expect(screen.getAllByTestId('child-card')).toHaveLength(drawn));
      }
      expect(screen.queryByTestId('more-children')).toBeNull();
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('shows no Missing now section when nobody is missing', async () => {
    invoke.mockImplementation(async (cmd: string, args?: unknown) => (cmd === 'dashboard' ? cardsPage([card], args) : cmd === 'open_episodes' ? [] : null));
    render(Dashboard);
    await screen.findByTestId('child-card');
    expect(screen.queryByText('Missing now')).toBeNull();
    await fireEvent.click(screen.getByTestId('missing-button'));
    expect(nav.route).toEqual({ name: 'missing', id: 'c1' });
  });
});

describe('the sending settings', () => {
  const sending = { home_id: 'home-0000-fictional', extra_certificates: 0, trusted_certificates: [], home_police_unit: null, intakes: [],
    shipped_public_domains: ['police.uk', 'gov.uk', 'nhs.net', 'cjsm.net'], public_domains: ['council.example.org'],
    units_needing_contacts: [{ unit_id: 'u1', unit_name: 'South BCU (fictional)', why: "the home's own police area" }], smtp: { host: 'smtp.example.invalid', port: 587, security: 'starttls' as const, username: 'u', password_set: true, from: 'home@example.invalid', from_name: 'Home' } };
  const answers: Record<string, unknown> = {
    settings: { home_name: 'Home', protective_marking: 'OFFICIAL-SENSITIVE', auto_lock_minutes: 5, readiness: { review_interval_days: 30, photo_max_age_days: 90 } },
    staff: [], app_status: { keychain_available: true }, send_settings: sending, set_smtp: sending,
    directory: [{ id: 'u1', kind: 'bcu', name: 'South BCU (fictional)', last_verified: '2025-01-01', channels: { placeholder: true } }],
    sync_status: { words: 'this device does not sync: its records are on this device only', state: 'none', hub_url: null, home_id: null, device_id: null, fingerprint: null, pairing_code: null, approved_by: null, approver_fingerprint: null, waiting_to_send: 0, refused: 0, last_error: null, children_with_disagreements: [] },
  };

  it('keeps the saved password when the password field is left empty, and warns about placeholder contacts', async () => {
    invoke.mockImplementation(async (cmd: string) => answers[cmd]);
    render(Settings, { onSession: () => {} });
    expect((await screen.findByText(/Leave empty to keep the saved password/)).textContent).toBeTruthy();
    expect(screen.getByText(/Placeholder contacts/)).toBeTruthy();
    await fireEvent.click(screen.getByTestId('save-smtp'));
    await vi.waitFor(() => expect(callsOf('set_smtp')).toHaveLength(1));
    expect(callsOf('set_smtp')[0]).toMatchObject({ host: 'smtp.example.invalid', port: 587, password: null, security: 'starttls' });
  });

  it('lists the police units still needing confirmed contacts, and saves the home\'s own public-service domains', async () => {
    invoke.mockImplementation(async (cmd: string) => (cmd === 'set_public_domains' ? sending : answers[cmd]));
    render(Settings, { onSession: () => {} });
    const units = await screen.findByTestId('units-needing-contacts');
    expect(units.textContent).toContain('South BCU (fictional)');
    expect(units.querySelector('a[href="#directory-area"]')).toBeTruthy();
    const box = screen.getByLabelText(/Other domains/) as HTMLTextAreaElement;
    expect(box.value).toBe('council.example.org');
    await fireEvent.input(box, { target: { value: 'council.example.org\nhealth.example.org' } });
    await fireEvent.click(screen.getByTestId('save-public-domains'));
    await vi.waitFor(() => expect(callsOf('set_public_domains')).toHaveLength(1));
    expect(callsOf('set_public_domains')[0]).toEqual({ domains: ['council.example.org', 'health.example.org'] });
  });

  it('shows the answer of a failed test in staff words', async () => {
    invoke.mockImplementation(async (cmd: string) => {
      if (cmd === 'send_test') throw { code: 'send.auth_failed', message: '535 raw', fields: [] };
      return answers[cmd];
    });
    render(Settings, { onSession: () => {} });
    await fireEvent.click(await screen.findByTestId('test-smtp'));
    expect((await screen.findByTestId('test-smtp-result')).textContent).toContain('refused the user name or password');
  });
});

describe('words and rules as practice uses them', () => {
  it("offers only the force's risk categories, never 'no apparent risk', and saves the police's own words", async () => {
    const scotland = { ...PRACTICE, force_id: 'scotland', risk_grading: { categories: [{ grading: 'low' as const, words: 'Low' }, { grading: 'medium' as const, words: 'Medium' }, { grading: 'high' as const, words: 'High' }], source: 'Fictional' } };
    const v = view({}, { practice: scotland });
    serve(v, { episode_report: () => v });
    render(Episode, { id: 'e1' });
    const select = (await screen.findByLabelText('Risk grading the police gave')) as HTMLSelectElement;
    const offered = [...select.options].map((o) => o.value);
    expect(offered).toEqual(['', 'low', 'medium', 'high']);
    await fireEvent.change(select, { target: { value: 'high' } });
    await fireEvent.input(screen.getByLabelText("The police's own words for the risk"), { target: { value: 'high, review at 2am (fictional)' } });
    await fireEvent.click(screen.getByTestId('save-report'));
    await vi.waitFor(() => expect(callsOf('episode_report')).toHaveLength(1));
    expect((callsOf('episode_report')[0] as { report: { risk_grading: string; police_words: string } }).report).toMatchObject({
      risk_grading: 'high',
      police_words: 'high, review at 2am (fictional)',
    });
  });

  it("offers the carer the force's categories for their view of the risk, never 'no apparent risk'", async () => {
    serve(view());
    render(Episode, { id: 'e1' });
    await screen.findByText('Your view of the risk');
    expect(document.getElementById('p2-risk-very_low')).not.toBeNull();
    expect(document.getElementById('p2-risk-no_apparent_risk')).toBeNull();
  });

  it("shows an 'absent' grading recorded before as it was recorded, with the police's words", async () => {
    serve(view({ reports: [{ event_id: 3, at: T0, recorded_by_name: 'Sam', risk_grading: 'no_apparent_risk', police_words: 'absent (fictional)' }] }));
    render(Episode, { id: 'e1' });
    expect((await screen.findByTestId('report-grading-shown')).textContent).toContain('No apparent risk');
    expect(screen.getByTestId('report-police-words-shown').textContent).toBe('absent (fictional)');
  });

  it("puts the force's 999 age line and wording on the Missing screen", async () => {
    const preview = {
      age: 11, call_999_now: true, child_id: 'c1', legal_name: 'Maya Thompson (fictional)', page_count: 3, pdf_base64: 'JVBERi0=', readout: 'Name: Maya', revision: 2, sha256_hex: 'x', warnings: [],
      call_999: { at_or_under_age: 12, wording: 'report immediately', source: 'Fictional' },
    };
    invoke.mockImplementation(async (cmd: string) => (cmd === 'missing_preview' ? preview : cmd === 'directory' ? [] : view()));
    render(Missing, { id: 'c1' });
    const now = await screen.findByTestId('call-999-now');
    expect(now.textContent).toContain('12 or under');
    expect(now.textContent).toContain('report immediately');
  });

  it('records a change of type with why, and lists every change', async () => {
    const changed = view({ episode_type: 'away_without_authorisation', type_changes: [{ event_id: 9, at: T0, recorded_by_name: 'Sam', episode_type: 'away_without_authorisation', reason: "at a friend's (fictional)" }] });
    serve(view(), { episode_type: () => changed });
    render(Episode, { id: 'e1' });
    await fireEvent.click(await screen.findByTestId('change-type'));
    expect(callsOf('episode_type')).toHaveLength(0);
    await fireEvent.input(screen.getByLabelText(/Why it is now away without authorisation/), { target: { value: "at a friend's (fictional)" } });
    await fireEvent.click(screen.getByTestId('change-type'));
    await vi.waitFor(() => expect(callsOf('episode_type')).toHaveLength(1));
    expect(callsOf('episode_type')[0]).toEqual({ episode_id: 'e1', change: { episode_type: 'away_without_authorisation', reason: "at a friend's (fictional)" } });
    expect((await screen.findByTestId('type-changes')).textContent).toContain("at a friend's (fictional)");
  });

  it('says a return-home interview only offered past the deadline is overdue, and a refusal is a refusal', async () => {
    const found = { at: '2026-11-20T23:00:00Z', event_id: 5, recorded_by_name: 'Sam' };
    serve(view({ found, return_home_interview_deadline: { due_by: '2026-11-23T23:00:00Z', offered: true, carried_out: false, met: false, refused: false, overdue: true } }));
    render(Episode, { id: 'e1' });
    expect((await screen.findByTestId('rhi-overdue')).textContent).toContain('an offer alone does not count');
    cleanup();
    serve(view({ found, return_home_interview_deadline: { due_by: '2026-11-23T23:00:00Z', offered: true, carried_out: false, met: false, refused: true, overdue: false } }));
    render(Episode, { id: 'e1' });
    expect((await screen.findByTestId('rhi-deadline')).textContent).toContain('refused');
  });

  it('records a strategy meeting once the flag is raised', async () => {
    const flagged = view({}, { flags: [{ id: 2, child_id: 'c1', episode_id: 'e1', kind: 'strategy_meeting', raised_at: T0, detail: {} }] });
    serve(flagged, { episode_strategy_meeting: () => flagged });
    render(Episode, { id: 'e1' });
    await fireEvent.input(await screen.findByLabelText('Date held'), { target: { value: '2026-12-01' } });
    await fireEvent.input(screen.getByLabelText('Who attended'), { target: { value: 'Social worker (fictional)\nDS Test (fictional)' } });
    await fireEvent.change(screen.getByLabelText('Did police attend?'), { target: { value: 'yes' } });
    await fireEvent.click(screen.getByTestId('save-meeting'));
    await vi.waitFor(() => expect(callsOf('episode_strategy_meeting')).toHaveLength(1));
    expect(callsOf('episode_strategy_meeting')[0]).toMatchObject({
      episode_id: 'e1',
      meeting: { attended: ['Social worker (fictional)', 'DS Test (fictional)'], police_attended: true, decisions: '' },
    });
  });
});
