// Images in model output never load by themselves: a remote address could track the reader or
// show anything. The reader sees where it comes from and loads it with a click.
import { ImageIcon } from 'lucide-react'
import { useState } from 'react'
import { safeHref } from './sanitize'

export function RemoteImage({ src, alt }: { src: string | undefined; alt: string | undefined }) {
  const [state, setState] = useState<'asked' | 'loading' | 'failed'>('asked')
  const href = src ? safeHref(src) : null
  const url = href && !href.startsWith('#') && !href.startsWith('mailto:') ? new URL(href) : null
  if (!url) {
    return (
      <span className="text-muted-foreground italic" data-testid="blocked-image">
        [image{alt ? `: ${alt}` : ''}]
      </span>
    )
  }
  if (state === 'asked') {
    return (
      <button
        type="button"
        data-testid="remote-image"
        className="my-1 inline-flex max-w-full cursor-pointer items-center gap-2 rounded-md border border-dashed px-2.5 py-1.5 text-left text-muted-foreground text-sm hover:bg-accent hover:text-accent-foreground"
        onClick={() => setState('loading')}
      >
        <ImageIcon className="size-4 shrink-0" aria-hidden="true" />
        <span className="min-w-0 truncate">
          Load image from <span className="font-medium text-foreground">{url.host}</span>
          {alt ? ` (${alt})` : ''}
        </span>
      </button>
    )
  }
  if (state === 'failed') {
    return (
      <span className="my-1 inline-flex flex-wrap items-center gap-1 text-muted-foreground text-sm">
        The image from {url.host} could not be shown here.
        <a href={url.href} target="_blank" rel="noopener noreferrer nofollow" className="underline">
          Open it in a new tab
        </a>
      </span>
    )
  }
  return (
    <img
      src={url.href}
      alt={alt ?? ''}
      referrerPolicy="no-referrer"
      loading="lazy"
      className="my-2 max-h-96 max-w-full rounded-md border"
      onError={() => setState('failed')}
    />
  )
}
