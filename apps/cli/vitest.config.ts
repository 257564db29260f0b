import { defineConfig } from 'vitest/config';

// Resolve sibling packages to their TypeScript sources (the "@tributary/source" export
// condition), so tests never need a build first.
const conditions = ['@tributary/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  // The CLI tests sample real (small) models; under a busy turbo run they need more than 5 s.
  test: { include: ['test/**/*.test.ts'], setupFiles: ['test/setup.ts'], testTimeout: 120_000, hookTimeout: 120_000 },
});
