// zod for the app's forms, configured before any schema runs: the CSP forbids eval, so zod is
// told not to probe for it (the probe alone logs a CSP violation). Only the forms load zod; a
// page without one (the chat page opened directly) does not wait for it.
import { z } from 'zod'

z.config({ jitless: true })

export { z }
