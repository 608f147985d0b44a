// JSON request bodies: parsed with secure-json-parse so that `__proto__` and
// `constructor.prototype` keys are refused with a clear problem instead of a generic one.
// Text with a NUL character (U+0000) is refused on the API too: PostgreSQL cannot store one,
// so it would fail on the way into the database instead of being answered as bad input.
import type { FastifyInstance } from 'fastify'
import sjson from 'secure-json-parse'
import { badRequest, HttpProblem } from '../lib/problem.js'

export function registerJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8')
    if (text.trim() === '') return done(badRequest('The request body is empty but JSON was declared'))
    let value: unknown
    try {
      value = sjson.parse(text, { protoAction: 'error', constructorAction: 'error' })
    } catch (error) {
      const message = error instanceof Error ? error.message : ''
      return done(
        /prototype/.test(message)
          ? new HttpProblem(
              400,
              'forbidden-key',
              'The body contains a forbidden key (__proto__ or constructor.prototype)',
            )
          : new HttpProblem(400, 'invalid-json', 'The request body is not valid JSON'),
      )
    }
    // The escape is in the text whenever a NUL is in the value (the walk runs only then). The
    // gateway passes text on to models without storing it, as OpenAI's API does.
    if (text.includes('\\u0000') && !request.url.startsWith('/v1/') && hasNul(value)) {
      return done(
        new HttpProblem(400, 'invalid-text', 'Text in the request cannot contain the NUL character (U+0000)'),
      )
    }
    done(null, value)
  })
}

function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000')
  if (Array.isArray(value)) return value.some(hasNul)
  if (value && typeof value === 'object') {
    return Object.entries(value).some(([key, item]) => key.includes('\u0000') || hasNul(item))
  }
  return false
}
