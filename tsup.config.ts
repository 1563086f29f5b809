import { defineConfig } from 'tsup';

/**
 * One build for every public entry. ESM and CommonJS, each with its own declarations
 * (`.d.ts` for `import`, `.d.cts` for `require`), so that TypeScript consumers under
 * `node16`, `nodenext` and `bundler` resolution all see the right module kind.
 */
export default defineConfig({
  entry: {
    index: 'src/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: false,
  target: 'node20',
  platform: 'neutral',
  splitting: true,
  treeshake: true,
  minify: false,
  outExtension({ format }) {
    return { js: format === 'cjs' ? '.cjs' : '.js' };
  },
});
