// A stand-in for the Tauri bridge in a plain browser, answering each command from the fixtures
// (written from a real demo store by src-tauri/tests/ui_fixtures.rs). Used only by the axe-core
// and screenshot checks; the real app is tested over WebDriver.
(() => {
  const fx = window.__GP_FIXTURES__;
  const scenario = new URLSearchParams(location.search).get('scenario') || 'app';
  const session = { actor_name: 'Demo Manager (fictional)', actor_kind: 'staff', can_administer: true, home_name: fx.settings.home_name, auto_lock_seconds: 300 };
  // 'app': the unlocked app; 'missing-now': the same with children already missing (pinned on
  // the dashboard); 'setup' and 'unlock' start locked.
  let unlocked = scenario === 'app' || scenario === 'missing-now';
  const err = (code, message, extra = {}) => ({ code, message, fields: [], retry_after_seconds: null, ...extra });
  const tinyJpeg = 'data:image/svg+xml;base64,' + btoa('<svg xmlns="http://www.w3.org/2000/svg" width="90" height="120"><rect width="90" height="120" fill="#8a9aa8"/><circle cx="45" cy="45" r="22" fill="#e0c8b0"/><rect x="18" y="75" width="54" height="45" fill="#50606e"/></svg>');
  // Sending and missing episodes. The fixtures hold real answers from a demo store when
  // ui_fixtures.rs has written them; until then, small hand-written ones of the same shape.
  const iso = (msAgo) => new Date(Date.now() - msAgo).toISOString();
  const clone = (x) => JSON.parse(JSON.stringify(x));
  const firstChild = fx.dashboard[fx.dashboard.length - 1];
  const fallbackEpisode = () => ({
    age: 15,
    child_name: firstChild.legal_name,
    readout: (fx.missing[firstChild.id] || {}).readout || 'Read-out (fictional).',
    checklist: {
      call_999_now: false,
      steps: [
        { id: 'search_home', label: 'Search the home and grounds' },
        { id: 'call_child', label: 'Call and text the child' },
        { id: 'contact_family_friends', label: 'Contact friends and family' },
        { id: 'check_places', label: 'Check known and risk-assessed places' },
        { id: 'check_social_media', label: 'Check social media' },
      ],
    },
    proposal: {
      recipients: [
        { id: 'police:met-central-west', role: 'police', name: 'Central West BCU (fictional contact)', channel: 'email', address: 'missing.centralwest@example.invalid', reason: "The home's police area" },
        { id: 'social_worker', role: 'social_worker', name: 'Jo Patel (fictional)', channel: 'email', address: 'jo.patel@example.invalid', reason: "The child's social worker" },
        { id: 'out_of_hours', role: 'out_of_hours', name: 'Placing council out-of-hours team (fictional)', channel: 'email', address: 'edt@example.invalid', reason: 'Out of office hours now' },
      ],
      unreachable: ['Independent reviewing officer (fictional): no email on the form'],
      call_advice: [],
    },
    messages: [],
    had_the_pack: [],
    flags: [],
    refusal_notices: [],
    practice: {
      force_id: 'metropolitan',
      risk_grading: { categories: [{ grading: 'very_low', words: 'Very low' }, { grading: 'low', words: 'Low' }, { grading: 'medium', words: 'Medium' }, { grading: 'high', words: 'High' }], source: 'Fictional source' },
      call_999: { at_or_under_age: 12, wording: 'report immediately', source: 'Fictional source' },
      prevention_interview: { within_hours: 24, wording: "within 24 hours of the child's return", source: 'Fictional source' },
    },
    prevention_interview_due_by: null,
    prevention_interview_overdue: false,
    episode: {
      episode_type: 'missing', type_changes: [], strategy_meetings: [], age_when_noticed: 15,
      id: 'ep-fallback', child_id: firstChild.id, acknowledgements: [], call_999_now: false, immediate_danger: false,
      history: [], not_accepted: [], noticed_at: iso(0), opened_at: iso(0), opened_by_name: session.actor_name,
      recipients: [], reports: [], steps: [], updates: [], part2: null, found: null, closed: null,
      prevention_interview: null, return_home_interview: null, return_home_interview_deadline: null, missing_from_unit: null,
    },
  });
  const baseEpisode = () => clone(fx.episode || fallbackEpisode());
  const fallbackUnits = [
    { id: 'met-central-west', kind: 'bcu', name: 'Central West BCU (Metropolitan Police, fictional contacts)', parent: 'met', nation: 'england', last_verified: '2026-01-01', areas: ['Westminster', 'Kensington and Chelsea', 'Hammersmith and Fulham'], unit_name_confirmed: true, channels: { email: 'missing.centralwest@example.invalid', https_intake: null, phone_emergency: '999', phone_non_emergency: '101', placeholder: false } },
    { id: 'met-south', kind: 'bcu', name: 'South BCU (Metropolitan Police, fictional contacts)', parent: 'met', nation: 'england', last_verified: '2025-06-01', areas: ['Bromley', 'Croydon', 'Sutton'], unit_name_confirmed: true, channels: { email: null, https_intake: null, phone_emergency: '999', phone_non_emergency: '101', placeholder: true } },
  ];
  const has = (x) => Array.isArray(x) ? x.length > 0 : !!x;
  let units = clone(has(fx.directory) ? fx.directory : fallbackUnits);
  let sendSettings = clone(fx.send_settings || { home_id: 'home-0000-fictional', extra_certificates: 0, trusted_certificates: [], shipped_public_domains: ['police.uk', 'gov.uk', 'nhs.net', 'cjsm.net'], public_domains: [], units_needing_contacts: [], home_police_unit: units[0] ? units[0].id : null, intakes: ['https://intake.example.invalid/grabpack'], smtp: { host: 'smtp.example.invalid', port: 587, security: 'starttls', username: 'maple.house@example.invalid', password_set: true, from: 'maple.house@example.invalid', from_name: 'Maple House (fictional)' } });
  const episodes = {};
  let openCards = [];
  if (scenario === 'missing-now') {
    openCards = clone(has(fx.open_episodes) ? fx.open_episodes : [
      { episode_id: 'ep-open', child_id: firstChild.id, child_name: firstChild.legal_name, call_999_now: false, noticed_at: iso(134 * 60000), found_at: null, deliveries: [] },
    ]);
    for (const o of openCards) {
      const v = baseEpisode();
      v.episode.id = o.episode_id;
      v.episode.child_id = o.child_id;
      v.child_name = o.child_name;
      v.episode.noticed_at = o.noticed_at;
      // The same absence recorded on another device too (both pressed Missing offline).
      v.episode.also_recorded = [{ episode_id: 'ep-other-device', noticed_at: iso(130 * 60000), opened_at: iso(129 * 60000), opened_by_name: 'Night worker (fictional)', closed: false }];
      episodes[o.episode_id] = v;
    }
    if (!has(fx.open_episodes)) openCards[0].deliveries = deliveriesFor(episodes['ep-open'], [], []);
  }
  function deliveriesFor(v, remove, add) {
    const chosen = v.proposal.recipients.filter((r) => !remove.includes(r.id));
    for (const a of add) chosen.push({ id: 'other:' + a, role: 'other', name: a, channel: a.startsWith('https://') ? 'https' : 'email', address: a, reason: 'Added by hand' });
    return chosen.map((r, i) => {
      const kind = ['delivered', 'retrying', 'failed'][i % 3];
      const d = { id: 'dl-' + v.episode.id + '-' + r.id, message_id: 'msg-1', child_id: v.episode.child_id, episode_id: v.episode.id, recipient_id: r.id, recipient_name: r.name, recipient_role: r.role, channel: r.channel, address: r.address, attempts: 0, idempotency_key: 'k' + i, payload_sha256: 'x', state: 'delivered', delivered_at: iso(0), receipt: '250 OK (fictional)', last_error: null, last_error_code: null, next_attempt_at: null };
      if (kind === 'retrying') Object.assign(d, { state: 'queued', attempts: 2, delivered_at: null, receipt: null, last_error_code: 'send.unreachable', last_error: 'The server could not be reached (connection refused).', next_attempt_at: new Date(Date.now() + 4 * 60000).toISOString() });
      if (kind === 'failed') Object.assign(d, { state: 'failed', attempts: 1, delivered_at: null, receipt: null, last_error_code: 'send.auth_failed', last_error: 'The mail server refused the user name or password.' });
      return d;
    });
  }
  const ep = (i) => {
    const v = episodes[i.episode_id];
    if (!v) throw err('store.episode_not_found', 'x');
    return v;
  };
  const by = () => ({ at: iso(0), event_id: Math.floor(Math.random() * 1e9), recorded_by_name: session.actor_name });
  // Everyone who had the pack: the app's rule (grabpack_send::followup::had_the_pack), mirrored
  // for the mock: queued, sending or delivered pack deliveries, once each.
  const hadThePack = (v) => {
    const had = [];
    for (const m of [...v.messages].reverse().filter((m) => m.purpose === 'pack')) {
      for (const d of m.deliveries) {
        if (!['queued', 'sending', 'delivered'].includes(d.state) || had.some((h) => h.address === d.address)) continue;
        had.push({ id: d.recipient_id, role: d.recipient_role, name: d.recipient_name, channel: d.channel, address: d.address, reason: 'had the pack' });
      }
    }
    return had;
  };
  const followUp = (v, purpose, note) => {
    const had = hadThePack(v);
    const n = v.messages.length;
    const deliveries = had.map((r) => ({ id: 'dl-' + purpose + '-' + n + '-' + r.id, message_id: 'msg-' + n, child_id: v.episode.child_id, episode_id: v.episode.id, recipient_id: r.id, recipient_name: r.name, recipient_role: r.role, channel: r.channel, address: r.address, attempts: 1, idempotency_key: 'k' + n + r.id, payload_sha256: 'x', state: 'delivered', delivered_at: iso(0), receipt: '250 OK (fictional)', last_error: null, last_error_code: null, next_attempt_at: null }));
    v.messages.unshift({ id: 'msg-' + n, child_id: v.episode.child_id, episode_id: v.episode.id, cover_note: note, created_at: iso(0), created_by: session.actor_name, purpose, pdf_sha256: null, deliveries });
  };
  const findDelivery = (id) => Object.values(episodes).flatMap((v) => v.messages.flatMap((m) => m.deliveries)).find((d) => d.id === id);

  // Sync: paired in the unlocked app (one device waiting to join, one revoked, a disagreement on
  // the child opened), not set up in the other scenarios. All ids and fingerprints fictional.
  const paired = scenario === 'app';
  const nowSecs = Math.floor(Date.now() / 1000);
  let homeDevices = [
    { device_id: '0b7c1d2e-aaaa-4bbb-8ccc-000000000001', status: 'active', fingerprint: 'C4C6 FCE6 FA12 0EFD E145 33AA 6658 9B07', this_device: true, created_at: nowSecs - 86400 * 30, last_seen_at: nowSecs - 60 },
    { device_id: '5e6f7a8b-aaaa-4bbb-8ccc-000000000002', status: 'active', fingerprint: '9A1B 22C3 D4E5 F607 1829 3A4B 5C6D 7E8F', this_device: false, created_at: nowSecs - 86400 * 20, last_seen_at: nowSecs - 3 * 3600 },
    { device_id: '9c8d7e6f-aaaa-4bbb-8ccc-000000000003', status: 'revoked', fingerprint: '0F1E 2D3C 4B5A 6978 8796 A5B4 C3D2 E1F0', this_device: false, created_at: nowSecs - 86400 * 60, last_seen_at: nowSecs - 86400 * 9 },
  ];
  const syncStatus = () => paired
    ? { words: 'up to date, just now', state: 'paired', hub_url: 'https://hub.example.invalid', home_id: '6f0c2a4e-1111-4222-8333-fictional0001', device_id: homeDevices[0].device_id, fingerprint: homeDevices[0].fingerprint, pairing_code: null, approved_by: homeDevices[1].device_id, approver_fingerprint: homeDevices[1].fingerprint, waiting_to_send: 0, refused: 0, last_error: null, children_with_disagreements: [{ child_id: firstChild.id, fields: 1 }] }
    : { words: 'this device does not sync: its records are on this device only', state: 'none', hub_url: null, home_id: null, device_id: null, fingerprint: null, pairing_code: null, approved_by: null, approver_fingerprint: null, waiting_to_send: 0, refused: 0, last_error: null, children_with_disagreements: [] };
  let disagreementOpen = paired;
  const handlers = {
    sync_status: () => syncStatus(),
    sync_now: () => syncStatus(),
    sync_enrol: () => { throw err('sync.refused', 'The hub refused the request (hub.bad_token): fictional'); },
    sync_pair: () => { throw err('sync.network', 'The hub could not be reached: fictional'); },
    sync_waiting: () => [{ device_id: 'aa11bb22-aaaa-4bbb-8ccc-000000000004', code: '780-407', fingerprint: 'AAAA BBBB CCCC DDDD EEEE FFFF 0000 1111', requested_at: nowSecs - 120 }],
    sync_approve: (i) => { if (!i.fingerprint.replace(/\s/g, '')) throw err('sync.fingerprint_mismatch', 'x'); return { device_id: 'aa11bb22-aaaa-4bbb-8ccc-000000000004', code: i.code, fingerprint: i.fingerprint, requested_at: nowSecs - 120 }; },
    sync_devices: () => clone(homeDevices),
    sync_revoke: (i) => { homeDevices = homeDevices.map((d) => d.device_id === i.device_id ? { ...d, status: 'revoked' } : d); return null; },
    disagreements: () => disagreementOpen ? [{ path: 'description.hair', label: 'Hair', shown: 'Dyed red, shoulder length (fictional)', other: 'Dark brown, shaved at the sides (fictional)' }] : [],
    choose_disagreement: () => { disagreementOpen = false; return { seq: 9, kind: 'edit', saved_at: iso(0), saved_by: 'staff:1', saved_by_name: session.actor_name, note: 'chose', changed_paths: ['description.hair'] }; },
    app_status: () => ({ store_exists: scenario !== 'setup', session: unlocked ? session : null, staff_on_device: ['Demo Manager (fictional)', 'Sam Okafor (fictional)'], keychain_available: true, demo: scenario !== 'setup', sending_while_locked: scenario === 'unlock-sending' ? 3 : 0 }),
    setup_store: () => { unlocked = true; return { recovery_key: 'ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789-ABCD-EFGH-JKLM-NPQR-STUV', session }; },
    unlock: (i) => { if (i.pin === '0000') throw err('store.wrong_secret', 'x'); if (i.pin === '9999') throw err('store.too_many_attempts', 'x', { retry_after_seconds: 300 }); unlocked = true; return session; },
    prepare_unlock: () => null,
    lock: () => { unlocked = false; return null; },
    still_here: () => null,
    fields: () => fx.fields,
    dashboard: (i) => ({ cards: i.first == null ? fx.dashboard : fx.dashboard.slice(0, i.first), total: fx.dashboard.length }),
    readiness: (i) => fx.readiness[i.child_id] || [],
    child: (i) => fx.children[i.child_id],
    history: (i) => fx.history[i.child_id] || [],
    diff: () => [{ path: 'identity.gender', before: null, after: 'Female' }],
    photo: () => tinyJpeg,
    staff: () => fx.staff,
    settings: () => fx.settings,
    set_settings: () => session,
    add_staff: (i) => ({ id: 'new', name: i.name, role: i.role, created_at: '2026-01-01', disabled_at: null, has_pin: !!i.pin }),
    audit_list: () => fx.audit,
    audit_verify: () => [{ device: null, entries: fx.audit.length, broken_at: null }],
    missing_preview: (i) => ({ ...fx.missing[i.child_id], open_episode_id: (openCards.find((o) => o.child_id === i.child_id && !o.closed) || {}).episode_id ?? null }),
    open_episodes: () => clone(openCards),
    missing_start: (i) => {
      const open = openCards.find((o) => o.child_id === i.child_id);
      if (open) return clone(episodes[open.episode_id]);
      const v = baseEpisode();
      const p = fx.missing[i.child_id] || {};
      const id = 'ep-' + (Object.keys(episodes).length + 1);
      const call999 = !!i.immediate_danger || !!p.call_999_now;
      Object.assign(v, { child_name: p.legal_name || v.child_name, age: p.age ?? v.age, readout: p.readout || v.readout, messages: [], flags: [] });
      v.checklist.call_999_now = call999;
      v.episode = { ...v.episode, id, child_id: i.child_id, immediate_danger: !!i.immediate_danger, call_999_now: call999, noticed_at: i.noticed_at || iso(0), opened_at: iso(0), opened_by_name: session.actor_name, acknowledgements: [], not_accepted: [], recipients: [], reports: [], steps: [], updates: [], part2: null, found: null, closed: null, prevention_interview: null, return_home_interview: null, return_home_interview_deadline: null, episode_type: 'missing', type_changes: [], strategy_meetings: [] };
      episodes[id] = v;
      openCards.push({ episode_id: id, child_id: i.child_id, child_name: v.child_name, call_999_now: call999, noticed_at: v.episode.noticed_at, found_at: null, deliveries: [] });
      return clone(v);
    },
    episode: (i) => clone(ep(i)),
    episode_step: (i) => { const v = ep(i); v.episode.steps.push({ ...by(), step_id: i.step_id, label: i.label, outcome: i.outcome || '' }); return clone(v); },
    episode_part2: (i) => { const v = ep(i); v.episode.part2 = { ...by(), ...i.part2 }; return clone(v); },
    episode_report: (i) => { const v = ep(i); v.episode.reports.push({ ...by(), ...i.report }); return clone(v); },
    episode_not_accepted: (i) => { const v = ep(i); if (!i.refusal.reason) throw err('app.reason_required', 'x'); const n = { ...by(), ...i.refusal, event_id: 900 + v.episode.not_accepted.length }; v.episode.not_accepted.push(n); (v.refusal_notices = v.refusal_notices || []).push({ entry: n.event_id, message_id: null, summary: 'The notice is still on its way to Jo Patel (fictional) (social worker), Placing council out-of-hours team (fictional) (out-of-hours team) (not delivered yet).' }); return clone(v); },
    episode_update: (i) => { const v = ep(i); if (!i.update.text) throw err('app.update_empty', 'x'); v.episode.updates.push({ ...by(), ...i.update }); return clone(v); },
    episode_send: (i) => {
      const v = ep(i);
      const deliveries = deliveriesFor(v, i.remove || [], i.add || []).map((d) => ({ ...d, id: d.id + '-' + v.messages.length, message_id: 'msg-' + v.messages.length }));
      if (!deliveries.length) throw err('store.no_recipients', 'x');
      v.messages.unshift({ id: 'msg-' + v.messages.length, child_id: v.episode.child_id, episode_id: v.episode.id, cover_note: i.note || '', created_at: iso(0), created_by: session.actor_name, purpose: 'pack', pdf_sha256: null, deliveries });
      const card = openCards.find((o) => o.episode_id === v.episode.id);
      if (card) card.deliveries = deliveries;
      v.had_the_pack = hadThePack(v);
      return clone(v);
    },
    episode_send_update: (i) => {
      const v = ep(i);
      if (!hadThePack(v).length) throw err('send.no_pack_yet', 'x');
      followUp(v, 'update', i.note || 'UPDATE 1: replaces the pack sent earlier (fictional).');
      return clone(v);
    },
    delivery_retry: (i) => { const d = findDelivery(i.delivery_id); if (!d) throw err('store.delivery_not_found', 'x'); Object.assign(d, { state: 'queued', next_attempt_at: iso(0) }); return clone(d); },
    delivery_give_up: (i) => { const d = findDelivery(i.delivery_id); if (!d) throw err('store.delivery_not_found', 'x'); if (!i.reason) throw err('app.reason_required', 'x'); Object.assign(d, { state: 'given_up', given_up_reason: i.reason, given_up_by: session.actor_name }); return clone(d); },
    episode_found: (i) => {
      const v = ep(i);
      const at = i.at || iso(0);
      if (!v.episode.found && !v.messages.some((m) => m.purpose === 'returned_notice') && hadThePack(v).length) followUp(v, 'returned_notice', '');
      v.episode.found = { ...by(), at, ...i.found };
      const back = i.found.returned_to_placement_at || at;
      v.episode.return_home_interview_deadline = { due_by: new Date(Date.parse(back) + 72 * 3600000).toISOString(), offered: false, carried_out: false, met: false, refused: false, overdue: false };
      const hours = v.practice.prevention_interview.within_hours;
      v.prevention_interview_due_by = hours ? new Date(Date.parse(back) + hours * 3600000).toISOString() : null;
      const card = openCards.find((o) => o.episode_id === v.episode.id);
      if (card) card.found_at = at;
      return clone(v);
    },
    episode_interview: (i) => {
      const v = ep(i);
      if (i.prevention) v.episode.prevention_interview = { ...by(), ...i.prevention };
      if (i.return_home) {
        v.episode.return_home_interview = { ...by(), ...i.return_home };
        const d = v.episode.return_home_interview_deadline;
        Object.assign(d, { offered: true, carried_out: i.return_home.outcome === 'carried_out', refused: i.return_home.outcome === 'refused' });
        d.met = d.carried_out;
      }
      return clone(v);
    },
    episode_type: (i) => { const v = ep(i); v.episode.type_changes.push({ ...by(), ...i.change }); v.episode.episode_type = i.change.episode_type; return clone(v); },
    episode_strategy_meeting: (i) => { const v = ep(i); v.episode.strategy_meetings.push({ ...by(), at: i.at, ...i.meeting }); return clone(v); },
    set_strategy_meeting_rule: (i) => { if (i.episodes < 2 || i.within_days < 1 || i.within_days > 365) throw err('store.bad_strategy_rule', 'x'); fx.settings.strategy_meeting = i; return clone(fx.settings); },
    episode_close: (i) => {
      const v = ep(i);
      v.episode.closed = { ...by(), ...i.closure };
      v.flags = [
        { id: 1, child_id: v.episode.child_id, episode_id: v.episode.id, kind: 'review_after_episode', raised_at: iso(0), detail: {} },
        { id: 2, child_id: v.episode.child_id, episode_id: v.episode.id, kind: 'strategy_meeting', raised_at: iso(0), detail: {} },
      ];
      openCards = openCards.filter((o) => o.episode_id !== v.episode.id);
      return clone(v);
    },
    save_pack: () => ({ path: '/home/carer/Downloads/grab-pack-2026-12-02-0525.pdf', warning: null, sha256_hex: '0'.repeat(64), page_count: 2 }),
    episode_pack: (i) => { const v = ep(i); const p = fx.missing[v.episode.child_id] || Object.values(fx.missing)[0]; return { pdf_base64: p.pdf_base64, sha256_hex: p.sha256_hex, page_count: p.page_count, file_name: 'grab-pack-fictional.pdf' }; },
    send_settings: () => clone(sendSettings),
    set_home_unit: (i) => { sendSettings.home_police_unit = i.unit_id; return clone(sendSettings); },
    set_public_domains: (i) => { sendSettings.public_domains = i.domains.map((d) => d.trim().toLowerCase()).filter(Boolean); return clone(sendSettings); },
    set_smtp: (i) => { sendSettings.smtp = { host: i.host, port: i.port, security: i.security, username: i.username, from: i.from, from_name: i.from_name || '', password_set: sendSettings.smtp?.password_set || !!i.password }; return clone(sendSettings); },
    set_intake_token: (i) => { if (!sendSettings.intakes.includes(i.url)) sendSettings.intakes.push(i.url); return clone(sendSettings); },
    trust_certificate: () => { sendSettings.extra_certificates += 1; sendSettings.trusted_certificates.push({ sha256_fingerprint: 'DF:7A:54:93:D6:78:81:7E:37:8C:3A:FB:4C:3B:9E:C3:77:D5:83:54:E9:4A:A9:E3:CB:A1:67:EF:6F:03:CC:FD' }); return clone(sendSettings); },
    remove_certificate: (i) => { sendSettings.trusted_certificates = sendSettings.trusted_certificates.filter((c) => c.sha256_fingerprint !== i.sha256_fingerprint); sendSettings.extra_certificates = sendSettings.trusted_certificates.length; return clone(sendSettings); },
    send_test: (i) => { if (i.target === 'smtp') return 'The mail server accepted a test message (fictional).'; throw err('send.intake_unauthorised', 'x'); },
    directory: (i) => clone(i.area ? units.filter((u) => (u.areas || []).some((a) => a.toLowerCase().includes(i.area.toLowerCase()))) : units),
    directory_edit: (i) => {
      const u = units.find((x) => x.id === i.unit_id);
      Object.assign(u.channels, { email: i.email ?? null, https_intake: i.https_intake ?? null, phone_non_emergency: i.phone_non_emergency ?? u.channels.phone_non_emergency, placeholder: false });
      u.last_verified = i.last_verified || new Date().toISOString().slice(0, 10);
      return clone(u);
    },
    save_form: () => { throw err('form.invalid', 'x', { fields: [{ path: 'money_travel.bank_cards[0].last4', code: 'form.card_not_last4', message: 'Keep only the last 4 digits of a card number' }] }); },
    review: () => ({ seq: 9, kind: 'review', saved_at: '2026-11-28T10:00:00Z', saved_by: 'x', saved_by_name: 'Demo Manager (fictional)', changed_paths: [], note: '' }),
    'plugin:event|listen': () => 1,
    'plugin:event|unlisten': () => null,
  };
  let cb = 0;
  window.__TAURI_INTERNALS__ = {
    invoke: async (cmd, args) => {
      const h = handlers[cmd];
      if (!h) throw err('app.unexpected', 'no mock for ' + cmd);
      return h((args && args.input) || {});
    },
    transformCallback: (f) => { const id = ++cb; window['_' + id] = f; return id; },
    unregisterCallback: () => {},
    metadata: { currentWindow: { label: 'main' }, currentWebview: { windowLabel: 'main', label: 'main' } },
  };
  window.__TAURI_EVENT_PLUGIN_INTERNALS__ = { unregisterListener: () => {} };
})();
