import { defineConfig } from 'tsup';

/**
 * One build for every public entry. ESM and CommonJS, each with its own declarations
 * (`.d.ts` for `import`, `.d.cts` for `require`), so that TypeScript consumers under
 * `node16`, `nodenext` and `bundler` resolution all see the right module kind.
 */
export default defineConfig([
  {
    // parseUser (zod) and expirationInstant (date-fns) are public entries of their own
    // (learner-status/schema, learner-status/dates), not re-exported by the main entry: loading
    // the main entry in plain Node then loads no dependency (see docs/architecture.md).
    entry: {
      index: 'src/index.ts',
      csv: 'src/csv/index.ts',
      postgres: 'src/postgres/index.ts',
      testing: 'src/testing/index.ts',
      xlsx: 'src/xlsx/index.ts',
      schema: 'src/schema/index.ts',
      dates: 'src/dates/index.ts',
    },
    format: ['esm', 'cjs'],
    dts: true,
    // `npm run build` empties dist/ first: the two builds below run side by side.
    clean: false,
    sourcemap: false,
    target: 'node20',
    platform: 'neutral',
    splitting: true,
    treeshake: true,
    minify: false,
    outExtension({ format }) {
      return { js: format === 'cjs' ? '.cjs' : '.js' };
    },
  },
  {
    // The command-line tool (`bin: learner-status`): Node only, ESM, no declarations. It is
    // built on the public entries; tsup keeps the shebang. Split into chunks so that each
    // command loads only what it uses (main.ts imports the commands when they run).
    entry: { cli: 'src/cli/main.ts' },
    format: ['esm'],
    dts: false,
    clean: false,
    sourcemap: false,
    target: 'node20',
    platform: 'node',
    splitting: true,
    treeshake: true,
    outExtension: () => ({ js: '.js' }),
  },
]);
