import { defineConfig } from 'vitest/config';

// Resolve sibling packages to their TypeScript sources (the "@tributary/source" export
// condition), so tests never need a build first.
const conditions = ['@tributary/source', 'module', 'node', 'development|production'];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  // The browser test fits three small models in beforeAll and drives headless Chromium.
  test: { include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 180_000 },
});
