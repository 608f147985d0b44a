// What one process must spend on write syscalls to pass a burst of tokens on: N loopback client
// sockets, one SSE frame written to each, timed (the median of several rounds). Printed beside
// the streams benchmark, because a proxy in one process writes once per token per client and
// those writes alone put a floor under the delay it adds when all streams get a token at once.
import net from 'node:net'

const FRAME = Buffer.from('id: 12\nevent: delta\ndata: {"seq":12,"text":" word"}\n\n')

/** Microseconds per `socket.write` of one SSE frame, over `sockets` loopback connections. */
export async function writeFloor(sockets: number, rounds = 7): Promise<number> {
  const server = net.createServer((socket) => socket.resume())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  const clients = await Promise.all(
    Array.from(
      { length: sockets },
      () =>
        new Promise<net.Socket>((resolve) => {
          const socket = net.connect(port, '127.0.0.1', () => resolve(socket.setNoDelay(true)))
        }),
    ),
  )
  const perWrite: number[] = []
  try {
    for (let round = 0; round < rounds; round++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      const started = process.hrtime.bigint()
      for (const client of clients) client.write(FRAME)
      perWrite.push(Number(process.hrtime.bigint() - started) / 1000 / sockets)
    }
  } finally {
    for (const client of clients) client.destroy()
    await new Promise((resolve) => server.close(resolve))
  }
  return perWrite.sort((a, b) => a - b)[Math.floor(perWrite.length / 2)] ?? Number.NaN
}
