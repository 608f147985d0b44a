import { CircleAlert } from 'lucide-react'
import { Alert, AlertDescription, AlertTitle } from '@/components/ui/alert'
import { ApiError } from '@/lib/api-client'
import { errorMessage } from '@/lib/form'

interface FormErrorProps {
  error: unknown
  /** Fields the form shows next to their inputs; errors for any other field are listed here. */
  fields?: readonly string[]
  title?: string
}

/** The request-level error of a form: the problem's detail, plus field errors with no input. */
export function FormError({ error, fields = [], title }: FormErrorProps) {
  if (!error) return null
  const otherFieldErrors =
    error instanceof ApiError
      ? Object.entries(error.fieldErrors).filter(([field]) => !fields.includes(field))
      : []
  return (
    <Alert variant="destructive" data-testid="form-error">
      <CircleAlert />
      <AlertTitle>{title ?? (error instanceof ApiError ? error.title : 'Something went wrong')}</AlertTitle>
      <AlertDescription>
        <p>{errorMessage(error)}</p>
        {otherFieldErrors.length > 0 ? (
          <ul className="list-disc pl-4">
            {otherFieldErrors.map(([field, message]) => (
              <li key={field}>
                <span className="font-medium">{field}</span>: {message}
              </li>
            ))}
          </ul>
        ) : null}
      </AlertDescription>
    </Alert>
  )
}
