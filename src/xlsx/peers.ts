// The two optional peer dependencies of learner-status/xlsx, loaded when the first workbook is
// opened rather than when the module is imported: an app or a command line that also reads
// CSV must keep working without them, and only opening a workbook may ask for them.
import type { Inflate } from 'fflate';
import type { SaxesParser } from 'saxes';
import { LearnerStatusError } from '../errors.js';

/**
 * The library classes the workbook reader uses: fflate's streaming inflate, saxes's parser.
 *
 * @example
 * ```ts
 * const peers: Peers = await loadPeers();
 * new peers.Inflate((data) => console.log(data.length));
 * ```
 */
export interface Peers {
  readonly Inflate: typeof Inflate;
  readonly SaxesParser: typeof SaxesParser;
}

/**
 * The one-line install command the error names.
 *
 * @example
 * ```ts
 * console.log(`run '${INSTALL_PEERS}'`);
 * ```
 */
export const INSTALL_PEERS = 'npm install fflate saxes';

let loading: Promise<Peers> | undefined;

/**
 * Loads fflate and saxes once per process. A missing package is an `INVALID_INPUT` error that
 * names the install command, and is asked for again on the next call (it may be installed by
 * then).
 *
 * @example
 * ```ts
 * const { Inflate, SaxesParser } = await loadPeers();
 * ```
 */
export function loadPeers(): Promise<Peers> {
  loading ??= Promise.all([import('fflate'), import('saxes')]).then(
    ([fflate, saxes]) => ({ Inflate: fflate.Inflate, SaxesParser: saxes.SaxesParser }),
    (error: unknown) => {
      loading = undefined;
      throw missingPeers(error);
    },
  );
  return loading;
}

/**
 * Translates the failure to load a peer into the error a caller can act on.
 *
 * @example
 * ```ts
 * missingPeers(Object.assign(new Error("Cannot find package 'saxes'"), { code: 'ERR_MODULE_NOT_FOUND' }));
 * // LearnerStatusError INVALID_INPUT: Reading .xlsx files needs ... npm install fflate saxes
 * ```
 */
export function missingPeers(error: unknown): LearnerStatusError {
  const code =
    typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
  return new LearnerStatusError(
    'INVALID_INPUT',
    missing
      ? `Reading .xlsx files needs the optional packages fflate and saxes, which are not installed: run '${INSTALL_PEERS}'.`
      : `Reading .xlsx files needs the optional packages fflate and saxes, and loading them failed: reinstall them with '${INSTALL_PEERS}'.`,
    { cause: error },
  );
}
