// Checks once that the services this run needs are there. Under CI=true a missing PostgreSQL
// or Redis is a failure, not a skip.

import { Redis } from 'ioredis'
import pg from 'pg'

export default async function setup(): Promise<void> {
  const ci = process.env.CI === 'true'
  const pgUrl = process.env.TEST_DATABASE_URL
  const redisUrl = process.env.TEST_REDIS_URL
  if (ci && !pgUrl) throw new Error('CI=true but TEST_DATABASE_URL is not set: PostgreSQL tests cannot run')
  if (ci && !redisUrl) throw new Error('CI=true but TEST_REDIS_URL is not set: Redis tests cannot run')
  if (pgUrl) {
    const client = new pg.Client({ connectionString: pgUrl })
    await client.connect()
    await client.end()
  }
  if (redisUrl) {
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
    await redis.connect()
    await redis.ping()
    redis.disconnect()
  }
}
