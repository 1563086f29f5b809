// Which cell styles show numbers as dates. A workbook stores a date as a plain number of days;
// only the number format of the cell's style (xl/styles.xml) says it is a date.
import type { XmlHandlers } from './xml.js';

/**
 * The built-in number formats that are dates or times: 14-22 and 45-47 everywhere, and 27-36
 * and 50-58, which Excel in Chinese, Japanese and Korean writes for its local date formats
 * (in other locales these ids are not used).
 */
function isBuiltInDate(id: number): boolean {
  return (
    (id >= 14 && id <= 22) ||
    (id >= 45 && id <= 47) ||
    (id >= 27 && id <= 36) ||
    (id >= 50 && id <= 58)
  );
}

/**
 * Whether a custom number format code shows a date or a time: it has y, m, d, h or s outside
 * quoted text, `[...]` brackets (colours, locales, conditions, elapsed-time markers), escaped
 * characters (`\x`) and the `_x` / `*x` spacing and fill characters.
 *
 * @example
 * ```ts
 * isDateFormat('dd/mm/yyyy'); // true
 * isDateFormat('[$-409]mmmm d, yyyy;@'); // true
 * isDateFormat('#,##0.00 "days"'); // false
 * isDateFormat('[Red]0.00'); // false
 * ```
 */
export function isDateFormat(code: string): boolean {
  let i = 0;
  while (i < code.length) {
    const c = code[i] as string;
    if (c === '"') {
      const close = code.indexOf('"', i + 1);
      i = close < 0 ? code.length : close + 1;
    } else if (c === '[') {
      const close = code.indexOf(']', i + 1);
      i = close < 0 ? code.length : close + 1;
    } else if (c === '\\' || c === '_' || c === '*') {
      i += 2;
    } else {
      if ('yYmMdDhHsS'.includes(c)) return true;
      i++;
    }
  }
  return false;
}

/**
 * Reads xl/styles.xml into the list, by cell style index (the `s` attribute of a cell), of
 * whether the style's number format is a date. Built as handlers for the part's XML.
 *
 * @example
 * ```ts
 * const styles = new DateStyles();
 * readXml(peers, 'xl/styles.xml', pieces, styles);
 * styles.isDate(1); // true when the second cell style has, say, numFmtId 14
 * ```
 */
export class DateStyles implements XmlHandlers {
  private readonly customDates = new Map<number, boolean>();
  private readonly formats: number[] = [];
  private dates: boolean[] | undefined;
  // Number formats count only in <numFmts> (conditional formats in <dxfs> have their own), and
  // cell styles only in <cellXfs> (<cellStyleXfs> are named styles, not cells' styles).
  private where: 'numFmts' | 'cellXfs' | undefined;

  /** Whether the cell style at `index` shows numbers as dates (style 0 and unknown: no). */
  isDate(index: number): boolean {
    // A workbook may redefine a built-in id with a custom code: the code wins.
    this.dates ??= this.formats.map((id) => this.customDates.get(id) ?? isBuiltInDate(id));
    return this.dates[index] === true;
  }

  open(name: string, attributes: Readonly<Record<string, string>>): void {
    if (name === 'numFmts' || name === 'cellXfs') this.where = name;
    else if (name === 'numFmt' && this.where === 'numFmts') {
      const id = Number(attributes['numFmtId']);
      this.customDates.set(id, isDateFormat(attributes['formatCode'] ?? ''));
    } else if (name === 'xf' && this.where === 'cellXfs') {
      this.formats.push(Number(attributes['numFmtId'] ?? 0));
    }
  }

  close(name: string): void {
    if (name === this.where) this.where = undefined;
  }

  text(): void {}
}
