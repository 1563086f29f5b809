// Bulk updates as the page runs them: an upload is planned at once (a dry run: nothing is
// written), kept for its administrator, and applied only when they press Apply, in batches,
// with progress and a cancel button. Everything is kept in memory, for an hour.
import {
  applyBulkUpdate,
  type BulkPlan,
  type BulkProgress,
  type BulkReport,
  planBulkUpdate,
  type UserStore,
} from 'learner-status';
import { parseCsv } from 'learner-status/csv';
import { parseXlsx } from 'learner-status/xlsx';
import { randomToken } from './security.js';

type JobState = 'preview' | 'applying' | 'done';

export interface BulkJob {
  readonly id: string;
  /** The administrator session that uploaded it: nobody else sees or applies it. */
  readonly owner: string;
  readonly fileName: string;
  readonly plan: BulkPlan;
  readonly createdAt: number;
  state: JobState;
  /** The last progress reported while applying (null before the first batch). */
  progress: BulkProgress | null;
  report: BulkReport | null;
  /** Why the apply stopped with an error (the store failed, say), if it did. */
  error: string | null;
  readonly cancel: AbortController;
}

/** A workbook is a zip file: it starts with PK\x03\x04, whatever its name says. */
const isWorkbook = (bytes: Uint8Array): boolean =>
  bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

export interface PlanUploadOptions {
  readonly bytes: Uint8Array;
  readonly fileName: string;
  readonly owner: string;
  readonly actor: string;
  readonly now: Date;
  readonly timeZone: string;
  /** S4: the largest share of all learners one file may change. */
  readonly maxChangeRatio: number;
}

const HOUR = 3_600_000;

/** The bulk jobs of one server. */
export function createBulkJobs(store: UserStore) {
  const jobs = new Map<string, BulkJob>();

  const forget = (now: number) => {
    for (const [id, job] of jobs) {
      if (job.state !== 'applying' && now - job.createdAt > HOUR) jobs.delete(id);
    }
  };

  return {
    /**
     * Reads and plans an upload. A file refused whole (no id column, not a CSV or workbook,
     * over a size limit) rejects with the reader's LearnerStatusError; nothing is kept.
     */
    async plan(options: PlanUploadOptions): Promise<BulkJob> {
      forget(options.now.getTime());
      const kind = isWorkbook(options.bytes) ? 'xlsx' : 'csv';
      const rows =
        kind === 'xlsx'
          ? parseXlsx(options.bytes, { timeZone: options.timeZone })
          : parseCsv(options.bytes, { timeZone: options.timeZone });
      const plan = await planBulkUpdate(rows, store, {
        now: options.now,
        actor: options.actor,
        source: kind,
        reason: `bulk upload ${options.fileName}`,
        maxChangeRatio: options.maxChangeRatio,
      });
      const job: BulkJob = {
        id: randomToken(),
        owner: options.owner,
        fileName: options.fileName,
        plan,
        createdAt: options.now.getTime(),
        state: 'preview',
        progress: null,
        report: null,
        error: null,
        cancel: new AbortController(),
      };
      jobs.set(job.id, job);
      return job;
    },

    /** The job, if it exists and belongs to this administrator session. */
    get(id: string, owner: string): BulkJob | undefined {
      const job = jobs.get(id);
      return job?.owner === owner ? job : undefined;
    },

    /**
     * Starts writing a previewed plan (once; a second press does nothing). The rows written
     * are exactly the plan's `changed` rows, each only if the learner has not changed since
     * the preview (else `conflict`). Open sessions of a learner it takes access from end on
     * their next request: checkSession reads the learner's new accessRevokedAt (L3). Resolves
     * when the apply ends.
     */
    apply(job: BulkJob, now: Date): Promise<void> {
      if (job.state !== 'preview' || job.plan.guard?.refused) return Promise.resolve();
      job.state = 'applying';
      return applyBulkUpdate(job.plan, store, {
        now,
        batchSize: 50,
        signal: job.cancel.signal,
        onProgress: (progress) => {
          job.progress = progress;
        },
      })
        .then((report) => {
          job.report = report;
        })
        .catch((error: unknown) => {
          job.error = error instanceof Error ? error.message : String(error);
        })
        .finally(() => {
          job.state = 'done';
        });
    },
  };
}
