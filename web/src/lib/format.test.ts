import { describe, expect, it } from 'vitest'
import {
  formatBytes,
  formatBytesPerSecond,
  formatCost,
  formatDuration,
  formatMs,
  formatPercent,
  formatTokenCount,
} from './format'

describe('formatBytes', () => {
  it('uses decimal units with one decimal below 10', () => {
    expect(formatBytes(0)).toBe('0 B')
    expect(formatBytes(999)).toBe('999 B')
    expect(formatBytes(1000)).toBe('1.0 kB')
    expect(formatBytes(800_000_000)).toBe('800 MB')
    expect(formatBytes(1_234_567_890)).toBe('1.2 GB')
    expect(formatBytes(13_400_000_000)).toBe('13 GB')
    expect(formatBytes(2.5e12)).toBe('2.5 TB')
  })

  it('moves to the next unit instead of printing 1000', () => {
    expect(formatBytes(999_600)).toBe('1.0 MB')
    expect(formatBytes(999_499)).toBe('999 kB')
  })

  it('shows a dash for unknown or impossible sizes', () => {
    expect(formatBytes(null)).toBe('—')
    expect(formatBytes(undefined)).toBe('—')
    expect(formatBytes(-1)).toBe('—')
    expect(formatBytes(Number.NaN)).toBe('—')
  })

  it('formats speeds', () => {
    expect(formatBytesPerSecond(42_000_000)).toBe('42 MB/s')
    expect(formatBytesPerSecond(null)).toBe('—')
  })
})

describe('formatDuration', () => {
  it('uses the two largest units', () => {
    expect(formatDuration(0)).toBe('0 s')
    expect(formatDuration(45_400)).toBe('45 s')
    expect(formatDuration(59_600)).toBe('1 min')
    expect(formatDuration(4 * 60_000 + 59_000)).toBe('4 min')
    expect(formatDuration(3_600_000)).toBe('1 h')
    expect(formatDuration(3_900_000)).toBe('1 h 5 min')
    expect(formatDuration(51 * 3_600_000)).toBe('2 d 3 h')
    expect(formatDuration(48 * 3_600_000)).toBe('2 d')
  })

  it('never goes negative', () => {
    expect(formatDuration(-5000)).toBe('0 s')
  })
})

describe('formatMs', () => {
  it('switches to seconds past one second', () => {
    expect(formatMs(12.4)).toBe('12 ms')
    expect(formatMs(999)).toBe('999 ms')
    expect(formatMs(1234)).toBe('1.2 s')
    expect(formatMs(12_345)).toBe('12 s')
    expect(formatMs(null)).toBe('—')
  })
})

describe('formatTokenCount', () => {
  it('writes context windows as model cards do', () => {
    expect(formatTokenCount(2048)).toBe('2K')
    expect(formatTokenCount(131_072)).toBe('128K')
    expect(formatTokenCount(200_000)).toBe('200K')
    expect(formatTokenCount(1_000_000)).toBe('1M')
    expect(formatTokenCount(512)).toBe('512')
    expect(formatTokenCount(null)).toBe('—')
  })
})

describe('formatCost and formatPercent', () => {
  it('keeps small costs visible', () => {
    expect(formatCost(0)).toBe('$0')
    expect(formatCost(12.345)).toBe('$12.35')
    expect(formatCost(0.25)).toBe('$0.250')
    expect(formatCost(0.0042)).toBe('$0.0042')
    expect(formatCost(0.00001)).toBe('< $0.0001')
  })

  it('shows fractions as percentages', () => {
    expect(formatPercent(0)).toBe('0%')
    expect(formatPercent(0.0123)).toBe('1.2%')
    expect(formatPercent(0.5)).toBe('50%')
    expect(formatPercent(null)).toBe('—')
  })
})
