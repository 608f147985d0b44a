#!/usr/bin/env node
// Runs the built CLI (npm run build creates dist/). The built server runs as production (React
// renders pages with its production build) unless NODE_ENV says otherwise.
process.env.NODE_ENV ??= 'production'
const { main } = await import('../dist/cli.js')

main(process.argv).catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
