import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CsvHeader, type CsvInput, type CsvOptions, parseCsv } from '../../src/csv/index.js';
import { collect, cut, rejection, utf8 } from './helpers.js';

/** UTF-16 bytes of `text`, in either byte order, optionally with a byte order mark. */
function utf16(text: string, bigEndian: boolean, bom = true): Uint8Array {
  const units = (bom ? '\ufeff' : '') + text;
  const bytes = new Uint8Array(units.length * 2);
  for (let i = 0; i < units.length; i++) {
    const unit = units.charCodeAt(i);
    bytes[2 * i + (bigEndian ? 0 : 1)] = unit >> 8;
    bytes[2 * i + (bigEndian ? 1 : 0)] = unit & 0xff;
  }
  return bytes;
}

// The Windows-1252 bytes 0x80-0x9F as the WHATWG Encoding Standard maps them, written out here
// on purpose (not shared with the source) so that a typo in either is caught.
const W1252: Record<number, string> = {
  128: '€',
  130: '‚',
  131: 'ƒ',
  132: '„',
  133: '…',
  134: '†',
  135: '‡',
  136: 'ˆ',
  137: '‰',
  138: 'Š',
  139: '‹',
  140: 'Œ',
  142: 'Ž',
  145: '‘',
  146: '’',
  147: '“',
  148: '”',
  149: '•',
  150: '–',
  151: '—',
  152: '˜',
  153: '™',
  154: 'š',
  155: '›',
  156: 'œ',
  158: 'ž',
  159: 'Ÿ',
};

/** Windows-1252 bytes of `text` (every character must be in the code page). */
function windows1252(text: string): Uint8Array {
  const reverse = new Map(Object.entries(W1252).map(([byte, char]) => [char, Number(byte)]));
  return Uint8Array.from(text, (char) => {
    const code = char.charCodeAt(0);
    const byte = reverse.get(char) ?? (code <= 0xff && (code < 0x80 || code > 0x9f) ? code : -1);
    if (byte === -1) throw new Error(`not in windows-1252: ${char}`);
    return byte;
  });
}

async function read(input: CsvInput, options: CsvOptions = {}) {
  let header: CsvHeader | undefined;
  const rows = await collect(input, { ...options, onHeader: (seen) => (header = seen) });
  return { rows, header };
}

const sheet = 'Email\tFirst Name\tActive\r\nzoë@example.org\tZoë “the” Œuvre €\tNo\r\n';

describe('F5: UTF-16 by its byte order mark', () => {
  it.each([
    ['utf-16le', false],
    ['utf-16be', true],
  ] as const)(
    '%s with a BOM is decoded without any option (Excel "Unicode Text")',
    async (encoding, bigEndian) => {
      const { rows, header } = await read(utf16(sheet, bigEndian));
      expect(header).toEqual({
        line: 1,
        columns: ['Email', 'First Name', 'Active'],
        delimiter: '\t',
        encoding,
      });
      expect(rows.map((row) => [row.line, row.values])).toEqual([
        [2, { Email: 'zoë@example.org', 'First Name': 'Zoë “the” Œuvre €', Active: 'No' }],
      ]);
    },
  );

  it('a BOM wins over the option (as WHATWG decoding does)', async () => {
    const { header } = await read(utf16(sheet, false), { encoding: 'windows-1252' });
    expect(header?.encoding).toBe('utf-16le');
    const utf8Bom = await read(utf8(`\ufeff${sheet}`), { encoding: 'utf-16be' });
    expect(utf8Bom.header?.encoding).toBe('utf-8');
  });

  it('UTF-16 without a BOM is read when the option names it', async () => {
    const { rows } = await read(utf16(sheet, true, false), { encoding: 'utf-16be' });
    expect(rows[0]?.values['First Name']).toBe('Zoë “the” Œuvre €');
  });

  it('characters outside the BMP (surrogate pairs) survive any chunking', async () => {
    const text = 'Email,Active,Note\n😀@example.org,No,𝄞 x\n';
    const bytes = utf16(text, false);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(bytes.length), { maxLength: 8 }), async (points) => {
        const { rows } = await read(cut(bytes, points));
        expect(rows[0]?.values).toEqual({ Email: '😀@example.org', Active: 'No', Note: '𝄞 x' });
      }),
      { numRuns: 150 },
    );
  });

  it('C9: a lone surrogate is INVALID_ENCODING on its line, naming the encoding and both ways out', async () => {
    const good = utf16('Email,Active\r\nada@example.org,No\r\nb', false);
    const bad = Uint8Array.from([...good, 0x00, 0xdc, 0x41, 0x00]);
    const error = await rejection(collect(bad));
    expect(error).toMatchObject({ code: 'INVALID_ENCODING', line: 3 });
    expect(error.message).toBe(
      `Line 3: the file contains bytes that are not UTF-16LE. Save it as "CSV UTF-8" (in Excel: Save As > CSV UTF-8) and upload it again, or pass the encoding it was saved in (option encoding).`,
    );
    // A high surrogate followed by something else, and one left at the end.
    const unpaired = Uint8Array.from([...good, 0x3d, 0xd8, 0x41, 0x00]);
    expect(await rejection(collect(unpaired))).toMatchObject({ line: 3 });
    expect(await rejection(collect(Uint8Array.from([...good, 0x3d, 0xd8])))).toMatchObject({
      code: 'INVALID_ENCODING',
    });
  });

  it('C9: an odd number of bytes is INVALID_ENCODING', async () => {
    const bytes = utf16('Email,Active\nada@example.org,No\n', true);
    expect(await rejection(collect(Uint8Array.from([...bytes, 0x41])))).toMatchObject({
      code: 'INVALID_ENCODING',
    });
  });

  it('C9: UTF-16 without BOM or option is not taken for UTF-8 text', async () => {
    // Its ASCII reads as UTF-8 with NULs between the letters, and 'ë' (EB 00) is not UTF-8.
    expect(await rejection(collect(utf16(sheet, false, false)))).toMatchObject({
      code: 'INVALID_ENCODING',
    });
    // Plain ASCII in UTF-16 without a BOM: NUL is a control character, so no header matches.
    const error = await rejection(collect(utf16('Email,Active\na,No\n', false, false)));
    expect(error).toMatchObject({ code: 'MISSING_ID_COLUMN' });
    // The names are shown without their NULs, and the message says what the file probably is.
    expect(error.message).toContain("found 'Email', 'Active'.");
    expect(error.message).toContain(
      "the file is probably UTF-16 without a byte order mark. Pass its encoding (option encoding, 'utf-16le' or 'utf-16be'), or save it as CSV UTF-8.",
    );
  });
});

describe('F5: Windows-1252 (Excel "CSV (Comma delimited)")', () => {
  const text = 'Email;First Name;Active\r\nfrancoise@example.org;Françoise “Fanfan” Œ € ™ ž;No\r\n';

  it('bytes that are not UTF-8 are INVALID_ENCODING on the line of the first bad byte, naming both ways out', async () => {
    const error = await rejection(collect(windows1252(text)));
    expect(error).toMatchObject({ code: 'INVALID_ENCODING', line: 2, field: 'encoding' });
    expect(error.message).toBe(
      `Line 2: the file contains bytes that are not UTF-8. Save it as "CSV UTF-8" (in Excel: Save As > CSV UTF-8) and upload it again, or pass the encoding it was saved in (option encoding, such as 'windows-1252' for Excel's "CSV (Comma delimited)").`,
    );
  });

  it.each(['windows-1252', 'latin1', 'iso-8859-1', 'Windows-1252', ' LATIN1 '])(
    "encoding %j reads every byte as Windows-1252 (0x80 is '€', not U+0080)",
    async (encoding) => {
      const { rows, header } = await read(windows1252(text), {
        encoding: encoding as 'windows-1252',
      });
      expect(header?.encoding).toBe('windows-1252');
      expect(rows[0]?.values['First Name']).toBe('Françoise “Fanfan” Œ € ™ ž');
    },
  );

  it('every byte 0x80-0xFF decodes as the WHATWG index says; the five unassigned ones are C1 controls', async () => {
    const bytes = Uint8Array.from({ length: 128 }, (_, i) => 0x80 + i);
    const decoded: string[] = [];
    const rows = await collect(
      Uint8Array.from([...utf8('Email,Active,Note\r\nada@example.org,No,'), ...bytes]),
      { encoding: 'windows-1252' },
    );
    decoded.push(...(rows[0]?.values['Note'] ?? ''));
    expect(decoded).toHaveLength(128);
    decoded.forEach((char, i) => {
      const byte = 0x80 + i;
      const expected = W1252[byte] ?? String.fromCharCode(byte);
      expect(char).toBe(expected);
    });
  });

  it('a C1 control in an id is still CONTROL_CHARACTER (C9)', async () => {
    const bytes = Uint8Array.from([...utf8('Email,Active\r\nada'), 0x81, ...utf8('@x,No\r\n')]);
    const rows = await collect(bytes, { encoding: 'windows-1252' });
    expect(rows[0]?.result.issues.map((issue) => issue.code)).toEqual(['CONTROL_CHARACTER']);
  });

  it('UTF-8 read as Windows-1252 is what the option says: mojibake, not an error', async () => {
    const rows = await collect(utf8('Email,Active,Note\nada@example.org,No,é\n'), {
      encoding: 'windows-1252',
    });
    expect(rows[0]?.values['Note']).toBe('Ã©');
  });
});

describe('F5: option encoding', () => {
  it('refuses an unknown encoding as INVALID_OPTION, naming the accepted ones', () => {
    expect(() => parseCsv(new Uint8Array(), { encoding: 'shift_jis' as 'utf-8' })).toThrow(
      expect.objectContaining({
        code: 'INVALID_OPTION',
        field: 'encoding',
        message: expect.stringContaining("'windows-1252'"),
      }),
    );
  });

  it('refuses an encoding given with text as INVALID_OPTION, at the call or at the first text chunk', async () => {
    expect(() => parseCsv('Email,Active\n', { encoding: 'utf-8' })).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTION', field: 'encoding' }),
    );
    expect(
      await rejection(collect([utf8('Email,'), 'Active\na,No\n'], { encoding: 'utf-8' })),
    ).toMatchObject({ code: 'INVALID_OPTION' });
  });

  it('reports UTF-8 when no option and no BOM', async () => {
    expect((await read(utf8('Email,Active\na,No\n'))).header?.encoding).toBe('utf-8');
    expect((await read('Email,Active\na,No\n')).header?.encoding).toBe('utf-8');
  });

  it('TOO_LARGE counts bytes in every encoding', async () => {
    const bytes = utf16('Email,Active\na,No\n', false);
    expect(await rejection(collect(bytes, { maxBytes: bytes.length - 1 }))).toMatchObject({
      code: 'TOO_LARGE',
    });
    expect((await collect(bytes, { maxBytes: bytes.length })).length).toBe(1);
  });

  it('any chunking of the bytes gives the same rows, in every encoding', async () => {
    const text = 'Email,Active,Note\r\nzoë@example.org,No,"Œ, €\r\nx"\r\nbob@example.org,Yes,ÿ\r\n';
    const inputs: [Uint8Array, CsvOptions][] = [
      [utf8(text), {}],
      [utf8(`\ufeff${text}`), {}],
      [utf16(text, false), {}],
      [utf16(text, true), {}],
      [windows1252(text), { encoding: 'windows-1252' }],
    ];
    const expected = await collect(text);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...inputs),
        fc.array(fc.nat(200), { maxLength: 10 }),
        async ([bytes, options], points) => {
          expect(await collect(cut(bytes, points), options)).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('F6: ids a spreadsheet wrote in scientific notation', () => {
  it.each(['1.23457E+11', '1,23457E+11', '1E+11', '12e5', ' -1.5E-3 ', '+2E10'])(
    '%j is MANGLED_ID, saying to format the column as Text',
    async (id) => {
      const rows = await collect(`User ID;Active\n"${id}";No\n`);
      expect(rows[0]?.result).toEqual({
        ok: false,
        issues: [
          {
            code: 'MANGLED_ID',
            severity: 'error',
            column: 'User ID',
            value: id,
            message: `Column 'User ID' has '${id.trim()}', a number the spreadsheet rewrote in scientific notation: the real identifier is lost. Format the column as Text in the spreadsheet, type or paste the identifiers again, and export again.`,
          },
        ],
      });
    },
  );

  it.each(['00123', '123456789012', 'e5', '1E', '1.5', '1E+11x', 'E1', 'ada1e5@example.org'])(
    '%j is kept exactly as written',
    async (id) => {
      const rows = await collect(`User ID,Active\n${id},No\n`);
      expect(rows[0]?.result).toMatchObject({ ok: true, update: { userId: id } });
    },
  );
});
