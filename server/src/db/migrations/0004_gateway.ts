import type { Kysely } from 'kysely'

// Gateway: limits per user and per API key (one row per subject, `user:<id>` or `key:<id>`;
// a missing row or a null column means "no limit"), and an index for per-key usage sums.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('gateway_limits')
    .addColumn('subject', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('api_key_id', 'text', (c) => c.references('api_keys.id').onDelete('cascade'))
    .addColumn('requests_per_minute', 'integer')
    .addColumn('tokens_per_minute', 'integer')
    .addColumn('tokens_per_day', 'bigint')
    .addColumn('tokens_per_month', 'bigint')
    .addColumn('budget_per_day', 'double precision')
    .addColumn('budget_per_month', 'double precision')
    .addColumn('allowed_models', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('gateway_limits_user_idx').on('gateway_limits').column('user_id').execute()
  await db.schema.createIndex('usage_key_at_idx').on('usage_events').columns(['api_key_id', 'at']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('usage_key_at_idx').execute()
  await db.schema.dropTable('gateway_limits').execute()
}
