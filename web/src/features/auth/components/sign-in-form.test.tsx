import { screen } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { describe, expect, it, vi } from 'vitest'
import { jsonResponse, renderWithApi } from '@/test/render'
import { SignInForm } from './sign-in-form'

const user = {
  id: 'u1',
  email: 'ada@example.com',
  name: 'Ada',
  role: 'user',
  createdAt: '2026-01-01T00:00:00.000Z',
  disabled: false,
}

describe('SignInForm', () => {
  it('shows a field error and sends nothing when the email is not valid', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>()
    renderWithApi(<SignInForm />, fetch)

    await userEvent.type(screen.getByLabelText('Email'), 'not-an-email')
    await userEvent.type(screen.getByLabelText('Password'), 'secret-password')
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))

    const email = screen.getByLabelText('Email')
    expect(email).toHaveAttribute('aria-invalid', 'true')
    expect(email).toHaveAccessibleDescription('Enter a valid email address')
    expect(screen.getByLabelText('Password')).not.toHaveAttribute('aria-invalid')
    expect(fetch).not.toHaveBeenCalled()
  })

  it('shows the field errors and the detail the server reports', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () =>
      jsonResponse(
        400,
        {
          type: 'https://webplus.dev/problems/validation-failed',
          title: 'Bad Request',
          status: 400,
          detail: 'The body is invalid',
          errors: [{ field: 'password', message: 'Too long: expected at most 1024 characters' }],
        },
        'application/problem+json',
      ),
    )
    renderWithApi(<SignInForm />, fetch)

    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com')
    await userEvent.type(screen.getByLabelText('Password'), 'x')
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))

    expect(await screen.findByText('Too long: expected at most 1024 characters')).toBeVisible()
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription(
      'Too long: expected at most 1024 characters',
    )
    expect(screen.getByTestId('form-error')).toHaveTextContent('The body is invalid')
    const [url, init] = fetch.mock.calls[0] ?? []
    expect(url).toBe('/api/v1/auth/login')
    expect(JSON.parse(String(init?.body))).toEqual({ email: 'ada@example.com', password: 'x' })
  })

  it('shows why sign-in was refused, then signs in on the next try', async () => {
    const fetch = vi
      .fn<typeof globalThis.fetch>()
      .mockResolvedValueOnce(
        jsonResponse(401, {
          type: 'x',
          title: 'Unauthorized',
          status: 401,
          detail: 'Wrong email or password',
        }),
      )
      .mockResolvedValueOnce(
        jsonResponse(200, { accessToken: 't', tokenType: 'Bearer', expiresIn: 900, user }),
      )
    const onSignedIn = vi.fn()
    const { api } = renderWithApi(<SignInForm onSignedIn={onSignedIn} />, fetch)

    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.com')
    await userEvent.type(screen.getByLabelText('Password'), 'wrong-password')
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong email or password')
    expect(api.getSession().status).not.toBe('signed-in')

    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }))
    await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(user))
    expect(api.getSession()).toEqual({ status: 'signed-in', user })
  })
})
