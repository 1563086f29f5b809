// Compares a runtime's verdict with the reference's. Verdicts hold only JSON values, so two
// agree when they are equal value for value and key for key, in the same order.

const show = (value) => {
  const text = value === undefined ? '(missing)' : JSON.stringify(value);
  return text.length > 400 ? `${text.slice(0, 400)}...` : text;
};

/** The first place where `actual` differs from `expected`, or undefined when they are equal. */
export function firstDifference(expected, actual, path = '') {
  if (Object.is(expected, actual)) return undefined;
  const bothObjects =
    typeof expected === 'object' &&
    typeof actual === 'object' &&
    expected !== null &&
    actual !== null &&
    Array.isArray(expected) === Array.isArray(actual);
  if (!bothObjects) return { path, expected, actual };
  const expectedKeys = Object.keys(expected);
  const actualKeys = Object.keys(actual);
  for (let i = 0; i < Math.max(expectedKeys.length, actualKeys.length); i++) {
    const key = expectedKeys[i] ?? actualKeys[i];
    if (expectedKeys[i] !== actualKeys[i]) {
      const at = `${path}${path ? '.' : ''}${key}`;
      return expectedKeys[i] === undefined || !(expectedKeys[i] in actual)
        ? { path: at, expected: expected[key], actual: actual[key] }
        : { path: `${path}(keys)`, expected: expectedKeys, actual: actualKeys };
    }
    const difference = firstDifference(
      expected[key],
      actual[key],
      `${path}${path ? '.' : ''}${key}`,
    );
    if (difference) return difference;
  }
  return undefined;
}

/** Says how the difference reads, for a failure report. */
export function describeDifference({ path, expected, actual }) {
  return `first difference at ${path || '(the whole verdict)'}:\n  reference: ${show(expected)}\n  this run:  ${show(actual)}`;
}
