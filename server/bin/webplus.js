#!/usr/bin/env node
// Runs the built CLI (npm run build creates dist/).
import { main } from '../dist/cli.js'

main(process.argv).catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
