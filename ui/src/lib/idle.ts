// Tells the app the person is still there (throttled), so the idle lock counts real inactivity
// and not the time since the last command. The app itself enforces the lock.
export function trackActivity(onActive: () => void, everyMs = 30_000): () => void {
  let last = 0;
  const handler = () => {
    const now = Date.now();
    if (now - last >= everyMs) {
      last = now;
      onActive();
    }
  };
  const events = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;
  for (const e of events) window.addEventListener(e, handler, { passive: true });
  return () => {
    for (const e of events) window.removeEventListener(e, handler);
  };
}
