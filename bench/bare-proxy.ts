// The least any Node.js gateway does, for the gateway benchmark's floor: read the request body,
// parse it as JSON, send it on over a keep-alive connection, and copy the reply's bytes back as
// they come. No authentication, validation, routing, accounting or re-encoding: whatever Web+
// adds beyond this is the cost of its features; this much is the cost of being a second hop on
// this machine. Usage: tsx bare-proxy.ts <backendBaseUrl>; prints its port as one line.
import { Agent, createServer, request } from 'node:http'
import type { AddressInfo } from 'node:net'

const upstream = new URL(process.argv[2] ?? '')
const agent = new Agent({ keepAlive: true, maxSockets: Number.POSITIVE_INFINITY })

const server = createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (chunk: Buffer) => chunks.push(chunk))
  req.on('end', () => {
    const payload = JSON.stringify(JSON.parse(Buffer.concat(chunks).toString('utf8')))
    const forward = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: `${upstream.pathname.replace(/\/$/, '')}/chat/completions`,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (reply) => {
        res.writeHead(reply.statusCode ?? 502, { 'content-type': reply.headers['content-type'] ?? '' })
        reply.on('data', (chunk: Buffer) => res.write(chunk))
        reply.on('end', () => res.end())
      },
    )
    forward.on('error', () => res.destroy())
    forward.end(payload)
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`)
})
process.on('SIGTERM', () => {
  server.closeAllConnections()
  server.close(() => process.exit(0))
})
