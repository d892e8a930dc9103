// Pure helpers for the form screens: reading and writing a field by its path, grouping the field
// table, and turning the JSON Schema of the form into the widgets to draw. Kept free of Svelte so
// they are tested on their own.
import type { FieldView, ReadinessState } from '../bindings/types';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonObject = { [k: string]: Json };

/** Read `a.b[2].c`-style paths (the form's own paths are dotted; list items are indexed). */
export function getPath(obj: Json | undefined, path: string): Json | undefined {
  let cur: Json | undefined = obj;
  for (const part of splitPath(path)) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return undefined;
    cur = Array.isArray(cur) ? cur[Number(part)] : cur[part];
  }
  return cur;
}

/** A copy of `obj` with `path` set to `value`, creating objects on the way. */
export function setPath(obj: JsonObject, path: string, value: Json): JsonObject {
  const parts = splitPath(path);
  // A JSON copy, not structuredClone: the form lives in Svelte state, whose proxies cannot be cloned.
  const root: JsonObject = JSON.parse(JSON.stringify(obj));
  let cur: JsonObject | Json[] = root;
  for (let i = 0; i < parts.length - 1; i++) {
    const key = parts[i];
    const next: Json | undefined = Array.isArray(cur) ? cur[Number(key)] : cur[key];
    let child: JsonObject | Json[];
    if (next !== null && typeof next === 'object') child = next;
    else child = /^\d+$/.test(parts[i + 1]) ? [] : {};
    if (Array.isArray(cur)) cur[Number(key)] = child;
    else cur[key] = child;
    cur = child;
  }
  const last = parts[parts.length - 1];
  if (Array.isArray(cur)) cur[Number(last)] = value;
  else cur[last] = value;
  return root;
}

function splitPath(path: string): string[] {
  return path.replace(/\[(\d+)\]/g, '.$1').split('.').filter((p) => p.length > 0);
}

export interface GroupView {
  letter: string;
  title: string;
  fields: FieldView[];
}

/** The field table in form order, grouped A-K. */
export function groupFields(fields: FieldView[]): GroupView[] {
  const groups: GroupView[] = [];
  for (const f of fields) {
    let g = groups.find((x) => x.letter === f.letter);
    if (!g) {
      g = { letter: f.letter, title: f.group_title, fields: [] };
      groups.push(g);
    }
    g.fields.push(f);
  }
  return groups.sort((a, b) => a.letter.localeCompare(b.letter));
}

/**
 * The field's priority for a child in this type of placement (the field table's rule: a
 * registered manager is critical for a children's home, the fostering agency's contacts for
 * foster care). `placementType` is the form's `placement.placement_type`; unset, the table's own.
 */
export function priorityFor(field: FieldView, placementType: Json | undefined): FieldView['priority'] {
  const own = field.by_placement.find((p) => p.placement_type === placementType);
  return own ? own.priority : field.priority;
}

export const PRIORITY_LABEL: Record<FieldView['priority'], string> = {
  critical: 'Critical',
  high: 'High',
  optional: 'Optional',
};

export const STATE_LABEL: Record<ReadinessState, string> = {
  ready: 'Ready',
  attention: 'Needs attention',
  not_ready: 'Not ready',
};

/** Ages as carers say them. */
export function ageText(age: number | null | undefined): string {
  return age == null ? 'Age not recorded' : `Age ${age}`;
}

// ---- The form's JSON Schema, as widgets ----

export type Schema = {
  type?: string | string[];
  format?: string;
  enum?: Json[];
  const?: Json;
  $ref?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  description?: string;
  title?: string;
  required?: string[];
  default?: Json;
};

export type Widget =
  | { kind: 'text'; long: boolean }
  | { kind: 'date' }
  | { kind: 'datetime' }
  | { kind: 'number' }
  | { kind: 'yesno'; nullable: boolean }
  | { kind: 'choice'; options: string[]; labels: Record<string, string>; nullable: boolean }
  | { kind: 'list'; item: Schema }
  | { kind: 'object'; properties: [string, Schema][] }
  | { kind: 'unsupported' };

export function resolve(schema: Schema, defs: Record<string, Schema>): Schema {
  let s = schema;
  for (let i = 0; i < 20 && s.$ref; i++) {
    const name = s.$ref.replace('#/definitions/', '');
    s = defs[name] ?? {};
  }
  if (s.allOf && s.allOf.length === 1) return resolve(s.allOf[0], defs);
  return s;
}

/** Option<T> arrives as anyOf [T, null] or type [T, "null"]. */
function unwrapNullable(s: Schema, defs: Record<string, Schema>): { inner: Schema; nullable: boolean } {
  const r = resolve(s, defs);
  const alts = r.anyOf ?? r.oneOf;
  if (alts) {
    const nonNull = alts.filter((a) => resolve(a, defs).type !== 'null');
    if (nonNull.length === 1 && nonNull.length < alts.length) {
      return { inner: resolve(nonNull[0], defs), nullable: true };
    }
  }
  if (Array.isArray(r.type) && r.type.includes('null')) {
    const t = r.type.filter((x) => x !== 'null');
    return { inner: { ...r, type: t.length === 1 ? t[0] : t }, nullable: true };
  }
  return { inner: r, nullable: false };
}

/**
 * A plain enum of strings, possibly written as oneOf of consts (documented variants), with the
 * words a choice is shown in: its title where the Rust type gives one (the census wording of an
 * ethnic group), else the word itself made readable.
 */
function enumOptions(s: Schema, defs: Record<string, Schema>): { options: string[]; labels: Record<string, string> } | null {
  const labels: Record<string, string> = {};
  if (s.enum && s.enum.every((e) => typeof e === 'string')) return { options: s.enum as string[], labels };
  const alts = s.oneOf ?? s.anyOf;
  if (alts) {
    const out: string[] = [];
    for (const a of alts) {
      const r = resolve(a, defs);
      if (typeof r.const === 'string') {
        out.push(r.const);
        if (r.title) labels[r.const] = r.title;
      } else if (r.enum && r.enum.every((e) => typeof e === 'string')) out.push(...(r.enum as string[]));
      else return null;
    }
    return { options: out, labels };
  }
  return null;
}

/** The words a choice is shown in. */
export function choiceLabel(widget: { labels: Record<string, string> }, option: string): string {
  return widget.labels[option] ?? humanise(option);
}

const LONG_TEXT = /note|notes|description|history|circumstances|pattern|concern|details|reason|contribution|restrictions|conditions|needs|effect|marks|style|address/i;

export function widgetFor(schema: Schema, defs: Record<string, Schema>, name = ''): Widget {
  const { inner, nullable } = unwrapNullable(schema, defs);
  const choice = enumOptions(inner, defs);
  if (choice) return { kind: 'choice', options: choice.options, labels: choice.labels, nullable };
  const t = Array.isArray(inner.type) ? inner.type[0] : inner.type;
  if (t === 'string') {
    if (inner.format === 'date') return { kind: 'date' };
    if (inner.format === 'date-time') return { kind: 'datetime' };
    return { kind: 'text', long: LONG_TEXT.test(name) };
  }
  if (t === 'boolean') return { kind: 'yesno', nullable };
  if (t === 'integer' || t === 'number') return { kind: 'number' };
  if (t === 'array' && inner.items) return { kind: 'list', item: inner.items };
  if (t === 'object' && inner.properties) return { kind: 'object', properties: Object.entries(inner.properties) };
  return { kind: 'unsupported' };
}

/** An empty value of a schema, for a new list item. */
export function emptyOf(schema: Schema, defs: Record<string, Schema>): Json {
  if (schema.default !== undefined) return structuredClone(schema.default);
  const { inner, nullable } = unwrapNullable(schema, defs);
  if (inner.default !== undefined) return structuredClone(inner.default);
  if (nullable) return null;
  const w = widgetFor(inner, defs);
  switch (w.kind) {
    case 'text':
      return '';
    case 'list':
      return [];
    case 'object': {
      const o: JsonObject = {};
      for (const [k, s] of w.properties) o[k] = emptyOf(s, defs);
      return o;
    }
    case 'choice':
      return w.options[0] ?? null;
    case 'yesno':
      return false;
    case 'number':
      return 0;
    default:
      return null;
  }
}

/** "last_seen_where" -> "Last seen where". */
export function humanise(key: string): string {
  const s = key.replace(/_/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
}
