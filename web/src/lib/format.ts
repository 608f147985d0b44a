// Dates as people read them: absolute in the user's locale, or relative ("3 minutes ago").

// Formatters are made on first use: building one loads locale data, which a page that shows no
// date (a conversation opening) should not wait for.
function onFirstUse<T>(make: () => T): () => T {
  let value: T | undefined
  return () => {
    value ??= make()
    return value
  }
}

const dateTime = onFirstUse(
  () => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }),
)
const dateOnly = onFirstUse(() => new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }))
const relative = onFirstUse(() => new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' }))

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
]

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTime().format(new Date(iso)) : '—'
}

export function formatDate(iso: string | null | undefined): string {
  return iso ? dateOnly().format(new Date(iso)) : '—'
}

export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'Never'
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000)
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return relative().format(Math.round(seconds / size), unit)
  }
  return 'just now'
}

// Sizes, speeds and durations, short enough for a table cell.

const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'] as const

/** Decimal units, as model hosts report them: 800 MB, 1.2 GB, 13 GB. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—'
  let value = bytes
  let unit = 0
  while (value >= 999.5 && unit < BYTE_UNITS.length - 1) {
    value /= 1000
    unit += 1
  }
  const digits = unit === 0 || value >= 10 ? 0 : 1
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`
}

export function formatBytesPerSecond(bytesPerSecond: number | null | undefined): string {
  return bytesPerSecond === null || bytesPerSecond === undefined ? '—' : `${formatBytes(bytesPerSecond)}/s`
}

/** A length of time in its two largest units: 45 s, 4 min, 1 h 5 min, 2 d 3 h. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000))
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min`
  const hours = Math.floor(minutes / 60)
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`
  const days = Math.floor(hours / 24)
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`
}

/** Milliseconds of latency: 850 ms, 1.2 s, 12 s. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—'
  if (ms < 1000) return `${Math.round(ms)} ms`
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`
}

/** Context windows as model cards write them: 2K, 128K (binary), 200K (decimal), 1M. */
export function formatTokenCount(tokens: number | null | undefined): string {
  if (tokens === null || tokens === undefined) return '—'
  if (tokens >= 1_000_000 && tokens % 1_000_000 === 0) return `${tokens / 1_000_000}M`
  if (tokens >= 1024 && tokens % 1024 === 0) return `${tokens / 1024}K`
  if (tokens >= 1000) return `${Math.round(tokens / 1000)}K`
  return String(tokens)
}

const compact = onFirstUse(
  () => new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 }),
)

export function formatCompact(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : compact().format(value)
}

/** A fraction (0.012) as a percentage (1.2%). */
export function formatPercent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined) return '—'
  const percent = fraction * 100
  return `${percent === 0 || percent >= 10 ? Math.round(percent) : percent.toFixed(1)}%`
}

/** US dollars, with enough decimals that small per-token costs do not round to zero. */
export function formatCost(dollars: number | null | undefined): string {
  if (dollars === null || dollars === undefined) return '—'
  if (dollars === 0) return '$0'
  if (dollars < 0.0001) return '< $0.0001'
  const digits = dollars >= 1 ? 2 : dollars >= 0.01 ? 3 : 4
  return `$${dollars.toFixed(digits)}`
}
