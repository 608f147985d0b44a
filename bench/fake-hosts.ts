// Starts fake Ollama hosts in their own process (so their CPU is not counted as the server's)
// and prints their URLs as one JSON line. Usage: tsx fake-hosts.ts <hosts> <modelsPerHost> [shared|distinct]
// `shared` (the default): even and odd hosts carry the same names, so several hosts share
// catalog entries; `distinct`: every host has its own names (hosts × models catalog entries).
import { FakeOllama, fakeOllamaModel } from '../server/test/fakes/fake-ollama.js'

const hosts = Number(process.argv[2] ?? 3)
const perHost = Number(process.argv[3] ?? 200)
const distinct = process.argv[4] === 'distinct'
const fakes: FakeOllama[] = []
for (let h = 0; h < hosts; h++) {
  const models = Array.from({ length: perHost }, (_, i) =>
    fakeOllamaModel(distinct ? `bench-model-${i}:h${h}` : `bench-model-${i}:q${h % 2}`),
  )
  const fake = await FakeOllama.start({ models })
  // A quarter of each host's models are loaded, as on a busy GPU box.
  for (const model of models.slice(0, perHost / 4)) fake.loadExternally(model.name, '1h')
  fakes.push(fake)
}
process.stdout.write(`${JSON.stringify(fakes.map((f) => f.url))}\n`)
const shutdown = () => {
  Promise.all(fakes.map((f) => f.close())).then(() => process.exit(0))
}
process.on('SIGTERM', shutdown)
// The benchmark holds our stdin open: if it dies without stopping us, we stop too.
process.stdin.on('end', shutdown).resume()
