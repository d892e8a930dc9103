// Turns src/bindings/schema.json (generated from the Rust types by src-tauri's test) into
// src/bindings/types.ts. `--check` exits non-zero when the committed TypeScript is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { generate } from './bindings-lib.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const schema = JSON.parse(await readFile(here('../src/bindings/schema.json'), 'utf8'));
const ts = await generate(schema);
const target = here('../src/bindings/types.ts');
if (process.argv.includes('--check')) {
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== ts) {
    console.error('src/bindings/types.ts is stale: run npm run bindings');
    process.exit(1);
  }
} else {
  await writeFile(target, ts);
}
