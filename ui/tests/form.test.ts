import { describe, expect, it } from 'vitest';
import { choiceLabel, emptyOf, getPath, groupFields, humanise, priorityFor, resolve, setPath, widgetFor, type Schema } from '../src/lib/form';
import schemaJson from '../src/bindings/schema.json';
import type { FieldView } from '../src/bindings/types';

const defs = (schemaJson as unknown as { definitions: Record<string, Schema> }).definitions;
const form = resolve({ $ref: '#/definitions/ChildForm' }, defs);
const at = (path: string) => path.split('.').reduce<Schema>((s, p) => resolve(s.properties?.[p] ?? {}, defs), form);

describe('paths into the form', () => {
  it('reads and writes nested paths and list items without changing the original', () => {
    const f = { people: { family: [{ name: 'A' }] } };
    expect(getPath(f, 'people.family[0].name')).toBe('A');
    const g = setPath(f, 'people.family[0].name', 'B');
    expect(getPath(g, 'people.family[0].name')).toBe('B');
    expect(getPath(f, 'people.family[0].name')).toBe('A');
    expect(getPath(setPath({}, 'identity.legal_name', 'C'), 'identity.legal_name')).toBe('C');
  });
});

describe('the field table', () => {
  it('groups fields A to K in letter order', () => {
    const f = (path: string, letter: string): FieldView => ({ path, letter, group: 'identity', group_title: letter, label: path, priority: 'critical', by_placement: [] });
    expect(groupFields([f('b', 'B'), f('a', 'A'), f('b2', 'B')]).map((g) => [g.letter, g.fields.length])).toEqual([['A', 1], ['B', 2]]);
  });
});

describe('widgets drawn from the generated schema', () => {
  it('gives a date picker for the date of birth', () => {
    expect(widgetFor(at('identity.date_of_birth'), defs).kind).toBe('date');
  });
  it('gives a list editor of people for family, with a name in each new person', () => {
    const w = widgetFor(at('people.family'), defs);
    expect(w.kind).toBe('list');
    if (w.kind !== 'list') return;
    const person = emptyOf(w.item, defs) as Record<string, unknown>;
    expect(person).toHaveProperty('name', '');
    expect(person).toHaveProperty('phones');
  });
  it('gives a list editor for medication and mobiles', () => {
    expect(widgetFor(at('health.medication'), defs).kind).toBe('list');
    expect(widgetFor(at('phones_online.mobiles'), defs).kind).toBe('list');
  });
  it('offers the concern levels (and "not assessed") for a risk', () => {
    const risk = widgetFor(at('risks.sexual_exploitation'), defs);
    expect(risk.kind).toBe('object');
    if (risk.kind !== 'object') return;
    const concern = risk.properties.find(([k]) => k === 'concern');
    const w = widgetFor(concern![1], defs);
    expect(w).toMatchObject({ kind: 'choice', nullable: true });
    if (w.kind === 'choice') expect(w.options).toContain('known');
  });
  it('offers every legal status', () => {
    const w = widgetFor(at('placement.legal_status'), defs);
    expect(w.kind).toBe('choice');
    if (w.kind === 'choice') expect(w.options).toEqual(expect.arrayContaining(['section20', 'care_order', 'remand']));
  });
  it('says field names as words', () => {
    expect(humanise('last_seen_where')).toBe('Last seen where');
  });
});

describe('editing state held in a proxy', () => {
  it('sets a path on a proxied object (as Svelte state is)', () => {
    const proxied = new Proxy({ identity: { gender: '' } }, {});
    expect(getPath(setPath(proxied, 'identity.gender', 'Female'), 'identity.gender')).toBe('Female');
  });
});

describe('priorities by placement type', () => {
  const manager: FieldView = {
    path: 'placement.registered_manager', letter: 'D', group: 'placement', group_title: 'Placement and professionals', label: 'Registered manager', priority: 'critical',
    by_placement: [{ placement_type: 'foster_care', priority: 'optional' }, { placement_type: 'kinship_care', priority: 'optional' }],
  };
  it("takes the field's priority for the child's own placement type", () => {
    expect(priorityFor(manager, 'foster_care')).toBe('optional');
    expect(priorityFor(manager, 'kinship_care')).toBe('optional');
  });
  it("keeps the table's own priority for other types and before a type is chosen", () => {
    expect(priorityFor(manager, 'childrens_home')).toBe('critical');
    expect(priorityFor(manager, null)).toBe('critical');
    expect(priorityFor(manager, undefined)).toBe('critical');
  });
});

describe('choices in their own words', () => {
  it('offers the 2021 census ethnic groups in the census wording, and prefers not to say', () => {
    const w = widgetFor(at('identity.ethnicity'), defs);
    expect(w).toMatchObject({ kind: 'choice', nullable: true });
    if (w.kind !== 'choice') return;
    expect(w.options).toHaveLength(20);
    expect(choiceLabel(w, 'white_gypsy_irish_traveller')).toBe('White: Gypsy or Irish Traveller');
    expect(choiceLabel(w, 'mixed_white_black_caribbean')).toBe('Mixed or Multiple ethnic groups: White and Black Caribbean');
    expect(choiceLabel(w, 'prefers_not_to_say')).toBe('Prefers not to say');
  });
  it("grades a risk-assessed place in the place's own words, not the police grading", () => {
    const place = widgetFor(at('places.risk_assessed'), defs);
    expect(place.kind).toBe('list');
    if (place.kind !== 'list') return;
    const item = widgetFor(place.item, defs);
    if (item.kind !== 'object') throw new Error('a place is an object');
    const level = widgetFor(item.properties.find(([k]) => k === 'risk_level')![1], defs);
    if (level.kind !== 'choice') throw new Error('a choice');
    expect(level.options).toEqual(['low', 'medium', 'high']);
    expect(level.options).not.toContain('very_low');
    expect(choiceLabel(level, 'high')).toBe('Serious harm known here');
  });
  it('still says a word without a title as words', () => {
    const w = widgetFor(at('placement.legal_status'), defs);
    if (w.kind !== 'choice') throw new Error('a choice');
    expect(choiceLabel(w, 'placement_order')).toBe('Placement order');
  });
});
