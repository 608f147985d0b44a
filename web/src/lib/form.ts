// Form helpers: validate inputs with a zod schema and merge the result with the field errors
// the server reported, so a form shows one message per field whichever side found it.

import { ApiError } from '@/lib/api-client'
import type { z } from '@/lib/zod'

export type FieldErrors = Record<string, string>

export type Validation<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors }

export function validate<S extends z.ZodType>(schema: S, values: unknown): Validation<z.output<S>> {
  const result = schema.safeParse(values)
  if (result.success) return { ok: true, data: result.data }
  const errors: FieldErrors = {}
  for (const issue of result.error.issues) {
    const field = issue.path.join('.') || 'form'
    errors[field] ??= issue.message
  }
  return { ok: false, errors }
}

/** The named inputs of a form as strings (checkboxes with one name become a list). */
export function formValues(form: HTMLFormElement): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {}
  const data = new FormData(form)
  for (const key of new Set(data.keys())) {
    const all = data.getAll(key).filter((value): value is string => typeof value === 'string')
    values[key] = all.length > 1 ? all : (all[0] ?? '')
  }
  return values
}

export function apiFieldErrors(error: unknown): FieldErrors {
  return error instanceof ApiError ? error.fieldErrors : {}
}

/** What to tell the user about a failed request. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.detail ?? error.title
  if (error instanceof Error) return error.message
  return 'Something went wrong.'
}
