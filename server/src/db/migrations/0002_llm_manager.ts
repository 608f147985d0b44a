import { type Kysely, sql } from 'kysely'

// LLM Manager: provider connections, the model catalog with per-host status, pulls, and the
// usage rows every model call writes (chat, gateway, pipelines).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('providers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) =>
      c.notNull().check(sql`kind in ('ollama', 'openai', 'anthropic', 'openai-compatible', 'embedded')`),
    )
    .addColumn('base_url', 'text', (c) => c.notNull())
    .addColumn('api_key_sealed', 'text')
    .addColumn('api_key_last4', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('unknown'))
    .addColumn('last_error', 'text')
    .addColumn('latency_ms', 'integer')
    .addColumn('checked_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('models')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('catalog_key', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text')
    .addColumn('family', 'text')
    .addColumn('parameter_size', 'text')
    .addColumn('quantization', 'text')
    .addColumn('context_length', 'integer')
    .addColumn('capabilities', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('size_bytes', 'bigint')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('allowed_roles', 'text', (c) => c.notNull().defaultTo('["admin","developer","user"]'))
    .addColumn('price_input_per_mtok', 'real', (c) => c.notNull().defaultTo(0))
    .addColumn('price_output_per_mtok', 'real', (c) => c.notNull().defaultTo(0))
    .addColumn('fallback_model_id', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('model_hosts')
    .addColumn('model_id', 'text', (c) => c.notNull().references('models.id').onDelete('cascade'))
    .addColumn('provider_id', 'text', (c) => c.notNull().references('providers.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint')
    .addColumn('vram_bytes', 'bigint')
    .addColumn('expires_at', 'text')
    .addColumn('error', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('model_hosts_pk', ['model_id', 'provider_id'])
    .execute()
  await db.schema.createIndex('model_hosts_provider_idx').on('model_hosts').column('provider_id').execute()

  await db.schema
    .createTable('pulls')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('provider_id', 'text', (c) => c.notNull().references('providers.id').onDelete('cascade'))
    .addColumn('model_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('completed_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('total_bytes', 'bigint')
    .addColumn('bytes_per_second', 'real')
    .addColumn('error', 'text')
    .addColumn('started_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('usage_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('api_key_id', 'text')
    .addColumn('model_id', 'text')
    .addColumn('model_name', 'text', (c) => c.notNull())
    .addColumn('provider_id', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('input_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('output_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('ttft_ms', 'integer')
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('tokens_per_second', 'real')
    .addColumn('outcome', 'text', (c) => c.notNull())
    .addColumn('error', 'text')
    .addColumn('cost', 'real', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.createIndex('usage_model_at_idx').on('usage_events').columns(['model_id', 'at']).execute()
  await db.schema.createIndex('usage_user_at_idx').on('usage_events').columns(['user_id', 'at']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['usage_events', 'pulls', 'model_hosts', 'models', 'providers']) {
    await db.schema.dropTable(table).execute()
  }
}
