// Listening and graceful shutdown: on SIGTERM/SIGINT stop accepting, let in-flight requests
// finish, then close the database and other resources (app.close runs the onClose hooks).
import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'
import { buildApp } from './app.js'
import type { Config } from './config.js'

export async function startServer(config: Config): Promise<FastifyInstance> {
  const app = await buildApp(config)
  // server.close() only ends connections idle at that moment; a keep-alive connection whose
  // request is still in flight would stay open afterwards and hold shutdown until the grace delay.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close')
  })
  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error')
    else app.log.info({ signal }, 'shutting down')
    await app.close()
  })
  await app.listen({ host: config.host, port: config.port })
  return app
}
