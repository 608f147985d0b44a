// Entry point for running from source (`tsx src/main.ts start`); bin/webplus.js runs the build.
import { main } from './cli.js'

main(process.argv).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
