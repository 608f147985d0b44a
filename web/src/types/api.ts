// Shapes the server answers with that more than one feature uses.

export type Role = 'admin' | 'developer' | 'user'

export const ROLES: readonly Role[] = ['admin', 'developer', 'user']

export interface User {
  id: string
  email: string
  name: string
  role: Role
  createdAt: string
  disabled: boolean
}

export interface FieldError {
  field: string
  message: string
}

/** An RFC 9457 problem body, as every failing route answers. */
export interface Problem {
  type: string
  title: string
  status: number
  detail?: string
  instance?: string
  errors?: FieldError[]
}

export interface TokenResponse {
  accessToken: string
  tokenType: 'Bearer'
  expiresIn: number
  user: User
}

export interface ItemList<T> {
  items: T[]
}
