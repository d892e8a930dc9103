// Where the person is in the app. Kept tiny: no URL routing (the app has one window and no links
// from outside), so the screens are a state machine.
export type Route =
  | { name: 'dashboard' }
  | { name: 'new-child' }
  | { name: 'child'; id: string; tab?: 'form' | 'photos' | 'history' }
  | { name: 'missing'; id: string }
  | { name: 'episode'; id: string }
  | { name: 'settings' }
  | { name: 'audit' };

export const nav = $state<{ route: Route; flash: string }>({ route: { name: 'dashboard' }, flash: '' });

export function go(route: Route, flash = '') {
  nav.route = route;
  nav.flash = flash;
  queueMicrotask(() => {
    window.scrollTo?.(0, 0);
    document.querySelector<HTMLElement>('main h1')?.focus();
  });
}
