// Child process of bench/xlsx/run.ts: the floor, the chosen libraries reading the workbook
// bare. fflate's streaming Unzip inflates the shared strings and the sheet; saxes parses them;
// the texts of the shared strings are kept (every reader must keep them) and the sheet's rows
// and values are counted, no record built. Prints one JSON line: rows, time, peak RSS.
//
//   node --import tsx bench/xlsx/bare.ts <file.xlsx>
import { readFile } from 'node:fs/promises';
import { Unzip, UnzipInflate } from 'fflate';
import { SaxesParser } from 'saxes';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: bare.ts <file.xlsx>');
const start = performance.now();
const bytes = await readFile(path);
const strings: string[] = [];
let rows = 0;
let values = 0;

function parser(part: 'strings' | 'sheet'): (data: Uint8Array, final: boolean) => void {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const sax = new SaxesParser({ position: false, xmlns: false });
  let inText = false;
  let text = '';
  if (part === 'strings') {
    sax.on('opentag', (tag) => {
      if (tag.name === 't') inText = true;
      else if (tag.name === 'si') text = '';
    });
    sax.on('text', (chunk) => {
      if (inText) text += chunk;
    });
    sax.on('closetag', (tag) => {
      if (tag.name === 't') inText = false;
      else if (tag.name === 'si') strings.push(text);
    });
  } else {
    sax.on('opentag', (tag) => {
      if (tag.name === 'row') rows++;
      else if (tag.name === 'v') inText = true;
    });
    sax.on('text', (chunk) => {
      if (inText) values += chunk.length > 0 ? 1 : 0;
    });
    sax.on('closetag', (tag) => {
      if (tag.name === 'v') inText = false;
    });
  }
  return (data, final) => {
    sax.write(decoder.decode(data, { stream: !final }));
    if (final) sax.close();
  };
}

const unzip = new Unzip((file) => {
  const part =
    file.name === 'xl/sharedStrings.xml'
      ? 'strings'
      : file.name === 'xl/worksheets/sheet1.xml'
        ? 'sheet'
        : undefined;
  if (part === undefined) return;
  const write = parser(part);
  file.ondata = (error, data, final) => {
    if (error) throw error;
    write(data, final);
  };
  file.start();
});
unzip.register(UnzipInflate);
for (let at = 0; at < bytes.length; at += 1 << 14) {
  unzip.push(bytes.subarray(at, at + (1 << 14)), at + (1 << 14) >= bytes.length);
}
const ms = performance.now() - start;
console.log(
  JSON.stringify({
    rows,
    values,
    strings: strings.length,
    ms,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
