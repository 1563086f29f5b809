import { describe, expect, it } from 'vitest';
import { copyData } from '../../src/store/copy.js';

// S2: stores never share objects with their callers; copyData is how the memory store copies.
describe('copyData: deep copies of plain data (S2)', () => {
  it.each([[null], [undefined], [0], ['text'], [true]])('returns %j itself', (value) => {
    expect(copyData(value)).toBe(value);
  });

  it('copies objects, arrays and Dates all the way down, and keeps class instances', () => {
    class Tag {}
    const tag = new Tag();
    const source = { id: 'a', at: new Date(5), list: [{ n: 1 }], tag, none: null };
    const copy = copyData(source);
    expect(copy).toEqual(source);
    expect(copy).not.toBe(source);
    expect(copy.at).not.toBe(source.at);
    expect(copy.list[0]).not.toBe(source.list[0]);
    expect(copy.tag).toBe(tag);
  });

  it('copies objects without a prototype, keeping them without one', () => {
    const source = Object.assign(Object.create(null) as Record<string, unknown>, {
      id: 'a',
      nested: { at: new Date(7) },
    });
    const copy = copyData(source);
    expect(copy).not.toBe(source);
    expect(Object.getPrototypeOf(copy)).toBeNull();
    expect(copy['id']).toBe('a');
    expect(copy['nested']).not.toBe(source['nested']);
    expect((copy['nested'] as { at: Date }).at.getTime()).toBe(7);
  });
});
