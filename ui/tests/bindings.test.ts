// @vitest-environment node
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generate } from '../scripts/bindings-lib.mjs';

// src-tauri's test checks schema.json against the Rust types; this checks types.ts against schema.json.
describe('generated bindings', () => {
  it('types.ts is what schema.json generates (run npm run bindings)', async () => {
    const schema = JSON.parse(readFileSync(new URL('../src/bindings/schema.json', import.meta.url), 'utf8'));
    const committed = readFileSync(new URL('../src/bindings/types.ts', import.meta.url), 'utf8');
    expect(await generate(schema)).toBe(committed);
  });
});
