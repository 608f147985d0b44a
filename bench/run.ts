// `npm run bench [-- name...]`: runs every benchmark (or the named ones) in one process run and
// prints figures and ratios. Names: reconcile, embedded, gateway, chat, models-page.
import { benchChat, printChat } from './chat.js'
import { benchEmbedded } from './embedded.js'
import { benchGateway, printGateway } from './gateway.js'
import { benchModelsPage, printModelsPage } from './models-page.js'
import { benchReconcile, printReconcile } from './reconcile.js'

const fmt = (n: number) => n.toFixed(2)

const sections: Record<string, () => Promise<void>> = {
  reconcile: async () => printReconcile(await benchReconcile()),
  embedded: async () => {
    const embedded = await benchEmbedded()
    console.log(
      `Embedded engine: tokens/s through Web+ vs node-llama-cpp directly (tiny GGUF; ${embedded.settings})`,
    )
    console.log(
      `  Web+ chat API (POST message, SSE) : ${fmt(embedded.chat.tokensPerSecond)} tokens/s  (${embedded.chat.tokens} tokens)`,
    )
    if (embedded.gateway)
      console.log(
        `  Web+ gateway (/v1/chat/completions) : ${fmt(embedded.gateway.tokensPerSecond)} tokens/s  (ratio ${fmt(embedded.gatewayRatio ?? 0)})`,
      )
    console.log(
      `  node-llama-cpp directly : ${fmt(embedded.direct.tokensPerSecond)} tokens/s  (${embedded.direct.tokens} tokens)`,
    )
    console.log(`  ratio chat API / direct : ${fmt(embedded.ratio)}  (target >= 0.95)`)
  },
  gateway: async () => printGateway(await benchGateway()),
  chat: async () => printChat(await benchChat()),
  'models-page': async () => printModelsPage(await benchModelsPage()),
}

const wanted = process.argv.slice(2)
const unknown = wanted.filter((name) => !(name in sections))
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(sections).join(', ')}`)
  process.exit(2)
}
for (const [name, run] of Object.entries(sections)) {
  if (wanted.length === 0 || wanted.includes(name)) await run()
}
