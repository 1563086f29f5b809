// The workbook part and its relationships: which sheets there are, in which order, where each
// one's XML is, where the shared strings and styles are, and which date system is used.
import { LearnerStatusError } from '../errors.js';
import { damaged } from './detect.js';
import type { Peers } from './peers.js';
import { readXml } from './xml.js';
import {
  type ByteBudget,
  findEntry,
  readEntry,
  refuseArchive,
  type ZipArchive,
  type ZipEntry,
} from './zip.js';

/**
 * One sheet of the workbook, in workbook order.
 *
 * @example
 * ```ts
 * const sheet: WorkbookSheet = { name: 'Learners', kind: 'worksheet', path: 'xl/worksheets/sheet1.xml' };
 * ```
 */
export interface WorkbookSheet {
  readonly name: string;
  /** The relationship type's last segment: `worksheet`, `chartsheet`, `dialogsheet`, ... */
  readonly kind: string;
  /** The sheet's part in the zip, when the relationships name one. */
  readonly path: string | undefined;
}

/**
 * What the sheet reader needs to know about a workbook.
 *
 * @example
 * ```ts
 * const book: Workbook = { sheets: [], date1904: false, sharedStringsPath: 'xl/sharedStrings.xml', stylesPath: undefined };
 * ```
 */
export interface Workbook {
  readonly sheets: readonly WorkbookSheet[];
  /** Dates count from 1904-01-01 (old Excel for Mac) rather than from 1900. */
  readonly date1904: boolean;
  readonly sharedStringsPath: string | undefined;
  readonly stylesPath: string | undefined;
}

interface Relationship {
  readonly kind: string;
  readonly target: string;
}

/** `Target` of a relationship, resolved against the directory of the part that has it. */
function resolve(base: string, target: string): string {
  let decoded = target;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    // A bare '%' in a name: keep the target as written.
  }
  const parts = decoded.startsWith('/') ? [] : base.split('/').slice(0, -1);
  for (const segment of decoded.split('/')) {
    if (segment === '..') parts.pop();
    else if (segment !== '.' && segment !== '') parts.push(segment);
  }
  return parts.join('/');
}

/** Reads a relationships part (`Id` to type and resolved target) for the part at `owner`. */
function readRelationships(
  archive: ZipArchive,
  owner: string,
  peers: Peers,
  budget: ByteBudget,
): Map<string, Relationship> | undefined {
  const slash = owner.lastIndexOf('/');
  const path = `${owner.slice(0, slash + 1)}_rels/${owner.slice(slash + 1)}.rels`;
  const entry = findEntry(archive, path);
  if (entry === undefined) return undefined;
  const relationships = new Map<string, Relationship>();
  readXml(peers, entry.name, readEntry(archive, entry, peers, budget), {
    open(name, attributes) {
      const id = attributes['Id'];
      const target = attributes['Target'];
      if (name !== 'Relationship' || id === undefined || target === undefined) return;
      if (attributes['TargetMode'] === 'External') return;
      const type = attributes['Type'] ?? '';
      relationships.set(id, {
        kind: type.slice(type.lastIndexOf('/') + 1),
        target: resolve(owner, target),
      });
    },
    close() {},
    text() {},
  });
  return relationships;
}

/** The workbook part: the package's main document when it is a workbook, else the usual path. */
function workbookPath(archive: ZipArchive, peers: Peers, budget: ByteBudget): string {
  const main = [...(readRelationships(archive, '', peers, budget)?.values() ?? [])].find(
    (relationship) => relationship.kind === 'officeDocument',
  );
  // A .docx or .pptx names its own main document here: only a workbook part is taken.
  if (main !== undefined && /(^|\/)workbook\.xml$/i.test(main.target)) {
    const entry = findEntry(archive, main.target);
    if (entry !== undefined) return entry.name;
  }
  const entry = findEntry(archive, 'xl/workbook.xml');
  if (entry === undefined) throw refuseArchive(archive);
  return entry.name;
}

/**
 * Reads the workbook part and its relationships. A zip without a workbook is refused
 * (`NOT_A_WORKBOOK`, naming what it seems to be: a .docx, an .ods, ...).
 *
 * @example
 * ```ts
 * const book = readWorkbook(openZip(bytes), peers, new ByteBudget(maxBytes));
 * book.sheets.map((sheet) => sheet.name); // ['Learners', 'Archive']
 * ```
 */
export function readWorkbook(archive: ZipArchive, peers: Peers, budget: ByteBudget): Workbook {
  const path = workbookPath(archive, peers, budget);
  const listed: { name: string; id: string | undefined; sheetId: string | undefined }[] = [];
  let date1904 = false;
  let inSheets = false;
  readXml(peers, path, readEntry(archive, findEntry(archive, path)!, peers, budget), {
    open(name, attributes) {
      if (name === 'workbookPr') {
        const value = attributes['date1904'];
        date1904 = value === '1' || value === 'true';
      } else if (name === 'sheets') inSheets = true;
      else if (name === 'sheet' && inSheets) {
        // `r:id`, whatever prefix the writer bound to the relationships namespace.
        const key = Object.keys(attributes).find((attribute) => attribute.endsWith(':id'));
        listed.push({
          name: attributes['name'] ?? '',
          id: key === undefined ? undefined : attributes[key],
          sheetId: attributes['sheetId'],
        });
      }
    },
    close(name) {
      if (name === 'sheets') inSheets = false;
    },
    text() {},
  });
  const relationships = readRelationships(archive, path, peers, budget);
  const sheets = listed.map((sheet): WorkbookSheet => {
    const relationship = sheet.id === undefined ? undefined : relationships?.get(sheet.id);
    if (relationship !== undefined) {
      return { name: sheet.name, kind: relationship.kind, path: relationship.target };
    }
    // No relationships part at all: the sheet is where Excel would have put it.
    const guess =
      relationships === undefined
        ? findEntry(archive, `xl/worksheets/sheet${sheet.sheetId}.xml`)
        : undefined;
    return { name: sheet.name, kind: 'worksheet', path: guess?.name };
  });
  const part = (kind: string, usual: string): string | undefined => {
    for (const relationship of relationships?.values() ?? []) {
      if (relationship.kind === kind) return relationship.target;
    }
    return findEntry(archive, usual)?.name;
  };
  return {
    sheets,
    date1904,
    sharedStringsPath: part('sharedStrings', 'xl/sharedStrings.xml'),
    stylesPath: part('styles', 'xl/styles.xml'),
  };
}

/** ASCII-only lower case: sheet names are matched without locale rules (C9). */
function asciiLower(text: string): string {
  return text.replace(/[A-Z]/g, (letter) => String.fromCharCode(letter.charCodeAt(0) + 32));
}

function quoteNames(sheets: readonly WorkbookSheet[]): string {
  return sheets.map((sheet) => JSON.stringify(sheet.name)).join(', ');
}

/**
 * The sheet to read: the one named `name` (exactly, then ignoring ASCII case), or the first
 * worksheet. `SHEET_NOT_FOUND` (field `sheet`) lists the worksheets the workbook has.
 *
 * @example
 * ```ts
 * chooseSheet(book, 'learners').name; // 'Learners'
 * ```
 */
export function chooseSheet(book: Workbook, name: string | undefined): WorkbookSheet {
  const worksheets = book.sheets.filter((sheet) => sheet.kind === 'worksheet');
  if (name === undefined) {
    const first = worksheets[0];
    if (first !== undefined) return first;
    throw new LearnerStatusError(
      'SHEET_NOT_FOUND',
      'The workbook has no worksheet (only charts, or nothing). Add a sheet with the data, or export the data as CSV.',
      { field: 'sheet' },
    );
  }
  const lower = asciiLower(name);
  const found =
    worksheets.find((sheet) => sheet.name === name) ??
    worksheets.find((sheet) => asciiLower(sheet.name) === lower);
  if (found !== undefined) return found;
  const other = book.sheets.find((sheet) => asciiLower(sheet.name) === lower);
  const what =
    other === undefined
      ? `has no sheet named ${JSON.stringify(name)}`
      : `has a sheet named ${JSON.stringify(other.name)}, but it is a ${other.kind === 'chartsheet' ? 'chart' : other.kind}, not a worksheet`;
  throw new LearnerStatusError(
    'SHEET_NOT_FOUND',
    worksheets.length === 0
      ? `The workbook ${what}, and no worksheet at all.`
      : `The workbook ${what}. Its worksheets: ${quoteNames(worksheets)}. Pass one of these names as the sheet.`,
    { field: 'sheet' },
  );
}

/**
 * The zip part of the chosen sheet; a sheet listed but missing makes the workbook damaged.
 *
 * @example
 * ```ts
 * const entry = sheetEntry(archive, chooseSheet(book, undefined));
 * ```
 */
export function sheetEntry(archive: ZipArchive, sheet: WorkbookSheet): ZipEntry {
  const entry = sheet.path === undefined ? undefined : findEntry(archive, sheet.path);
  if (entry === undefined)
    throw damaged(`its sheet ${JSON.stringify(sheet.name)} has no data part`);
  return entry;
}
