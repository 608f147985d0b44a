// The first-run path a new operator takes: sign up as the first user (admin), sign out, sign in,
// create an API key, and use that key against /api/v1/me; then give a gateway key limits and see
// the usage page.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { artifact, launchBrowser, missingPrerequisite, type RunningServer, startServer } from './harness.js'

const skip = missingPrerequisite()

describe.skipIf(skip !== null)('accounts in Chromium', () => {
  let server: RunningServer
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    server = await startServer()
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('signs up, signs out, signs in, creates an API key and uses it', async () => {
    const email = 'first.admin@example.com'
    const password = 'a very long first passphrase'
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    page.on('console', (message) => {
      // The app's silent session restore answers 401 when signed out; the browser logs that.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        errors.push(message.text())
      }
    })

    await page.goto(`${server.baseUrl}/sign-up`)
    await page.getByLabel('Name').fill('First Admin')
    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Create account' }).click()
    await page.waitForURL('**/chat')

    await page.getByRole('button', { name: 'User menu' }).click()
    await page.getByRole('menuitem', { name: 'Sign out' }).click()
    await page.waitForURL('**/sign-in')

    await page.getByLabel('Email').fill(email)
    await page.getByLabel('Password').fill(password)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL('**/chat')

    await page.goto(`${server.baseUrl}/settings/api-keys`)
    await page.getByLabel('Name').fill('e2e key')
    await page.getByRole('checkbox', { name: 'read' }).check()
    await page.getByRole('button', { name: 'Create key' }).click()
    const key = (await page.getByTestId('new-api-key').textContent())?.trim() ?? ''
    expect(key).toMatch(/^wp_[A-Za-z0-9_-]{20,}$/)
    await page.screenshot({ path: artifact('api-key-created.png'), fullPage: true })

    const me = await fetch(`${server.baseUrl}/api/v1/me`, { headers: { authorization: `Bearer ${key}` } })
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({ email, role: 'admin', name: 'First Admin' })
    expect(errors).toEqual([])
  })

  it('limits a gateway key within the account, and shows the account’s usage', async () => {
    await page.goto(`${server.baseUrl}/settings/api-keys`)
    await page.getByLabel('Name').fill('ide key')
    await page.getByRole('checkbox', { name: 'gateway' }).check()
    await page.getByRole('button', { name: 'Create key' }).click()
    await page.getByTestId('new-api-key').waitFor()
    const row = page.getByTestId('api-key-row').filter({ hasText: 'ide key' })
    await row.getByRole('button', { name: 'Limits' }).click()
    await page.getByLabel('Requests per minute').fill('30')
    await page.getByLabel('Allowed models').fill('no-such-model')
    await page.getByRole('button', { name: 'Save limits' }).click()
    await page.getByText("Allowed models has unknown model 'no-such-model'").waitFor()
    await page.getByLabel('Allowed models').fill('')
    await page.getByRole('button', { name: 'Save limits' }).click()
    await page.getByRole('dialog').waitFor({ state: 'detached' })
    await row.getByRole('button', { name: 'Limits' }).click()
    expect(await page.getByLabel('Requests per minute').inputValue()).toBe('30')
    await page.keyboard.press('Escape')

    await page.getByRole('link', { name: 'Usage' }).click()
    await page.waitForURL('**/settings/usage')
    await page.getByText('No calls in the last 24 hours.').waitFor()
    expect(await page.getByTestId('usage-totals').textContent()).toContain('Requests0')
  })
})
