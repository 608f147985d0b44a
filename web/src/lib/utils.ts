// Class-name helper shared by every component: merges conditional classes and resolves
// conflicting Tailwind utilities so a caller's className wins over a component's default.
import { type ClassValue, clsx } from 'clsx'
import { twMerge } from 'tailwind-merge'

export function cn(...inputs: ClassValue[]): string {
  return twMerge(clsx(inputs))
}
