// The LLM Manager in a browser: a fake Ollama (the same one the server tests use) is detected on
// first start; an admin starts and stops a model and sees each badge change live, sees a model
// loaded outside Web+ appear as loaded, and pulls a model whose progress survives a reload.
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeOllama } from '../../server/test/fakes/fake-ollama.js'
import { artifact, launchBrowser, missingPrerequisite, type RunningServer, startServer } from './harness.js'

const skip = missingPrerequisite()

function modelRow(page: Page, name: string): Locator {
  return page.locator(`[data-testid="model-row"][data-model-name="${name}"]`)
}

async function expectStatus(page: Page, name: string, status: string, timeout = 10_000): Promise<void> {
  await modelRow(page, name)
    .locator(`[data-testid="model-status"][data-status="${status}"]`)
    .waitFor({ timeout })
}

describe.skipIf(skip !== null)('models in Chromium', () => {
  let fake: FakeOllama
  let server: RunningServer
  let browser: Browser
  let page: Page
  const errors: string[] = []

  beforeAll(async () => {
    fake = await FakeOllama.start({ pullSteps: 8, slowDelayMs: 300 })
    server = await startServer({
      env: { OLLAMA_HOST: fake.url, WEBPLUS_RECONCILE_INTERVAL_MS: '500' },
    })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    page.on('pageerror', (error) => errors.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        errors.push(message.text())
      }
    })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    await fake?.close()
  })

  it('starts and stops a model and shows each status live, without a reload', async () => {
    await page.goto(`${server.baseUrl}/sign-up`)
    await page.getByLabel('Name').fill('Model Admin')
    await page.getByLabel('Email').fill('models.admin@example.com')
    await page.getByLabel('Password').fill('a very long first passphrase')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.waitForURL('**/chat')

    await page.getByRole('link', { name: 'Models' }).click()
    await page.waitForURL('**/models')
    await expectStatus(page, 'llama3.2:1b', 'available')
    await page.getByTestId('realtime-status').and(page.locator('[data-status="connected"]')).waitFor()
    // Anything that reloads the page would lose this marker.
    await page.evaluate(() => {
      ;(window as unknown as { noReload: boolean }).noReload = true
    })

    await page.getByRole('button', { name: 'Start llama3.2:1b' }).click()
    await expectStatus(page, 'llama3.2:1b', 'loaded')
    await expect(modelRow(page, 'llama3.2:1b').getByTestId('host-chip').textContent()).resolves.toContain(
      '1.2 GB VRAM',
    )
    expect(fake.loaded.has('llama3.2:1b')).toBe(true)

    await page.getByRole('button', { name: 'Stop llama3.2:1b' }).click()
    await expectStatus(page, 'llama3.2:1b', 'available')
    expect(fake.loaded.has('llama3.2:1b')).toBe(false)

    // Loaded outside Web+ (`ollama run`): the reconciliation loop notices and pushes it.
    fake.loadExternally('llava:7b', '10m')
    await expectStatus(page, 'llava:7b', 'loaded')
    await expect(modelRow(page, 'llava:7b').getByTestId('host-chip').textContent()).resolves.toMatch(
      /expires in (9|10) min/,
    )

    expect(await page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload)).toBe(true)
    await page.screenshot({ path: artifact('models.png'), fullPage: true })
    expect(errors).toEqual([])
  })

  it('pulls a model with live progress that survives a reload', async () => {
    fake.setPullMode('slow')
    await page.getByRole('button', { name: 'Pull a model' }).click()
    await page.getByLabel('Host').selectOption({ label: 'Local Ollama' })
    await page.getByLabel('Model name').fill('tinyllama')
    await page.getByRole('button', { name: 'Pull', exact: true }).click()

    const progress = page.getByTestId('pull-progress')
    await progress.and(page.locator('[data-status="running"]')).waitFor()
    await expect
      .poll(async () => Number(await progress.getByRole('progressbar').getAttribute('aria-valuenow')), {
        timeout: 10_000,
      })
      .toBeGreaterThan(0)
    await page.screenshot({ path: artifact('models-pull.png') })

    await page.reload()
    // After the reload the pull comes from GET /pulls, then its progress from the socket.
    const reloaded = page.locator('[data-testid="pull-progress"][data-model-name^="tinyllama"]')
    await reloaded.waitFor()
    await reloaded.and(page.locator('[data-status="succeeded"]')).waitFor({ timeout: 15_000 })
    await expectStatus(page, 'tinyllama:latest', 'available')
    expect(errors).toEqual([])
  })
})
