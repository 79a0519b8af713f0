import { defineConfig } from 'vitest/config';

// Browser tests drive Debian's Chromium; they run with `npm run test:browser`, not `npm test`.
export default defineConfig({
  test: {
    include: ['test/console/browser/**/*.e2e.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
