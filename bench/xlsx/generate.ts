// Deterministic generator of the workbook benchmark file (F8): one sheet with the header
// `Email, Active, Expiration Date` and one learner a row, laid out as Excel writes it: every
// text in the shared-strings table (stored after the sheet in the zip, as Excel stores it),
// `Yes`/`No` as shared strings, the date as a number with the built-in date style 14, 40%
// of the dates absent (no <c> at all), `spans` and `x14ac:dyDescent` on every row. The same
// seed always writes the same bytes, so runs are comparable. The file is cached in the data
// directory of the CSV benchmarks (ignored by git). The `inline` kind writes the e-mails as
// inline strings instead (as some export tools do): no shared-strings table grows with the
// rows, so its peak memory shows what the streaming itself holds.
//
//   node --import tsx bench/xlsx/generate.ts            # 100k and 1M rows into bench/.data
//   node --import tsx bench/xlsx/generate.ts 250000     # one file with that many rows
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strToU8, zipSync } from 'fflate';
import { DATA_DIR } from '../csv/generate.js';

/** mulberry32, as in bench/csv/generate.ts: tiny and deterministic across Node versions. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = ['ada', 'grace', 'alan', 'zoe', 'jose', 'bjorn', 'lea', 'oyvind', 'chloe', 'mateo'];
const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n';

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** The small parts every Excel workbook has, as Excel 365 writes them (theme left out). */
function packageParts(): Record<string, Uint8Array> {
  return {
    '[Content_Types].xml': strToU8(
      `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
    ),
    '_rels/.rels': strToU8(
      `${HEAD}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    'xl/workbook.xml': strToU8(
      `${HEAD}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><fileVersion appName="xl" lastEdited="7" lowestEdited="7" rupBuild="27328"/><workbookPr defaultThemeVersion="166925"/><bookViews><workbookView xWindow="-110" yWindow="-110" windowWidth="19420" windowHeight="10420"/></bookViews><sheets><sheet name="Learners" sheetId="1" r:id="rId1"/></sheets><calcPr calcId="191029"/></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      `${HEAD}<Relationships xmlns="${PKG_REL}"><Relationship Id="rId3" Type="${REL}/styles" Target="styles.xml"/><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId4" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    ),
  };
}

const STYLES = `${HEAD}<styleSheet xmlns="${MAIN}"><fonts count="1"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

/** Joins text pieces into UTF-8 bytes without one giant string. */
class ByteSink {
  private readonly parts: Uint8Array[] = [];
  private text = '';
  add(piece: string): void {
    this.text += piece;
    if (this.text.length > 1 << 20) this.flush();
  }
  bytes(): Uint8Array {
    this.flush();
    const total = this.parts.reduce((n, part) => n + part.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const part of this.parts) {
      out.set(part, at);
      at += part.length;
    }
    return out;
  }
  private flush(): void {
    this.parts.push(strToU8(this.text));
    this.text = '';
  }
}

/** Days from 1899-12-30 (Excel's day 0 after its 1900 leap-year bug) to `year-month-day`. */
function serial(year: number, month: number, day: number): number {
  return (Date.UTC(year, month - 1, day) - Date.UTC(1899, 11, 30)) / 86_400_000;
}

export type WorkbookKind = 'shared' | 'inline';

/** Writes the workbook of `rows` learners unless it exists; resolves to its path. */
export async function generateWorkbook(
  rows: number,
  kind: WorkbookKind = 'shared',
  seed = 20_260_101,
): Promise<string> {
  mkdirSync(DATA_DIR, { recursive: true });
  const path = join(
    DATA_DIR,
    kind === 'shared' ? `users-${rows}.xlsx` : `users-${kind}-${rows}.xlsx`,
  );
  if (existsSync(path)) return path;
  const next = random(seed);
  const strings = new ByteSink();
  const sheet = new ByteSink();
  let unique = 0;
  let count = 0;
  const shared = new Map<string, number>();
  const share = (text: string): number => {
    count++;
    let index = shared.get(text);
    if (index === undefined) {
      index = unique++;
      // Unique e-mails never repeat: remembering them would only cost memory.
      if (!text.includes('@')) shared.set(text, index);
      strings.add(`<si><t>${escapeXml(text)}</t></si>`);
    }
    return index;
  };
  sheet.add(
    `${HEAD}<worksheet xmlns="${MAIN}" xmlns:r="${REL}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"><dimension ref="A1:C${rows + 1}"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="14.5" x14ac:dyDescent="0.35"/><cols><col min="1" max="1" width="42" customWidth="1"/><col min="3" max="3" width="16" style="1" customWidth="1"/></cols><sheetData>`,
  );
  const header = ['Email', 'Active', 'Expiration Date'].map(share);
  sheet.add(
    `<row r="1" spans="1:3" x14ac:dyDescent="0.35">${header.map((index, column) => `<c r="${'ABC'[column]}1" t="s"><v>${index}</v></c>`).join('')}</row>`,
  );
  for (let index = 1; index <= rows; index++) {
    const r = index + 1;
    const name = NAMES[Math.floor(next() * NAMES.length)];
    const email = `${name}.learner${index}@learners.example.org`;
    const active = share(next() < 0.8 ? 'Yes' : 'No');
    let cells =
      kind === 'shared'
        ? `<c r="A${r}" t="s"><v>${share(email)}</v></c>`
        : `<c r="A${r}" t="inlineStr"><is><t>${escapeXml(email)}</t></is></c>`;
    cells += `<c r="B${r}" t="s"><v>${active}</v></c>`;
    if (next() >= 0.4) {
      const date = serial(
        2026 + Math.floor(next() * 3),
        1 + Math.floor(next() * 12),
        1 + Math.floor(next() * 28),
      );
      cells += `<c r="C${r}" s="1"><v>${date}</v></c>`;
    }
    sheet.add(`<row r="${r}" spans="1:3" x14ac:dyDescent="0.35">${cells}</row>`);
  }
  sheet.add(
    '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>',
  );
  const sst = new ByteSink();
  sst.add(`${HEAD}<sst xmlns="${MAIN}" count="${count}" uniqueCount="${unique}">`);
  const head = sst.bytes();
  const body = strings.bytes();
  const tail = strToU8('</sst>');
  const sharedStrings = new Uint8Array(head.length + body.length + tail.length);
  sharedStrings.set(head);
  sharedStrings.set(body, head.length);
  sharedStrings.set(tail, head.length + body.length);
  // Object key order is zip order: the sheet before the shared strings, as Excel writes it.
  const zip = zipSync(
    {
      ...packageParts(),
      'xl/worksheets/sheet1.xml': sheet.bytes(),
      'xl/styles.xml': strToU8(STYLES),
      'xl/sharedStrings.xml': sharedStrings,
    },
    { level: 6 },
  );
  writeFileSync(`${path}.part`, zip);
  renameSync(`${path}.part`, path);
  return path;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const requested = Number(process.argv[2]);
  const sizes = Number.isInteger(requested) && requested > 0 ? [requested] : [100_000, 1_000_000];
  for (const rows of sizes) console.log(await generateWorkbook(rows));
}
