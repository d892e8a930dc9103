import { describe, expect, it } from 'vitest';
import { fieldOf, fileToBase64, idFor } from '../src/lib/files';

describe('files and field ids', () => {
  it('reads a file as base64', async () => {
    expect(await fileToBase64(new Blob([new Uint8Array([1, 2, 3])]))).toBe('AQID');
  });
  it('finds the field a validation error belongs to', () => {
    const paths = ['money_travel.bank_cards', 'identity.legal_name'];
    expect(fieldOf('money_travel.bank_cards[0].last4', paths)).toBe('money_travel.bank_cards');
    expect(fieldOf('identity.legal_name', paths)).toBe('identity.legal_name');
    expect(fieldOf('elsewhere', paths)).toBeUndefined();
  });
  it('makes element ids from paths', () => {
    expect(idFor('people.family[0].name')).toBe('f-people-family-0-name');
  });
});
