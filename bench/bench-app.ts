// Web+ inside a benchmark process: the app with what every benchmark wants (no Ollama discovery,
// no reconciliation loop, rate limits out of the way, quiet logs) plus its own settings, and API
// calls through inject.
import type { FastifyInstance } from 'fastify'
import { buildApp } from '../server/src/app.js'
import { type ConfigInput, loadConfig } from '../server/src/config.js'

export function benchApp(settings: ConfigInput & { dataDir: string }): Promise<FastifyInstance> {
  return buildApp(
    loadConfig(
      {
        logLevel: 'warn',
        serveWeb: 'false',
        ollamaHost: 'off',
        reconcileIntervalMs: '0',
        rateLimitPerMinute: '100000000',
        loginAttemptsPerMinute: '100000',
        ...settings,
      },
      {},
    ),
  )
}

/** One API call as `token`'s holder; a status of 300 or more throws with the body. */
export async function callApp<T>(
  app: FastifyInstance,
  method: 'GET' | 'POST',
  url: string,
  token?: string,
  payload?: object,
): Promise<T> {
  const response = await app.inject({
    method,
    url,
    ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    ...(payload ? { payload } : {}),
  })
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`)
  return response.json<T>()
}
