// Generation routes: the reply as Server-Sent Events (the text so far, then live deltas with
// sequential ids; Last-Event-ID resumes without gaps or duplicates), and stop.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod'
import { z } from 'zod'
import { caller } from '../auth/guard.js'
import { errorResponses, idParams } from '../http/schemas.js'
import { notFound } from '../lib/problem.js'
import { findStoredGeneration, type GenerationOutcome } from './generation-store.js'
import type { LiveGeneration, StreamEvent } from './generations.js'
import { generationStateSchema, tags } from './schemas.js'
import { type EventStream, lastEventId } from './sse.js'

function sendEvent(stream: EventStream, event: StreamEvent): void {
  if (event.type === 'delta') {
    stream.send('delta', event.seq, { text: event.text })
    return
  }
  stream.send('done', event.seq, doneData(event.outcome))
  stream.end()
}

function doneData(outcome: Pick<GenerationOutcome, 'state' | 'error'> & Partial<GenerationOutcome>) {
  return {
    state: outcome.state,
    error: outcome.error,
    usage: outcome.usage ?? null,
    contextTrimmed: outcome.contextTrimmed ?? null,
  }
}

/** Backlog and live events of a running (or just finished) job. */
function streamLive(stream: EventStream, generation: LiveGeneration, afterSeq: number | null): void {
  const { spec } = generation
  const subscription = generation.subscribe(afterSeq, (event) => sendEvent(stream, event))
  stream.onClose(subscription.unsubscribe)
  if (subscription.snapshot) {
    stream.send('snapshot', subscription.snapshot.seq, {
      generationId: spec.id,
      conversationId: spec.conversationId,
      messageId: spec.messageId,
      text: subscription.snapshot.text,
      state: generation.outcome?.state ?? 'streaming',
    })
  }
  for (const event of subscription.backlog) sendEvent(stream, event)
}

export const generationRoutes: FastifyPluginAsyncZod = async (app) => {
  const { runner, streams } = app.services.chat
  const { db } = app.services

  app.get(
    '/generations/:id/events',
    {
      schema: {
        tags,
        summary: 'Follow a reply as Server-Sent Events: snapshot, delta…, done (resume with Last-Event-ID)',
        params: idParams,
        querystring: z.strictObject({
          lastEventId: z
            .string()
            .max(20)
            .optional()
            .describe('For clients that cannot send the Last-Event-ID header'),
        }),
        response: {
          200: z
            .string()
            .describe('text/event-stream: `snapshot` {text, state}, `delta` {text}, `done` {state, usage}'),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const userId = caller(request).user.id
      const afterSeq = lastEventId(request, request.query.lastEventId)
      const live = runner.get(request.params.id)
      if (live && live.spec.userId === userId) {
        streamLive(streams.start(reply), live, afterSeq)
        return reply
      }
      const stored = await findStoredGeneration(db, userId, request.params.id)
      if (!stored) throw notFound('Generation')
      // Not running here: finished before this process started (or long ago) — the stored text
      // and final state. A reply still `streaming` in the database is being written by another
      // server process: the client gets the stored text and is told to come back for more.
      const { generation } = stored
      const stream = streams.start(reply)
      stream.send('snapshot', generation.seq, {
        generationId: generation.id,
        conversationId: stored.conversationId,
        messageId: generation.message_id,
        text: stored.text,
        state: generation.state,
      })
      const { state, error } = generation
      if (state === 'streaming') stream.retry(1000)
      else stream.send('done', generation.seq + 1, doneData({ state, error }))
      stream.end()
      return reply
    },
  )

  app.post(
    '/generations/:id/stop',
    {
      schema: {
        tags,
        summary: 'Stop a reply; the text so far is kept as `stopped`',
        params: idParams,
        response: { 200: generationStateSchema, ...errorResponses },
      },
    },
    async (request) => {
      const userId = caller(request).user.id
      const live = runner.get(request.params.id)
      if (live && live.spec.userId === userId) {
        const outcome = await runner.stop(live.spec.id)
        return {
          generationId: live.spec.id,
          messageId: live.spec.messageId,
          state: outcome?.state ?? 'stopped',
        }
      }
      const stored = await findStoredGeneration(db, userId, request.params.id)
      if (!stored) throw notFound('Generation')
      return {
        generationId: stored.generation.id,
        messageId: stored.generation.message_id,
        state: stored.generation.state,
      }
    },
  )
}
