import { compile } from 'json-schema-to-typescript';

/** The TypeScript for the bindings schema; deterministic, so it can be compared byte for byte. */
export async function generate(schema) {
  const banner =
    '/* Generated from src-tauri by `npm run bindings` (json-schema-to-typescript). Do not edit. */';
  return compile(schema, 'Bindings', {
    bannerComment: banner,
    additionalProperties: false,
    unreachableDefinitions: true,
    strictIndexSignatures: true,
    format: true,
    style: { singleQuote: true },
  });
}
