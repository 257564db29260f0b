import { defineConfig } from 'vitest/config';

// Resolve sibling packages to their TypeScript sources (the "@tributary/source" export
// condition), so tests never need a build first.
const conditions = ['@tributary/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  // Generous limits: CI runs every package's tests at once on 2 cores.
  test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
});
