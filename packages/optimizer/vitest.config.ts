import { defineConfig } from 'vitest/config';

// Resolve sibling packages to their TypeScript sources (the "@tributary/source" export
// condition), so tests never need a build first.
const conditions = ['@tributary/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: { include: ['test/**/*.test.ts'] },
});
