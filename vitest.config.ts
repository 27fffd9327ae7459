import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two cores: keep the pool small so browser and build tests do not starve each other.
    maxWorkers: 2,
    testTimeout: 20_000,
    // Builds the sites that the site and browser tests read (test/setup/sites.ts).
    globalSetup: ['test/setup/sites.ts'],
  },
});
