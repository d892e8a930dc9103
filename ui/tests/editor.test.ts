import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it, vi } from 'vitest';
import Editor from '../src/components/Editor.svelte';
import schemaJson from '../src/bindings/schema.json';
import { resolve, type Json, type Schema } from '../src/lib/form';

const defs = (schemaJson as unknown as { definitions: Record<string, Schema> }).definitions;
const at = (path: string) =>
  path.split('.').reduce<Schema>((s, p) => resolve(s.properties?.[p] ?? {}, defs), resolve({ $ref: '#/definitions/ChildForm' }, defs));

afterEach(cleanup);

describe('the schema-driven field editor', () => {
  it('labels a text field and reports each change', async () => {
    const onchange = vi.fn();
    render(Editor, { schema: at('identity.gender'), defs, value: '', id: 'f-gender', label: 'Gender', hint: 'As the child describes it', onchange });
    const input = screen.getByLabelText('Gender');
    expect(input.getAttribute('aria-describedby')).toBe('f-gender-hint');
    await fireEvent.input(input, { target: { value: 'Female' } });
    expect(onchange).toHaveBeenCalledWith('Female');
  });

  it('adds and removes people in a list', async () => {
    let value: Json = [];
    const onchange = vi.fn((v: Json) => (value = v));
    const { rerender } = render(Editor, { schema: at('people.family'), defs, value, id: 'f-family', label: 'Family', onchange });
    await fireEvent.click(screen.getByRole('button', { name: 'Add a family' }));
    expect(Array.isArray(value) && value.length).toBe(1);
    await rerender({ schema: at('people.family'), defs, value, id: 'f-family', label: 'Family', onchange });
    expect(screen.getByRole('group', { name: 'Family 1' })).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Remove family 1' }));
    expect(value).toEqual([]);
  });

  it('shows an error next to its field and marks it invalid', () => {
    render(Editor, { schema: at('identity.gender'), defs, value: '', id: 'f-g', label: 'Gender', error: 'Too long', onchange: () => {} });
    expect(screen.getByText('Too long')).toBeTruthy();
    expect(screen.getByLabelText('Gender').getAttribute('aria-invalid')).toBe('true');
  });
});
