// The smoke program of the runtime matrix (scripts/test-runtimes.mjs): the same code runs on
// Node 20 (the reference), Bun, Deno, workerd and Chromium, against the packed tarball, and
// turns what the package answers into one JSON-ready "verdict". Runtimes agree only if their
// verdicts are equal to the last character, so nothing here may depend on the clock, the
// process's time zone or the host: every instant is fixed, every sample seeded. Plain
// JavaScript with no import, so that every runtime and bundler loads it as it is.

const encoder = new TextEncoder();
const bytes = (text) => encoder.encode(text);
/** Splits bytes at the given offsets: chunk boundaries inside a byte order mark or character. */
const splitAt = (data, ...offsets) =>
  [0, ...offsets].map((start, i) => data.subarray(start, offsets[i] ?? data.length));

const COMMA = bytes(
  '\uFEFFEmail,Active,Expiration Date,Note\r\n' +
    'ada@example.org,No,,"first line\r\nsecond line"\r\n' +
    'grace@example.org,Yes,2026-12-31,\r\n' +
    'zoë@example.org,yes,2027-02-30,\r\n' +
    'linus@example.org,Expired,,\r\n' +
    ',Yes,,\r\n' +
    'ken@example.org,,,\r\n' +
    '1.23457E+11,No,,\r\n' +
    'margaret@example.org,Ｙｅｓ,2026-06-01T12:00:00Z,\r\n',
);
const zoe = COMMA.indexOf(0xc3);
const quotedCr = COMMA.indexOf(0x0d, COMMA.indexOf(0x22));

/**
 * The CSV files every runtime reads, as the byte chunks an upload arrives in. `comma` splits
 * its UTF-8 byte order mark, the CRLF of a quoted field's line break and a two-byte letter
 * across chunks; `semicolon` is a European export read with `delimiter: 'auto'`; the others are
 * Excel's encodings, decoded by the package itself; `refused` has no identifier column.
 */
export const CSV_FILES = {
  comma: {
    chunks: splitAt(COMMA, 2, quotedCr + 1, zoe + 1),
    options: { timeZone: 'Europe/London' },
  },
  semicolon: {
    chunks: [
      bytes('sep=;\nEmail;Active;Expiration Date\n'),
      bytes('ada@example.org;Yes;31/12/2026\nbob@example.org;No;\ncy@example.org;Yes;12/31/2026\n'),
    ],
    options: { delimiter: 'auto', dateFormats: ['dd/MM/yyyy'], timeZone: 'America/New_York' },
  },
  windows1252: {
    // "Zoë,No,€" in Windows-1252: 0xEB is ë, 0x80 is the euro sign (not U+0080).
    chunks: [
      Uint8Array.of(
        ...bytes('Username,Active,Note\r\n'),
        0x5a,
        0x6f,
        0xeb,
        ...bytes(',No,'),
        0x80,
        ...bytes('\r\n'),
      ),
    ],
    options: { encoding: 'windows-1252' },
  },
  utf16le: {
    chunks: [
      Uint8Array.of(
        0xff,
        0xfe,
        ...[...'User ID\tActive\r\nnoël\tNo\r\n'].flatMap((c) => [c.charCodeAt(0), 0]),
      ),
    ],
    options: {},
  },
  refused: { chunks: [bytes('Name,Active\nAda,No\n')], options: {} },
};

const USERS = [
  { id: 'active', status: 'active', expiresAt: null },
  { id: 'expiring', status: 'active', expiresAt: new Date('2026-12-31T00:00:00Z') },
  { id: 'deactivated', status: 'deactivated', expiresAt: null },
  {
    id: 'reactivated',
    status: 'active',
    expiresAt: null,
    accessRevokedAt: new Date('2026-06-01T10:00:00Z'),
  },
  { id: 'bad-status', status: 'Active', expiresAt: null },
  { id: 'bad-date', status: 'active', expiresAt: new Date(Number.NaN) },
  { id: 'expired-and-off', status: 'deactivated', expiresAt: new Date('2026-01-01T00:00:00Z') },
];
const INSTANTS = [
  '2026-06-01T09:00:00Z',
  '2026-06-01T10:00:00Z',
  '2026-12-30T23:59:59.999Z',
  '2026-12-31T00:00:00Z',
  '2027-01-01T00:00:00Z',
].map((text) => new Date(text));
const SESSION = { issuedAt: new Date('2026-06-01T09:30:00Z') };
const LOGIN_OPTIONS = { maxSessionMs: 8 * 3_600_000 };
const NOW = new Date('2026-11-25T09:00:00Z');

/** JSON-ready and exact: dates as ISO text, errors as their stable fields, undefined kept. */
function plain(value) {
  if (value === undefined) return '(undefined)';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'function') return `(function ${value.name})`;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? '(invalid Date)' : value.toISOString();
  }
  if (value instanceof Error) {
    return {
      error: value.name,
      code: plain(value.code),
      field: plain(value.field),
      line: plain(value.line),
      message: value.message,
    };
  }
  if (value instanceof Uint8Array) return { bytes: [...value] };
  if (Array.isArray(value)) return value.map(plain);
  const out = {};
  for (const key of Object.keys(value)) out[key] = plain(value[key]);
  return out;
}

const attempt = (fn) => {
  try {
    return { value: plain(fn()) };
  } catch (error) {
    return { threw: plain(error) };
  }
};
const attemptAsync = async (fn) => {
  try {
    return { value: plain(await fn()) };
  } catch (error) {
    return { threw: plain(error) };
  }
};
const exportsOf = (entry) =>
  Object.keys(entry)
    .filter((key) => key !== 'default' && key !== '__esModule')
    .sort();

async function collect(iterable) {
  const rows = [];
  for await (const row of iterable) rows.push(plain(row));
  return rows;
}

function mainPart(main) {
  const decisions = USERS.map((user) => ({
    user: user.id,
    at: INSTANTS.map((now) => ({
      now: now.toISOString(),
      effectiveStatus: attempt(() => main.effectiveStatus(user, now)),
      nextStatusChangeAt: attempt(() => main.nextStatusChangeAt(user, now)),
      checkLogin: attempt(() => main.checkLogin(user, now, LOGIN_OPTIONS)),
      checkSession: attempt(() => main.checkSession(user, SESSION, now, LOGIN_OPTIONS)),
    })),
  }));
  const ctx = { now: NOW, actor: 'admin-7', source: 'admin', reason: 'left the company' };
  const ada = { id: 'ada', email: 'ada@example.org', status: 'active', expiresAt: null };
  const off = main.deactivate(ada, ctx);
  const back = main.reactivate(off.user, { now: new Date(NOW.getTime() + 60_000) });
  const transitions = {
    deactivate: plain(off),
    deactivateAgain: attempt(() => main.deactivate(off.user, ctx)),
    reactivate: plain(back),
    oldSession: attempt(() => main.checkSession(back.user, SESSION, NOW)),
    setExpiration: attempt(() =>
      main.setExpiration(back.user, new Date('2026-11-01T00:00:00Z'), { now: NOW, source: 'csv' }),
    ),
    reactivateExpired: attempt(() =>
      main.reactivate({ ...off.user, expiresAt: new Date('2026-01-01T00:00:00Z') }, { now: NOW }),
    ),
    setStatusExpired: attempt(() => main.setStatus(ada, 'expired', { now: NOW })),
    badNow: attempt(() => main.checkLogin(ada, new Date(Number.NaN))),
    badOption: attempt(() => main.checkLogin(ada, NOW, { maxSessionMs: 1.5 })),
  };
  return { exports: exportsOf(main), statusInfo: plain(main.STATUS_INFO), decisions, transitions };
}

async function csvPart(csv, main, source) {
  const files = {};
  for (const [name, file] of Object.entries(CSV_FILES)) {
    const read = async (input) => {
      let header;
      const options = { ...file.options, onHeader: (h) => (header = plain(h)) };
      const result = await attemptAsync(() => collect(csv.parseCsv(input, options)));
      return { header: header ?? '(none)', ...result };
    };
    files[name] = {
      fromChunks: await read(file.chunks),
      fromStream: await read(source(name, file.chunks)),
    };
  }
  const store = main.createMemoryStore([
    { id: 'ada@example.org', status: 'active', expiresAt: null },
    { id: 'grace@example.org', status: 'deactivated', expiresAt: null },
  ]);
  const dryRun = await attemptAsync(() =>
    main.bulkUpdateFromCsv(CSV_FILES.comma.chunks, store, {
      now: NOW,
      actor: 'admin-7',
      dryRun: true,
      csv: CSV_FILES.comma.options,
    }),
  );
  const errorReport = await attemptAsync(async () => {
    const rows = [];
    for await (const row of csv.parseCsv(CSV_FILES.comma.chunks, CSV_FILES.comma.options)) {
      rows.push(row);
    }
    return csv.formatCsvReport(rows);
  });
  const suggestions = [];
  for (const cells of [['12/31/2026', '1/5/2026', 'Never'], ['31.12.2026', ''], ['1/2/2026']]) {
    suggestions.push(await attemptAsync(() => csv.suggestDateFormats(cells)));
  }
  return {
    exports: exportsOf(csv),
    files,
    errorReport,
    suggestions,
    dryRun,
    parseCsvRow: attempt(() => csv.parseCsvRow({ Email: 'ada@example.org', Active: 'No' })),
  };
}

function schemaPart(schema) {
  return {
    exports: exportsOf(schema),
    valid: attempt(() =>
      schema.parseUser({ id: 'u1', status: 'active', expiresAt: '2026-06-01T00:00:00Z' }),
    ),
    badStatus: attempt(() => schema.parseUser({ id: 'u1', status: 'Active', expiresAt: null })),
    badDate: attempt(() =>
      schema.parseUser({ id: 'u1', status: 'active', expiresAt: '2026-02-30T00:00:00Z' }),
    ),
  };
}

function datesPart(dates) {
  const zones = ['UTC', 'Europe/London', 'America/New_York', 'Asia/Kolkata', 'Pacific/Kiritimati'];
  const days = ['2026-12-31', '2026-03-28', '2026-10-31', '2024-02-29'];
  return {
    exports: exportsOf(dates),
    instants: zones.map((zone) => ({
      zone,
      days: days.map((day) => attempt(() => dates.expirationInstant(day, zone))),
    })),
    badZone: attempt(() => dates.expirationInstant('2026-12-31', 'Mars/Olympus_Mons')),
    badDay: attempt(() => dates.expirationInstant('2026-02-30', 'UTC')),
  };
}

/** A one-sheet workbook with fflate: inline strings, as a small exporter writes them. */
function workbook({ zipSync, strToU8 }) {
  const ns = 'http://schemas.openxmlformats.org';
  const rel = (type, target) =>
    `<Relationship Id="rId1" Type="${ns}/officeDocument/2006/relationships/${type}" Target="${target}"/>`;
  const rels = (r) =>
    `<Relationships xmlns="${ns}/package/2006/relationships">${r}</Relationships>`;
  const cell = (ref, text) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
  const row = (n, cells) =>
    `<row r="${n}">${cells.map((text, i) => cell(`${'ABC'[i]}${n}`, text)).join('')}</row>`;
  const sheet = [
    row(1, ['Email', 'Active', 'Expiration Date']),
    row(2, ['ada@example.org', 'No', '']),
    row(3, ['grace@example.org', 'Yes', '2026-12-31']),
    row(5, ['zoë@example.org', 'Maybe', '']),
  ].join('');
  return zipSync({
    '_rels/.rels': strToU8(rels(rel('officeDocument', 'xl/workbook.xml'))),
    'xl/workbook.xml': strToU8(
      `<workbook xmlns="${ns}/spreadsheetml/2006/main" xmlns:r="${ns}/officeDocument/2006/relationships"><sheets><sheet name="Learners" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': strToU8(rels(rel('worksheet', 'worksheets/sheet1.xml'))),
    'xl/worksheets/sheet1.xml': strToU8(
      `<worksheet xmlns="${ns}/spreadsheetml/2006/main"><sheetData>${sheet}</sheetData></worksheet>`,
    ),
  });
}

async function xlsxPart(xlsx, fflate) {
  const file = workbook(fflate);
  let header;
  const rows = await attemptAsync(() =>
    collect(
      xlsx.parseXlsx(file, {
        sheet: 'Learners',
        timeZone: 'Asia/Kolkata',
        onHeader: (h) => (header = plain(h)),
      }),
    ),
  );
  const notWorkbook = await attemptAsync(() => collect(xlsx.parseXlsx(bytes('Email,Active\n'))));
  return { exports: exportsOf(xlsx), header: header ?? '(none)', rows, notWorkbook };
}

async function testingPart(testing, fc, csv) {
  const sample = (arbitrary, seed) => plain(fc.sample(arbitrary, { seed, numRuns: 4 }));
  const files = [];
  for (const file of fc.sample(testing.csvFileArb(), { seed: 15, numRuns: 6 })) {
    files.push({
      sample: plain(file),
      parsed: await attemptAsync(() => collect(csv.parseCsv(file.chunks))),
    });
  }
  return {
    exports: exportsOf(testing),
    users: sample(testing.userArb(), 42),
    userAndNow: sample(testing.userAndNowArb(), 43),
    csvValues: sample(testing.csvValuesArb(), 44),
    files,
  };
}

/**
 * The verdict over the entries given (`main` and `csv` at least; `schema`, `dates`, `xlsx`
 * with `fflate`, `testing` with `fc` where the runtime has them). `source(name, chunks)` turns
 * a CSV file's chunks into the runtime's own stream (a Blob's by default): the file is read
 * from it as well as from the chunks themselves.
 */
export async function verdict(entries, { source = (_, chunks) => new Blob(chunks).stream() } = {}) {
  const { main, csv, schema, dates, xlsx, fflate, testing, fc } = entries;
  const result = { main: mainPart(main), csv: await csvPart(csv, main, source) };
  if (schema) result.schema = schemaPart(schema);
  if (dates) result.dates = datesPart(dates);
  if (xlsx && fflate) result.xlsx = await xlsxPart(xlsx, fflate);
  if (testing && fc) result.testing = await testingPart(testing, fc, csv);
  return result;
}
