// Finds one row of a list in a rendered component by the name it carries in a data attribute.
import { screen } from '@testing-library/react'

/** The element with `data-testid={testId}` whose `attribute` is `name`; throws when there is none. */
export function rowNamed(testId: string, attribute: `data-${string}`, name: string): HTMLElement {
  const found = screen.getAllByTestId(testId).find((element) => element.getAttribute(attribute) === name)
  if (!found) throw new Error(`no ${testId} with ${attribute}="${name}"`)
  return found
}
