// The page script of the Chromium run (scripts/test-runtimes.mjs), bundled from the scratch
// consumer for the browser. The CSV files are read from `File` streams, as an upload form
// hands them over.
import * as fc from 'fast-check';
import * as fflate from 'fflate';
import * as main from 'learner-status';
import * as csv from 'learner-status/csv';
import * as dates from 'learner-status/dates';
import * as schema from 'learner-status/schema';
import * as testing from 'learner-status/testing';
import * as xlsx from 'learner-status/xlsx';
import { verdict } from './smoke.mjs';

globalThis.runSmoke = async () =>
  JSON.stringify(
    await verdict(
      { main, csv, schema, dates, xlsx, fflate, testing, fc },
      { source: (name, chunks) => new File(chunks, `${name}.csv`, { type: 'text/csv' }).stream() },
    ),
  );
