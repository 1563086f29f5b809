import { timeOf } from '../dates/instant.js';

/**
 * A deep copy of plain data (objects, arrays, Dates), so that a store never shares an object
 * with its caller: mutating what a store gave you, or what you gave it, changes nothing
 * inside it. Class instances other than Date are kept by reference, as they cannot be copied
 * faithfully without knowing their class.
 */
export function copyData<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return new Date(timeOf(value)) as T;
  if (Array.isArray(value)) return value.map(copyData) as T;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return value;
  // Spread and Object.assign onto a null-prototype object define own data properties, so a
  // key named __proto__ stays a plain field and never swaps the prototype.
  const copy = (
    proto === null ? Object.assign(Object.create(null) as object, value) : { ...value }
  ) as Record<string, unknown>;
  for (const key in copy) copy[key] = copyData(copy[key]);
  return copy as T;
}
