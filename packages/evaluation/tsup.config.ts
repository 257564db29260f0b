import { defineConfig } from 'tsup';

// Two entries: the library and the evaluation worker thread's entry. parallel.ts starts the
// worker from new URL('./worker.js', import.meta.url), so worker.js must sit next to the chunk
// that holds it — tsup writes all entries and shared chunks flat into dist/.
export default defineConfig({
  entry: ['src/index.ts', 'src/worker.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  target: 'node20',
});
