// Model replies as Markdown: GFM (tables, task lists, strikethrough, autolinks), math (KaTeX),
// highlighted code with a copy button, and mermaid diagrams. Output is untrusted: see sanitize.ts
// and remote-image.tsx.
import 'katex/dist/katex.min.css'
import './markdown.css'
import type { Element } from 'hast'
import { createContext, memo, useContext } from 'react'
import ReactMarkdown, { type Components, defaultUrlTransform, type Options } from 'react-markdown'
import rehypeHighlight from 'rehype-highlight'
import rehypeKatex from 'rehype-katex'
import remarkGfm from 'remark-gfm'
import remarkMath from 'remark-math'
import { cn } from '@/lib/utils'
import { CodeBlock } from './code-block'
import { MermaidDiagram } from './mermaid-diagram'
import { RemoteImage } from './remote-image'
import { rehypeStripEventHandlers, safeHref, textOf } from './sanitize'

const remarkPlugins: Options['remarkPlugins'] = [remarkGfm, remarkMath]
// react-markdown sets its plugins up again on every render, and rehype-highlight's setup
// registers all of its ~40 grammars (several ms, for each message and each streamed delta): it is
// set up once here, and the plugin hands out the same transformer.
const highlight = rehypeHighlight({ detect: false, plainText: ['mermaid', 'text', 'txt', 'plain'] })
const rehypePlugins: Options['rehypePlugins'] = [
  [rehypeKatex, { trust: false, strict: 'ignore', throwOnError: false }],
  () => highlight,
  rehypeStripEventHandlers,
]

/** Whether the reply is still being written (diagrams wait until it is not). */
const StreamingContext = createContext(false)

function codeChild(pre: Element | undefined): Element | undefined {
  const child = pre?.children.find((node) => node.type === 'element' && node.tagName === 'code')
  return child?.type === 'element' ? child : undefined
}

function languageOf(code: Element | undefined): string | null {
  const classes = code?.properties.className
  const list = Array.isArray(classes) ? classes.map(String) : []
  const language = list.find((name) => name.startsWith('language-'))
  return language ? language.slice('language-'.length) : null
}

function Pre({ node, children }: React.ComponentProps<'pre'> & { node?: Element }) {
  const streaming = useContext(StreamingContext)
  const code = codeChild(node)
  const language = languageOf(code)
  const source = textOf(code).replace(/\n$/, '')
  const block = (
    <CodeBlock language={language} source={source}>
      {children}
    </CodeBlock>
  )
  if (language === 'mermaid' && !streaming) return <MermaidDiagram code={source} source={block} />
  return block
}

function Link({ href, children }: React.ComponentProps<'a'>) {
  const safe = safeHref(href)
  if (!safe) return <span className="markdown-dead-link">{children}</span>
  if (safe.startsWith('#')) return <a href={safe}>{children}</a>
  return (
    <a href={safe} target="_blank" rel="noopener noreferrer nofollow">
      {children}
    </a>
  )
}

function Table({ children }: React.ComponentProps<'table'>) {
  return (
    <div className="markdown-table">
      <table>{children}</table>
    </div>
  )
}

const components: Components = {
  pre: Pre,
  a: Link,
  img: ({ src, alt }) => <RemoteImage src={typeof src === 'string' ? src : undefined} alt={alt} />,
  table: Table,
}

export const Markdown = memo(function Markdown({
  text,
  streaming = false,
  className,
}: {
  text: string
  streaming?: boolean
  className?: string
}) {
  return (
    <StreamingContext.Provider value={streaming}>
      <div className={cn('markdown', className)}>
        <ReactMarkdown
          remarkPlugins={remarkPlugins}
          rehypePlugins={rehypePlugins}
          components={components}
          urlTransform={defaultUrlTransform}
        >
          {text}
        </ReactMarkdown>
      </div>
    </StreamingContext.Provider>
  )
})
