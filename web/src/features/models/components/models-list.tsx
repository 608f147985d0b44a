// The catalog as one long list, grouped by host. Only the rows on screen are rendered (the
// window scrolls, the list reserves the full height), so 600 models cost as much as 15.
import { measureElement, useWindowVirtualizer } from '@tanstack/react-virtual'
import { useLayoutEffect, useMemo, useRef, useState } from 'react'
import type { Model } from '../types'
import { groupModels } from '../utils/catalog-view'
import { ModelRow } from './model-row'
import type { ModelActionHandlers } from './model-row-actions'

export interface ModelsListProps extends ModelActionHandlers {
  models: readonly Model[]
  /** Admins get start/stop/delete buttons; everyone else sees status only. */
  canManage: boolean
  /** Models with a start or stop request in flight. */
  busyModelIds?: ReadonlySet<string>
  now: number
}

type ListItem =
  | { type: 'group'; key: string; label: string; count: number }
  | { type: 'model'; key: string; model: Model; position: number }

const NONE: ReadonlySet<string> = new Set()

function flatten(models: readonly Model[]): ListItem[] {
  const items: ListItem[] = []
  let position = 0
  for (const group of groupModels(models)) {
    items.push({ type: 'group', key: `group:${group.key}`, label: group.label, count: group.models.length })
    for (const model of group.models) {
      position += 1
      items.push({ type: 'model', key: model.id, model, position })
    }
  }
  return items
}

/** Where the list starts on the page, kept current when content above it grows or shrinks. */
function useOffsetTop(ref: React.RefObject<HTMLElement | null>): number {
  const [offset, setOffset] = useState(0)
  useLayoutEffect(() => {
    const element = ref.current
    if (!element) return
    const measure = () => setOffset(element.getBoundingClientRect().top + window.scrollY)
    measure()
    if (typeof ResizeObserver === 'undefined') return
    const observer = new ResizeObserver(measure)
    observer.observe(document.body)
    return () => observer.disconnect()
  }, [ref])
  return offset
}

export function ModelsList({ models, canManage, busyModelIds = NONE, now, ...handlers }: ModelsListProps) {
  const items = useMemo(() => flatten(models), [models])
  const listRef = useRef<HTMLUListElement>(null)
  const scrollMargin = useOffsetTop(listRef)
  const estimateSize = (index: number) => (items[index]?.type === 'group' ? 37 : 96)
  const virtualizer = useWindowVirtualizer({
    count: items.length,
    estimateSize,
    // A row never measures 0 in a browser; where layout is not computed (a test DOM), a 0 would
    // make every row fit on screen, so keep the estimate instead.
    measureElement: (element, entry, instance) =>
      measureElement(element, entry, instance) || estimateSize(instance.indexFromElement(element)),
    getItemKey: (index) => items[index]?.key ?? index,
    overscan: 4,
    scrollMargin,
    // Render the first screenful in the first pass instead of after a measuring pass.
    initialRect: { width: window.innerWidth, height: window.innerHeight },
  })

  return (
    <ul
      ref={listRef}
      aria-label="Models"
      className="relative w-full"
      style={{ height: virtualizer.getTotalSize() }}
    >
      {virtualizer.getVirtualItems().map((virtual) => {
        const item = items[virtual.index]
        if (!item) return null
        return (
          <li
            key={virtual.key}
            data-index={virtual.index}
            ref={virtualizer.measureElement}
            aria-setsize={item.type === 'model' ? models.length : undefined}
            aria-posinset={item.type === 'model' ? item.position : undefined}
            className="absolute top-0 left-0 w-full"
            style={{ transform: `translateY(${virtual.start - scrollMargin}px)` }}
          >
            {item.type === 'group' ? (
              <h2 className="flex items-center gap-2 border-b bg-muted/50 px-4 py-2 font-medium text-muted-foreground text-xs uppercase tracking-wide">
                <span className="truncate">{item.label}</span>
                <span className="font-normal normal-case tracking-normal">
                  {item.count} {item.count === 1 ? 'model' : 'models'}
                </span>
              </h2>
            ) : (
              <ModelRow
                model={item.model}
                canManage={canManage}
                busy={busyModelIds.has(item.model.id)}
                now={now}
                {...handlers}
              />
            )}
          </li>
        )
      })}
    </ul>
  )
}
