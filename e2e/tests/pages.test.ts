// Server-rendered conversation pages: with the page cookie a sign-in sets, the server sends
// `/chat/:id` with the conversation already in the HTML (readable with scripts off), and the
// app takes the page over without a hydration error and works as usual. The HTML is the
// owner's alone: another account and a request without the cookie get the bare app shell,
// and signing out ends it.
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FakeOllama } from '../../server/test/fakes/fake-ollama.js'
import { artifact, launchBrowser, missingPrerequisite, type RunningServer, startServer } from './harness.js'

const skip = missingPrerequisite()

const REPLY = 'The server already knows this answer.'
// Text that would end the page's state script or run code if either were not escaped.
const QUESTION = 'What does the server render? </script><img src=x onerror=alert(1)>'
const PASSWORD = 'a very long first passphrase'

describe.skipIf(skip !== null)('server-rendered chat pages', () => {
  let fake: FakeOllama
  let server: RunningServer
  let browser: Browser
  let owner: BrowserContext
  let conversationUrl = ''
  const errors: string[] = []

  async function signedIn(email: string): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const registered = await context.request.post(`${server.baseUrl}/api/v1/auth/register`, {
      data: { email, password: PASSWORD, name: email.split('@')[0] },
    })
    expect(registered.status()).toBe(201)
    const login = await context.request.post(`${server.baseUrl}/api/v1/auth/login`, {
      data: { email, password: PASSWORD },
    })
    expect(login.status()).toBe(200)
    return context
  }

  /** Page errors and logged errors (React reports a failed hydration there). */
  function watchErrors(page: Page): void {
    page.on('pageerror', (error) => errors.push(error.message))
    page.on('console', (message) => {
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        errors.push(message.text())
      }
    })
  }

  const pageHtml = (context: BrowserContext) =>
    context.request.get(conversationUrl, { headers: { accept: 'text/html' } })

  beforeAll(async () => {
    fake = await FakeOllama.start({ reply: REPLY })
    server = await startServer({ env: { OLLAMA_HOST: fake.url } })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
    await fake?.close()
  })

  it("sends the owner's conversation rendered in the HTML, private and uncached", async () => {
    owner = await signedIn('owner@example.com')
    const page = await owner.newPage()
    watchErrors(page)
    await page.goto(`${server.baseUrl}/chat`)
    await expect.poll(() => page.getByTestId('model-picker').textContent()).toContain('llama3.2:1b')
    await page.getByTestId('composer-input').fill(QUESTION)
    await page.getByTestId('composer-input').press('Enter')
    await page.waitForURL(/\/chat\/[0-9A-Z]+$/)
    await expect
      .poll(() => page.getByTestId('assistant-message').last().getAttribute('data-state'))
      .toBe('complete')
    conversationUrl = page.url()
    await page.close()

    const response = await pageHtml(owner)
    expect(response.status()).toBe(200)
    expect(response.headers()['cache-control']).toBe('private, no-store')
    expect(response.headers().vary).toContain('cookie')
    // Compressed as accepted (the request's client sends gzip, deflate and br, and decodes).
    expect(response.headers()['content-encoding']).toBe('br')
    expect(response.headers().vary).toContain('accept-encoding')
    const html = await response.text()
    expect(html).toContain('What does the server render? &lt;/script&gt;&lt;img')
    expect(html).not.toContain('</script><img')
    expect(html).toContain(REPLY)
    expect(html).toContain('id="webplus-page-state"')

    for (const encoding of ['gzip', 'identity']) {
      const other = await owner.request.get(conversationUrl, {
        headers: { accept: 'text/html', 'accept-encoding': encoding },
      })
      expect(other.headers()['content-encoding']).toBe(encoding === 'identity' ? undefined : encoding)
      expect(await other.text()).toContain(REPLY)
    }
  })

  it('shows the conversation with scripts off, and hydrates it without errors when they are on', async () => {
    const state = await owner.storageState()
    const noScript = await browser.newContext({ javaScriptEnabled: false, storageState: state })
    const still = await noScript.newPage()
    await still.goto(conversationUrl)
    await expect.poll(() => still.getByTestId('user-message').textContent()).toContain(QUESTION)
    await expect.poll(() => still.getByTestId('assistant-message').textContent()).toContain(REPLY)
    await still.screenshot({ path: artifact('chat-server-rendered.png') })
    await noScript.close()

    const page = await owner.newPage()
    watchErrors(page)
    const dialogs: string[] = []
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
    await page.goto(conversationUrl)
    await expect.poll(() => page.getByTestId('user-message').first().textContent()).toContain(QUESTION)
    // Taken over: the list is virtual (rows positioned by the app), and the page works as usual.
    await page.locator('[data-testid="thread"] li.absolute').first().waitFor()
    // The conversation list (not in the server's HTML) arrives beside it.
    await page.locator('nav[aria-label="Conversations"] li').first().waitFor()
    await page.getByTestId('composer-input').fill('And a second question?')
    await page.getByTestId('composer-input').press('Enter')
    await expect.poll(() => page.getByTestId('assistant-message').count()).toBe(2)
    await expect
      .poll(() => page.getByTestId('assistant-message').last().getAttribute('data-state'))
      .toBe('complete')
    await page.close()
    expect(dialogs).toEqual([])
    expect(errors).toEqual([])
  })

  it('gives another account and a request without the cookie only the app shell', async () => {
    const other = await signedIn('other@example.com')
    const foreign = await (await pageHtml(other)).text()
    expect(foreign).not.toContain('What does the server render?')
    expect(foreign).not.toContain(REPLY)
    await other.close()

    const anonymous = await fetch(conversationUrl, { headers: { accept: 'text/html' } })
    expect(anonymous.status).toBe(200)
    expect(anonymous.headers.get('cache-control')).toBe('no-cache')
    const shell = await anonymous.text()
    expect(shell).toContain('<div id="root"></div>')
    expect(shell).not.toContain('What does the server render?')
  })

  it('is styled and themed by the page itself, before any file has loaded, under its CSP', async () => {
    const state = await owner.storageState()
    const dark = await browser.newContext({ colorScheme: 'dark', storageState: state })
    const blocked: string[] = []
    const themeOf = async (savedTheme: string | null) => {
      const page = await dark.newPage()
      page.on('console', (message) => {
        if (message.text().includes('Content Security Policy')) blocked.push(message.text())
      })
      if (savedTheme)
        await page.addInitScript((theme) => localStorage.setItem('webplus-theme', theme), savedTheme)
      // No style sheet, no script: what the page shows before them is the HTML's doing alone.
      await page.route('**/assets/**', (route) => route.abort())
      await page.goto(conversationUrl, { waitUntil: 'domcontentloaded' })
      await page.getByTestId('assistant-message').first().waitFor()
      const theme = await page.evaluate(() => ({
        dark: document.documentElement.classList.contains('dark'),
        scheme: document.documentElement.style.colorScheme,
        // The app's styles are in the page: the thread scrolls (a class of the style sheet).
        threadOverflow: getComputedStyle(document.querySelector('[data-testid="thread"]') as Element)
          .overflowY,
      }))
      await page.close()
      return theme
    }
    expect(await themeOf(null)).toEqual({ dark: true, scheme: 'dark', threadOverflow: 'auto' })
    expect(await themeOf('light')).toEqual({ dark: false, scheme: 'light', threadOverflow: 'auto' })
    await dark.close()
    expect(blocked).toEqual([])
  })

  it('ends with the session: signing out clears the page cookie', async () => {
    const page = await owner.newPage()
    // The app's code is held back until the menu has been clicked, so the click comes before the
    // app has taken the page over: the menu is inert till then, and the click waits for it
    // instead of being lost.
    let release: () => void = () => undefined
    const held = new Promise<void>((resolve) => {
      release = resolve
    })
    await page.route('**/assets/app-*.js', async (route) => {
      await held
      await route.continue()
    })
    await page.goto(conversationUrl)
    const menu = page.getByRole('button', { name: 'User menu' })
    expect(await menu.evaluate((button) => button.closest('[inert]') !== null)).toBe(true)
    const clicked = menu.click()
    release()
    await clicked
    await page.getByRole('menuitem', { name: 'Sign out' }).click()
    await page.waitForURL('**/sign-in')
    expect((await owner.cookies()).map((cookie) => cookie.name)).not.toContain('wp_page')
    const html = await (await pageHtml(owner)).text()
    expect(html).not.toContain('What does the server render?')
    await page.close()
  })
})
