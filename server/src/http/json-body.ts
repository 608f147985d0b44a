// JSON request bodies: parsed with secure-json-parse so that `__proto__` and
// `constructor.prototype` keys are refused with a clear problem instead of a generic one.
import type { FastifyInstance } from 'fastify'
import sjson from 'secure-json-parse'
import { badRequest, HttpProblem } from '../lib/problem.js'

export function registerJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8')
    if (text.trim() === '') return done(badRequest('The request body is empty but JSON was declared'))
    try {
      done(null, sjson.parse(text, { protoAction: 'error', constructorAction: 'error' }))
    } catch (error) {
      const message = error instanceof Error ? error.message : ''
      done(
        /prototype/.test(message)
          ? new HttpProblem(
              400,
              'forbidden-key',
              'The body contains a forbidden key (__proto__ or constructor.prototype)',
            )
          : new HttpProblem(400, 'invalid-json', 'The request body is not valid JSON'),
      )
    }
  })
}
