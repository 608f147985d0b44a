// The OpenAI-compatible API: /v1/models, /v1/chat/completions, /v1/embeddings. Only Web+ API
// keys with the `gateway` scope, sent in the Authorization header, are accepted (the auth
// guard resolves them); every error is in OpenAI's shape.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { canUse, credentialInQuery, gatewayCaller, keyInQueryRefused, resolveModel } from './access.js'
import { chatCompletionBody, toChatCall } from './chat-request.js'
import type { GatewayModel } from './directory.js'
import { embeddingsBody, encodeVector, inputsOf } from './embeddings.js'
import { invalidRequest, modelNotFound, registerOpenAIErrors } from './errors.js'

const modelObject = z.object({
  id: z.string(),
  object: z.literal('model'),
  created: z.number(),
  owned_by: z.string(),
})

const toModelObject = (entry: GatewayModel) => ({
  id: entry.id,
  object: 'model' as const,
  created: entry.created,
  owned_by: entry.ownedBy,
})

/** Long conversations and embedding batches are bigger than the rest of the API's bodies. */
const GATEWAY_BODY_LIMIT = 8 * 1024 * 1024

export const gatewayRoutes: FastifyPluginAsyncZod = async (app) => {
  const { directory, quota, completions, embeddings } = app.services.gateway
  registerOpenAIErrors(app, (request, error) =>
    error.status === 401 && credentialInQuery(request) ? keyInQueryRefused() : error,
  )
  // After the auth guard: a key in the query string is refused even beside a valid header, and
  // a browser session's access token is not a gateway credential.
  app.addHook('onRequest', async (request) => {
    if (credentialInQuery(request)) throw keyInQueryRefused()
    if (request.auth) gatewayCaller(request)
  })
  app.addHook('preClose', async () => completions.abortAll())

  const config = { access: { scope: 'gateway' as const } }
  // OpenAI's API reference documents these; Web+'s OpenAPI document covers /api/v1 only.
  const tags = ['gateway']
  const hide = true
  const bodyLimit = Math.max(app.config.bodyLimitBytes, GATEWAY_BODY_LIMIT)

  app.get(
    '/models',
    {
      config,
      schema: {
        hide,
        tags,
        summary: 'Models this API key may use (OpenAI list format)',
        response: { 200: z.object({ object: z.literal('list'), data: z.array(modelObject) }) },
      },
    },
    async (request) => {
      const caller = gatewayCaller(request)
      const limits = await quota.limitsOf(caller)
      const entries = (await directory.all()).filter((entry) => canUse(entry, caller, limits))
      return { object: 'list' as const, data: entries.map(toModelObject) }
    },
  )

  app.get(
    '/models/*',
    {
      config,
      schema: {
        hide,
        tags,
        summary: 'One model this API key may use',
        params: z.object({ '*': z.string().max(256) }),
        response: { 200: modelObject },
      },
    },
    async (request) => {
      const caller = gatewayCaller(request)
      const limits = await quota.limitsOf(caller)
      const requested = request.params['*']
      const entry = await directory.resolve(requested)
      if (!entry || !canUse(entry, caller, limits)) throw modelNotFound(requested)
      return toModelObject(entry)
    },
  )

  app.post(
    '/chat/completions',
    {
      config,
      bodyLimit,
      schema: {
        hide,
        tags,
        summary: 'Chat completion, as one object or SSE chunks',
        body: chatCompletionBody,
      },
    },
    async (request, reply) => {
      const caller = gatewayCaller(request)
      const chat = toChatCall(request.body)
      const limits = await quota.limitsOf(caller)
      const entry = await resolveModel(directory, caller, limits, chat.model)
      if (!entry.model.capabilities.includes('chat')) {
        throw invalidRequest(`The model '${entry.id}' is not a chat model.`, 'model', 'model_not_supported')
      }
      const admission = await quota.admit(caller, limits)
      return completions.run(reply, { caller, limits, entry, admission, chat })
    },
  )

  app.post(
    '/embeddings',
    {
      config,
      bodyLimit,
      schema: {
        hide,
        tags,
        summary: 'Embeddings for models with the embeddings capability',
        body: embeddingsBody,
      },
    },
    async (request) => {
      const caller = gatewayCaller(request)
      const inputs = inputsOf(request.body)
      const limits = await quota.limitsOf(caller)
      const entry = await resolveModel(directory, caller, limits, request.body.model)
      if (!entry.model.capabilities.includes('embeddings')) {
        throw invalidRequest(
          `The model '${entry.id}' does not compute embeddings.`,
          'model',
          'model_not_supported',
        )
      }
      const admission = await quota.admit(caller, limits)
      const { vectors, tokens } = await embeddings.embed(caller, entry, inputs)
      await quota.settle(admission, tokens, (tokens * entry.model.pricing.inputPerMTok) / 1_000_000)
      const format = request.body.encoding_format ?? 'float'
      return {
        object: 'list',
        data: vectors.map((vector, index) => ({
          object: 'embedding',
          index,
          embedding: encodeVector(vector, format),
        })),
        model: entry.id,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      }
    },
  )
}
