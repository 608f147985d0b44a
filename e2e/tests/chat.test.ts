// Chat in a browser, against the built server and a fake Ollama: a reply streams in, survives a
// reload mid-stream and ends with exactly the text the model wrote; Stop keeps the partial reply
// and Continue finishes it; editing a message adds a version and the arrows switch branches;
// model output with HTML and script links renders inert.
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeOllama } from '../../server/test/fakes/fake-ollama.js'
import { artifact, launchBrowser, missingPrerequisite, type RunningServer, startServer } from './harness.js'

const skip = missingPrerequisite()

const LONG_REPLY = Array.from({ length: 60 }, (_, i) => `word${i + 1}`).join(' ')
const SHORT_REPLY = 'A short and complete answer.'
const HOSTILE_REPLY =
  'Inert: <img src=x onerror=alert(1)> and [x](javascript:alert(1)) and ![pic](https://tracker.example/p.png) end.'

const normalize = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim()

function lastReply(page: Page): Locator {
  return page.getByTestId('assistant-message').last()
}

async function replyText(page: Page): Promise<string> {
  return normalize(
    await lastReply(page)
      .locator('.markdown')
      .first()
      .textContent()
      .catch(() => ''),
  )
}

/** Waits until the newest reply is in `state` (streaming, complete, stopped…). */
async function waitForState(page: Page, state: string, timeout = 20_000): Promise<void> {
  await expect.poll(() => lastReply(page).getAttribute('data-state'), { timeout }).toBe(state)
}

async function send(page: Page, text: string): Promise<void> {
  const input = page.getByTestId('composer-input')
  await input.fill(text)
  await input.press('Enter')
}

describe.skipIf(skip !== null)('chat in Chromium', () => {
  let fake: FakeOllama
  let server: RunningServer
  let browser: Browser
  let page: Page
  const errors: string[] = []
  const dialogs: string[] = []

  beforeAll(async () => {
    fake = await FakeOllama.start({ reply: SHORT_REPLY, slowDelayMs: 80 })
    server = await startServer({ env: { OLLAMA_HOST: fake.url } })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    page.on('pageerror', (error) => errors.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        errors.push(message.text())
      }
    })
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    await fake?.close()
  })

  it('streams a reply, and a reload mid-stream resumes the same reply to its full text', async () => {
    await page.goto(`${server.baseUrl}/sign-up`)
    await page.getByLabel('Name').fill('Chat User')
    await page.getByLabel('Email').fill('chat.user@example.com')
    await page.getByLabel('Password').fill('a very long first passphrase')
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.waitForURL('**/chat')
    await expect.poll(() => page.getByTestId('model-picker').textContent()).toContain('llama3.2:1b')

    fake.reply = LONG_REPLY
    fake.setMode('slow')
    await send(page, 'Count for me, slowly')
    await page.waitForURL(/\/chat\/[0-9A-Z]+$/)
    await waitForState(page, 'streaming')
    // It grows while it streams.
    await expect.poll(async () => (await replyText(page)).split(' ').length).toBeGreaterThan(3)
    const early = (await replyText(page)).split(' ').length
    await expect.poll(async () => (await replyText(page)).split(' ').length).toBeGreaterThan(early + 3)
    await page.getByRole('button', { name: 'Stop' }).waitFor()

    await page.reload()
    // After the reload the same reply is there with what was already written, and goes on.
    await waitForState(page, 'streaming')
    await expect.poll(async () => (await replyText(page)).split(' ').length).toBeGreaterThan(early)
    await waitForState(page, 'complete')
    expect(await replyText(page)).toBe(LONG_REPLY)
    expect(await page.getByTestId('assistant-message').count()).toBe(1)
    await expect.poll(() => page.getByTestId('conversation-title').textContent()).not.toBe('')
    expect(errors).toEqual([])
  })

  it('stops a reply with Esc, keeps the partial text, and continues it', async () => {
    fake.reply = LONG_REPLY
    fake.setMode('slow')
    await send(page, 'Count again')
    await waitForState(page, 'streaming')
    await expect.poll(async () => (await replyText(page)).split(' ').length).toBeGreaterThan(3)
    await page.keyboard.press('Escape')
    await waitForState(page, 'stopped')
    const partial = await replyText(page)
    expect(partial.split(' ').length).toBeLessThan(60)
    expect(LONG_REPLY.startsWith(partial)).toBe(true)

    await lastReply(page).getByRole('button', { name: 'Continue' }).click()
    await waitForState(page, 'streaming')
    await waitForState(page, 'complete')
    const continued = await replyText(page)
    expect(continued.startsWith(partial)).toBe(true)
    expect(continued.length).toBeGreaterThan(partial.length)
    expect(await page.getByTestId('assistant-message').count()).toBe(2)
    expect(errors).toEqual([])
  })

  it('edits a message into a new version and switches branches with the arrows', async () => {
    fake.setMode('normal')
    fake.reply = SHORT_REPLY
    const userMessages = page.getByTestId('user-message')
    const before = await userMessages.count()
    const edited = userMessages.last()
    await edited.hover()
    await edited.getByRole('button', { name: 'Edit message' }).click()
    const editor = page.getByRole('textbox', { name: 'Edit message' })
    await editor.fill('Count again, but briefly')
    await editor.press('Enter')
    await waitForState(page, 'complete')
    await expect.poll(() => replyText(page)).toBe(SHORT_REPLY)

    const version = page.getByTestId('user-message').last().getByTestId('sibling-position')
    await expect.poll(() => version.textContent()).toBe('2 / 2')
    expect(await page.getByTestId('user-message').count()).toBe(before)
    expect(normalize(await page.getByTestId('user-message').last().textContent())).toContain(
      'Count again, but briefly',
    )

    await page.getByTestId('user-message').last().getByRole('button', { name: 'Previous version' }).click()
    await expect.poll(() => version.textContent()).toBe('1 / 2')
    await expect
      .poll(async () => normalize(await page.getByTestId('user-message').last().textContent()))
      .toContain('Count again')
    expect(normalize(await page.getByTestId('user-message').last().textContent())).not.toContain('briefly')
    expect((await replyText(page)).startsWith('word1 word2')).toBe(true)

    await page.getByTestId('user-message').last().getByRole('button', { name: 'Next version' }).click()
    await expect.poll(() => version.textContent()).toBe('2 / 2')
    await expect.poll(() => replyText(page)).toBe(SHORT_REPLY)

    // The choice is remembered by the server: a reload shows the same branch.
    await page.reload()
    await expect
      .poll(() => page.getByTestId('user-message').last().getByTestId('sibling-position').textContent())
      .toBe('2 / 2')
    expect(errors).toEqual([])
  })

  it('renders model output with HTML, script links and remote images inert', async () => {
    fake.reply = HOSTILE_REPLY
    await send(page, 'Show me something tricky')
    await waitForState(page, 'complete')
    const reply = lastReply(page)
    await expect.poll(() => replyText(page)).toContain('<img src=x onerror=alert(1)>')

    expect(await page.locator('img[onerror]').count()).toBe(0)
    expect(await reply.locator('img').count()).toBe(0)
    expect(await page.locator('a[href^="javascript:" i]').count()).toBe(0)
    const hrefs = await reply
      .locator('a')
      .evaluateAll((links) => links.map((link) => link.getAttribute('href')))
    for (const href of hrefs) expect(href ?? '').not.toMatch(/^\s*javascript:/i)
    // The remote image waits for a click, and names where it would come from.
    await reply.getByRole('button', { name: /Load image from tracker\.example/ }).waitFor()
    await reply.getByText('x', { exact: true }).click()
    await page.waitForTimeout(300)
    expect(dialogs).toEqual([])

    await page.screenshot({ path: artifact('chat.png') })
    expect(errors).toEqual([])
  })
})
