// Words and small calculations for the missing episode screens, kept apart from the markup so the
// tests can prove them directly.
import { wordsFor } from '../../lib/errors';
import type { Audience, Delivery, DeliveryState, Purpose, Recipient, ReportChannel, RiskGrading, UpdateKind } from '../../bindings/types';

/** "missing 2 h 14 min" style: how long since the absence was noticed. */
export function elapsed(fromIso: string, now: Date = new Date()): string {
  const from = Date.parse(fromIso);
  if (Number.isNaN(from)) return '';
  const mins = Math.max(0, Math.floor((now.getTime() - from) / 60000));
  if (mins < 1) return 'less than a minute';
  const d = Math.floor(mins / 1440);
  const h = Math.floor((mins % 1440) / 60);
  const m = mins % 60;
  const parts: string[] = [];
  if (d) parts.push(`${d} day${d === 1 ? '' : 's'}`);
  if (h) parts.push(`${h} h`);
  if (m && !d) parts.push(`${m} min`);
  return parts.join(' ');
}

/** 24-hour clock time, local: "14:05". */
export function hhmm(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return '';
  return `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`;
}

/** Day and time, local: "Sat 28 Nov, 14:05". */
export function when(iso: string | null | undefined): string {
  if (!iso) return '';
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return '';
  const day = t.toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short' });
  return `${day}, ${hhmm(iso)}`;
}

/** The value for a time input now: "HH:MM". */
export function nowTime(now: Date = new Date()): string {
  return hhmm(now.toISOString());
}

/**
 * A time of day typed by the person, as an instant: today at that time, or yesterday when that
 * would be in the future (absence noticed at 23:50, recorded at 00:10). Empty or unreadable: null,
 * so the app uses "now".
 */
export function timeToIso(value: string, now: Date = new Date()): string | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(value.trim());
  if (!m) return null;
  const t = new Date(now);
  t.setHours(Number(m[1]), Number(m[2]), 0, 0);
  if (t.getTime() > now.getTime() + 60000) t.setDate(t.getDate() - 1);
  return t.toISOString();
}

/** Which version of the pack a recipient got: each audience reads only what it needs. */
export const VERSION_WORDS: Record<Audience, string> = {
  police: 'Full pack',
  second_force: 'Full pack (second police force)',
  social_care: 'Full pack (social care)',
  extra_address: 'Page 1 and Part 2',
  extra_address_widened: 'Full pack (widened by a manager)',
};

/**
 * The version a delivery carried, for a pack or an update ("" for a notice, which is the same for
 * everyone). A delivery queued before versions existed had the one full pack.
 */
export function versionWords(d: Delivery, purpose: Purpose): string {
  if (purpose !== 'pack' && purpose !== 'update') return '';
  return d.audience ? VERSION_WORDS[d.audience] : VERSION_WORDS.police;
}

export const STATE_WORDS: Record<DeliveryState, string> = {
  queued: 'Queued',
  sending: 'Sending',
  delivered: 'Delivered',
  failed: 'Failed — waiting for a person',
  given_up: 'Given up',
};

/** Queued again after an attempt that did not work: it will be tried again by itself. */
export function isRetrying(d: Pick<Delivery, 'state' | 'attempts'>): boolean {
  return d.state === 'queued' && d.attempts > 0;
}

/** The tag's words for a delivery, including when the next try is. */
export function deliveryWords(d: Pick<Delivery, 'state' | 'attempts' | 'next_attempt_at'>): string {
  if (isRetrying(d)) return d.next_attempt_at ? `Retrying, next try at ${hhmm(d.next_attempt_at)}` : 'Retrying';
  return STATE_WORDS[d.state] ?? d.state;
}

/** Why the last attempt did not work, in staff words; the app's own text when the code is new. */
export function deliveryProblem(d: Pick<Delivery, 'last_error_code' | 'last_error'>): string {
  return wordsFor(d.last_error_code) ?? d.last_error ?? '';
}

/** The tag colour class for a state. */
export function stateClass(d: Pick<Delivery, 'state' | 'attempts'>): string {
  if (d.state === 'delivered') return 'ready';
  if (d.state === 'failed') return 'not_ready';
  if (d.state === 'given_up') return 'optional';
  return isRetrying(d) ? 'attention' : 'pending';
}

/** The proposal's recipients the person un-ticked, for `remove`. */
export function removedIds(recipients: Pick<Recipient, 'id'>[], chosen: Record<string, boolean>): string[] {
  return recipients.filter((r) => chosen[r.id] === false).map((r) => r.id);
}

/** An extra address to add: an email address or an https intake address, or why not. */
export function checkExtra(value: string, already: string[]): { ok: true; value: string } | { ok: false; text: string } {
  const v = value.trim();
  if (!v) return { ok: false, text: 'Enter an email address or an https address to add' };
  if (already.includes(v)) return { ok: false, text: `${v} is already in the list` };
  if (/^https:\/\/\S+$/i.test(v)) return { ok: true, value: v };
  if (/^http:\/\//i.test(v)) return { ok: false, text: 'Use the https address: packs are only sent over an encrypted link' };
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) return { ok: true, value: v };
  return { ok: false, text: 'Enter an email address like name@example.org, or an address starting https://' };
}

export const REPORT_CHANNELS: { value: ReportChannel; label: string }[] = [
  { value: 'phone999', label: '999 call' },
  { value: 'phone101', label: '101 call' },
  { value: 'email', label: 'Email' },
  { value: 'online_portal', label: 'Online portal' },
  { value: 'intake', label: 'Police intake (sent from here)' },
  { value: 'in_person', label: 'In person' },
];

/** The form's words for each grading; a police report offers only its force's categories (and
 *  words) from the episode view's `practice`, so "no apparent risk" is shown only as recorded. */
export const RISK_WORDS: Record<RiskGrading, string> = {
  no_apparent_risk: 'No apparent risk (absent), as recorded',
  very_low: 'Very low',
  low: 'Low',
  medium: 'Medium',
  high: 'High',
};

export const UPDATE_KINDS: { value: UpdateKind; label: string }[] = [
  { value: 'sighting', label: 'Sighting' },
  { value: 'information', label: 'Information' },
  { value: 'call', label: 'Call' },
  { value: 'passed_to_police', label: 'Passed to police' },
];

export const ROLE_WORDS: Record<string, string> = {
  police: 'Police',
  social_worker: 'Social worker',
  out_of_hours: 'Out-of-hours team',
  manager: 'Manager',
  other: 'Other',
};

/** The role in brackets after a name, unless the name already says it ("Jo (social worker)"). */
export function roleAfter(name: string, role: string): string {
  const words = ROLE_WORDS[role] ?? role;
  const first = words.toLowerCase().split(' ')[0];
  return name.toLowerCase().includes(first) ? '' : `(${words})`;
}

export const FLAG_WORDS: Record<string, string> = {
  review_after_episode: "Review the child's form with what was learned",
  strategy_meeting: 'Three or more episodes in 30 days: ask for a strategy meeting',
};

/** Lines of a textarea, trimmed, without the empty ones. */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}
