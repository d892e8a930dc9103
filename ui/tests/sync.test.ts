import { describe, expect, it } from 'vitest';
import { agoWords, sentence } from '../src/lib/sync';

describe('when a device was last seen, in words', () => {
  const now = new Date('2026-12-02T12:00:00Z');
  const t = now.getTime() / 1000;

  it('says never for a device the hub has not heard from', () => {
    expect(agoWords(null, now)).toBe('never');
  });

  it('counts minutes, hours and days as a person says them', () => {
    expect(agoWords(t - 10, now)).toBe('just now');
    expect(agoWords(t - 5 * 60, now)).toBe('5 min ago');
    expect(agoWords(t - 3 * 3600, now)).toBe('3 h ago');
    expect(agoWords(t - 86400, now)).toBe('1 day ago');
    expect(agoWords(t - 3 * 86400, now)).toBe('3 days ago');
  });

  it('never says a time in the future', () => {
    expect(agoWords(t + 600, now)).toBe('just now');
  });
});

describe('the sync state as a sentence', () => {
  it('starts with a capital and ends with a full stop', () => {
    expect(sentence('up to date, 2 min ago')).toBe('Up to date, 2 min ago.');
    expect(sentence('')).toBe('');
  });
});
