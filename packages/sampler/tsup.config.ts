import { defineConfig } from 'tsup';

// Two entries: the library and the worker-thread entry. sample() starts workers from
// new URL('./worker.js', import.meta.url), so worker.js must sit next to the chunk that holds
// sample() — tsup writes all entries and shared chunks flat into dist/.
export default defineConfig({
  entry: ['src/index.ts', 'src/worker.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  target: 'node20',
});
