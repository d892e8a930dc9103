// Sync in the window: the event the background sync sends after each pass, and how times the
// hub reports read in words.

/** Sent by the app after every background sync pass (src-tauri/src/syncer.rs). */
export const SYNC_EVENT = 'grabpack://sync';

export interface SyncEventPayload {
  /** Revisions and photos taken in from other devices: screens showing records reload. */
  received: number;
  sent: number;
  failed: boolean;
}

/** "just now", "5 min ago", "3 h ago", "2 days ago", "never" for a Unix time in seconds. */
export function agoWords(unixSeconds: number | null | undefined, now: Date = new Date()): string {
  if (unixSeconds == null) return 'never';
  const secs = Math.max(0, Math.floor(now.getTime() / 1000) - unixSeconds);
  if (secs < 60) return 'just now';
  if (secs < 3600) return `${Math.floor(secs / 60)} min ago`;
  if (secs < 86400) return `${Math.floor(secs / 3600)} h ago`;
  const days = Math.floor(secs / 86400);
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

/** The sync state's words (lower case, as the command line prints them after "Sync:") as a sentence. */
export function sentence(words: string): string {
  return words ? words[0].toUpperCase() + words.slice(1) + '.' : '';
}
