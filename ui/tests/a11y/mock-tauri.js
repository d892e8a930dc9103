// A stand-in for the Tauri bridge in a plain browser, answering each command from the fixtures
// (written from a real demo store by src-tauri/tests/ui_fixtures.rs). Used only by the axe-core
// and screenshot checks; the real app is tested over WebDriver.
(() => {
  const fx = window.__GP_FIXTURES__;
  const scenario = new URLSearchParams(location.search).get('scenario') || 'app';
  const session = { actor_name: 'Demo Manager (fictional)', actor_kind: 'staff', can_administer: true, home_name: fx.settings.home_name, auto_lock_seconds: 300 };
  let unlocked = scenario === 'app';
  const err = (code, message, extra = {}) => ({ code, message, fields: [], retry_after_seconds: null, ...extra });
  const tinyJpeg = 'data:image/svg+xml;base64,' + btoa('<svg xmlns="http://www.w3.org/2000/svg" width="90" height="120"><rect width="90" height="120" fill="#8a9aa8"/><circle cx="45" cy="45" r="22" fill="#e0c8b0"/><rect x="18" y="75" width="54" height="45" fill="#50606e"/></svg>');
  const handlers = {
    app_status: () => ({ store_exists: scenario !== 'setup', session: unlocked ? session : null, staff_on_device: ['Demo Manager (fictional)', 'Sam Okafor (fictional)'], keychain_available: true, demo: scenario !== 'setup' }),
    setup_store: () => { unlocked = true; return { recovery_key: 'ABCD-EFGH-JKLM-NPQR-STUV-WXYZ-2345-6789-ABCD-EFGH-JKLM-NPQR-STUV', session }; },
    unlock: (i) => { if (i.pin === '0000') throw err('store.wrong_secret', 'x'); if (i.pin === '9999') throw err('store.too_many_attempts', 'x', { retry_after_seconds: 300 }); unlocked = true; return session; },
    lock: () => { unlocked = false; return null; },
    still_here: () => null,
    fields: () => fx.fields,
    dashboard: () => fx.dashboard,
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
    audit_verify: () => ({ entries: fx.audit.length, broken_at: null }),
    missing_preview: (i) => fx.missing[i.child_id],
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
