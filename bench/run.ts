// `npm run bench`: runs every benchmark in one process run and prints figures and ratios.
import { benchReconcile } from './reconcile.js'

const fmt = (n: number) => n.toFixed(2)

const reconcile = await benchReconcile()
console.log('LLM Manager: status reconciliation, 3 hosts x 200 models (server CPU per cycle)')
console.log(
  `  nothing changed : ${fmt(reconcile.steadyMs)} ms  (target < ${reconcile.targetMs} ms, ratio ${fmt(reconcile.steadyMs / reconcile.targetMs)})`,
)
console.log(
  `  150 loaded rows changed : ${fmt(reconcile.changingMs)} ms  (target < ${reconcile.targetMs} ms, ratio ${fmt(reconcile.changingMs / reconcile.targetMs)})`,
)
