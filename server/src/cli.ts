// The `webplus` command: start, migrate, create-admin, audit verify.
import { Command, Option } from 'commander'
import { AuditService } from './audit/service.js'
import { AuthService } from './auth/service.js'
import { type ConfigInput, envNameOf, loadConfig } from './config.js'
import { openDb } from './db/index.js'
import { migrateToLatest } from './db/migrate.js'
import { deriveKey, loadOrCreateSecret } from './lib/secret.js'

function commonOptions(command: Command): Command {
  return command
    .addOption(new Option('--data-dir <dir>', 'data folder (SQLite file, secret)').env(envNameOf('dataDir')))
    .addOption(
      new Option('--database-url <url>', 'postgres://… to use PostgreSQL').env(envNameOf('databaseUrl')),
    )
}

function flagsOf(options: Record<string, string | undefined>): ConfigInput {
  return {
    host: options.host,
    port: options.port,
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl,
    redisUrl: options.redisUrl,
  }
}

export function buildCli(): Command {
  const program = new Command('webplus')
    .description('Web+: LLM Manager, Chat and Code Factory on one server')
    .showHelpAfterError()

  commonOptions(program.command('start').description('start the server (applies pending migrations first)'))
    .addOption(new Option('--host <host>', 'address to listen on (default 127.0.0.1)').env(envNameOf('host')))
    .addOption(new Option('--port <port>', 'port to listen on (default 8080)').env(envNameOf('port')))
    .addOption(new Option('--redis-url <url>', 'redis://… for scale-out').env(envNameOf('redisUrl')))
    .action(async (options: Record<string, string | undefined>) => {
      const { startServer } = await import('./server.js')
      await startServer(loadConfig(flagsOf(options)))
    })

  commonOptions(program.command('migrate').description('apply pending database migrations and exit')).action(
    async (options: Record<string, string | undefined>) => {
      const config = loadConfig(flagsOf(options))
      const handle = openDb(config)
      try {
        const applied = await migrateToLatest(handle.db)
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date')
      } finally {
        await handle.destroy()
      }
    },
  )

  commonOptions(program.command('create-admin').description('create an admin account'))
    .requiredOption('--email <email>', 'e-mail address')
    .option('--name <name>', 'display name', 'Administrator')
    .addOption(
      new Option('--password <password>', 'password (8–256 characters)').env('WEBPLUS_ADMIN_PASSWORD'),
    )
    .action(async (options: Record<string, string | undefined>) => {
      if (!options.password) throw new Error('give --password or WEBPLUS_ADMIN_PASSWORD')
      const config = loadConfig(flagsOf(options))
      const handle = openDb(config)
      try {
        await migrateToLatest(handle.db)
        const secret = loadOrCreateSecret(config.dataDir, config.secret)
        const audit = new AuditService(handle.db, handle.dialect, deriveKey(secret, 'audit'))
        const { SettingsService } = await import('./admin/settings.js')
        const { createBus } = await import('./realtime/bus.js')
        const { AccessTokens } = await import('./auth/tokens.js')
        const bus = await createBus()
        const auth = new AuthService(
          handle.db,
          audit,
          new SettingsService(handle.db),
          bus,
          new AccessTokens(deriveKey(secret, 'jwt'), config.accessTokenTtlSeconds),
          config.refreshTokenTtlDays,
        )
        const user = await auth.register(
          { email: options.email ?? '', password: options.password, name: options.name ?? 'Administrator' },
          null,
          { forceRole: 'admin' },
        )
        console.log(`created admin ${user.email} (${user.id})`)
      } finally {
        await handle.destroy()
      }
    })

  const audit = program.command('audit').description('audit trail tools')
  commonOptions(audit.command('verify').description('check the audit hash chain; exits 1 if broken')).action(
    async (options: Record<string, string | undefined>) => {
      const config = loadConfig(flagsOf(options))
      const handle = openDb(config)
      try {
        const secret = loadOrCreateSecret(config.dataDir, config.secret)
        const result = await new AuditService(handle.db, handle.dialect, deriveKey(secret, 'audit')).verify()
        if (result.ok) console.log(`audit chain intact: ${result.checked} events`)
        else {
          console.error(`audit chain BROKEN at event ${result.firstBrokenSeq}: ${result.reason}`)
          process.exitCode = 1
        }
      } finally {
        await handle.destroy()
      }
    },
  )
  return program
}

export async function main(argv: string[]): Promise<void> {
  await buildCli().parseAsync(argv)
}
