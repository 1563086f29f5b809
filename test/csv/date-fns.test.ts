import { describe, expect, it } from 'vitest';
import { loadCsvDates, parseCsv, parseCsvRow } from '../../src/csv/index.js';

// C4, R11: date-fns (parse and format) loads only for caller `dateFormats`, @date-fns/tz only for
// a zone other than UTC, before the first row of a file; the synchronous parseCsvRow needs them
// loaded. Each test file runs in a fresh module graph, so nothing is loaded here until a test
// loads it: the order of the tests matters.

async function firstError(
  rows: AsyncIterable<unknown>,
): Promise<{ code: string; field?: string; message: string }> {
  try {
    for await (const _ of rows) break;
  } catch (error) {
    return error as { code: string; field?: string; message: string };
  }
  throw new Error('expected an error');
}

describe('dateFormats load date-fns on first use (C4)', () => {
  it('parseCsvRow with dateFormats before date-fns is loaded throws INVALID_OPTION', () => {
    expect(() =>
      parseCsvRow({ Email: 'ada@example.org', Active: 'No' }, { dateFormats: ['dd/MM/yyyy'] }),
    ).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        field: 'dateFormats',
        message: expect.stringContaining('await loadCsvDates()'),
      }),
    );
    expect(() =>
      parseCsvRow({ Email: 'ada@example.org', Active: 'No' }, { timeZone: 'Europe/Paris' }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', field: 'timeZone' }));
    // Without dateFormats, in UTC, nothing needs a date library.
    expect(parseCsvRow({ Email: 'ada@example.org', Active: 'No' }).ok).toBe(true);
  });

  it('parseCsv checks the letters at call time and the round trip before the first row', async () => {
    expect(() => parseCsv('Email,Active\n', { dateFormats: ['dd/MM/yyyy HH'] })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', field: 'dateFormats' }),
    );
    const rows = parseCsv('Email,Active\nada@example.org,No\n', { dateFormats: ['dd/MM/yyyy d'] });
    const error = await firstError(rows);
    expect(error).toMatchObject({ code: 'INVALID_OPTION', field: 'dateFormats' });
    expect(error.message).toMatch(
      /^Option `dateFormats`: "dd\/MM\/yyyy d" is not a valid date-fns pattern/,
    );
  });

  it('parseCsv loads date-fns itself, and parseCsvRow then reads the formats', async () => {
    const read = [];
    for await (const row of parseCsv('Email,Expiration Date\nada@example.org,31/12/2026\n', {
      dateFormats: ['dd/MM/yyyy'],
    })) {
      read.push(row.result);
    }
    expect(read).toEqual([
      {
        ok: true,
        issues: [],
        update: { userId: 'ada@example.org', expiresAt: new Date('2027-01-01T00:00:00Z') },
      },
    ]);
    await loadCsvDates();
    const row = parseCsvRow(
      { Email: 'ada@example.org', 'Expiration Date': '31/12/2026' },
      { dateFormats: ['dd/MM/yyyy'] },
    );
    expect(row).toEqual(read[0]);
    expect(() =>
      parseCsvRow({ Email: 'ada@example.org', Active: 'No' }, { dateFormats: ['dd/MM/yyyy d'] }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_OPTION', field: 'dateFormats' }));
  });
});
