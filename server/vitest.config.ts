import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores here: argon2 and PostgreSQL do not like a dozen workers.
    maxWorkers: 2,
    minWorkers: 1,
  },
})
