// What each command takes and says about itself. The parser (options.ts) and the help
// (help.ts) are both built from these lists, so that the help names every option a command
// takes and no other (issue 17: `check --help` listed `--now`, which check never read).
import type { OptionName } from './options.js';

/** A titled group of options in a command's help. */
interface OptionSection<K extends OptionName> {
  readonly title: string;
  readonly options: readonly K[];
}

/** One command: its usage line, what it does, its options by section, and its exit codes. */
export interface CommandSpec<K extends OptionName = OptionName> {
  readonly name: 'check' | 'preview' | 'apply';
  /** After `Usage: learner-status `; a no-break space keeps a flag with its value. */
  readonly usage: string;
  /** Paragraphs, wrapped to the terminal width when printed. */
  readonly about: readonly string[];
  readonly sections: readonly OptionSection<K>[];
  /** Help lines this command words its own way. */
  readonly help?: Partial<Record<K, string>>;
  readonly exitCodes: string;
}

function command<const K extends OptionName>(spec: CommandSpec<K>): CommandSpec<K> {
  return spec;
}

const READING = [
  'id-column',
  'date-format',
  'time-zone',
  'delimiter',
  'encoding',
  'sheet',
] as const satisfies readonly OptionName[];

export const CHECK = command({
  name: 'check',
  usage: 'check <file.csv|file.xlsx> [options]',
  about: [
    'Validates a bulk status file (header, identifier column, Active Yes/No, Expiration Date) and lists every problem with its line, column and value. Nothing is read from or written to any user store. CSV in any delimiter and encoding, or an .xlsx workbook (known by its content). When dates fail only because of their day/month order, it prints the exact --date-format that reads them.',
  ],
  sections: [
    { title: 'Reading the file', options: READING },
    { title: 'Output', options: ['json', 'report', 'help'] },
  ],
  help: { report: 'write every problem as CSV (formula-safe), for download' },
  exitCodes:
    'Exit codes: 0 clean, 1 some rows have errors, 2 the file is refused whole or bad usage.',
});

export const PREVIEW = command({
  name: 'preview',
  usage: 'preview <file.csv|file.xlsx> --users\u00a0<users.csv|users.xlsx|users.json> [options]',
  about: [
    'The dry run: plans the bulk file against an export of current users and shows, for each row, the stored status, expiration date and effective status before and after, the warnings, duplicates and unknown users, and the totals. Nothing is written.',
    'The users export is a CSV or .xlsx workbook with the bulk file\'s columns (an id column, Active Yes/No, optional Expiration Date; read with the same --delimiter, --encoding and --date-format, and its own first worksheet) or a JSON array of {"id","status","expiresAt"} records.',
  ],
  sections: [
    { title: 'Plan', options: ['users', 'now', 'max-changes', 'max-change-ratio'] },
    { title: 'Reading the files', options: READING },
    { title: 'Output', options: ['json', 'report', 'help'] },
  ],
  help: {
    report: 'write the plan as CSV (formula-safe), one line per row',
    sheet: 'the worksheet of an .xlsx bulk file (default: the first)',
  },
  exitCodes:
    'Exit codes: 0 clean, 1 some rows have errors or the guard trips, 2 a file is refused or bad usage.',
});

export const APPLY = command({
  name: 'apply',
  usage: 'apply <file.csv|file.xlsx> --database-url\u00a0<postgres-url> [options]',
  about: [
    "Plans the bulk file against the PostgreSQL store (tables created beforehand with the store's migration), shows the totals and the problems, asks for confirmation on a terminal, then applies the changes in batches of conditional writes and prints the totals. Needs the 'pg' package (npm install pg).",
  ],
  sections: [
    { title: 'Database', options: ['database-url', 'schema', 'users-table', 'events-table'] },
    {
      title: 'Applying',
      options: ['yes', 'now', 'max-changes', 'max-change-ratio', 'actor', 'batch-size'],
    },
    { title: 'Reading the file', options: READING },
    { title: 'Output', options: ['json', 'report', 'help'] },
  ],
  help: {
    now: 'plan and apply at this instant, ISO 8601 with Z or an offset (default: the clock)',
    'max-changes': 'refuse (exit 1, nothing written) when more than n users would change',
    'max-change-ratio':
      'refuse (exit 1, nothing written) when more than this share of all users would change',
    report: 'write the report as CSV (formula-safe), one line per row',
    json: 'print the totals and problems as JSON on stdout (for scripts)',
  },
  exitCodes:
    "Exit codes: 0 every change applied, 1 some rows have errors, conflicts or failures, the guard trips, or the confirmation is declined, 2 bad usage, a file refused whole, no 'pg', or the database cannot be reached or lacks the tables.",
});

/** Every command, for the parser's "which command takes this option" hint. */
export const COMMANDS: readonly CommandSpec[] = [CHECK, PREVIEW, APPLY];
