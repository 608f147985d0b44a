/// <reference types="vitest/config" />
import { fileURLToPath, URL } from 'node:url'
import tailwindcss from '@tailwindcss/vite'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'
import { compression } from 'vite-plugin-compression2'

const apiTarget = process.env.WEBPLUS_API_URL ?? 'http://127.0.0.1:8080'
const CHART_PACKAGES =
  /node_modules\/(recharts|victory-vendor|@reduxjs|redux|redux-thunk|react-redux|immer|reselect|es-toolkit|decimal\.js-light|eventemitter3|tiny-invariant|use-sync-external-store|react-is)\//
// Markdown, math and code highlighting: fetched with the chat page.
const MARKDOWN_PACKAGES =
  /node_modules\/(react-markdown|remark-[a-z-]+|rehype-[a-z-]+|micromark[a-z-]*|mdast-[a-z-]+|hast-[a-z-]+|hastscript|unist-[a-z-]+|unified|vfile[a-z-]*|katex|lowlight|highlight\.js|property-information|space-separated-tokens|comma-separated-tokens|html-url-attributes|devlop|bail|trough|is-plain-obj|ccount|character-entities[a-z-]*|character-reference-invalid|decode-named-character-reference|estree-util-[a-z-]+|style-to-js|style-to-object|inline-style-parser|markdown-table|longest-streak|zwitch|trim-lines|web-namespaces|html-void-elements|stringify-entities|@ungap\/structured-clone|is-alphabetical|is-alphanumerical|is-decimal|is-hexadecimal|escape-string-regexp|parse-entities|eventsource-parser)\//
// Mermaid and what it uses (d3 is shared with the charts): left to Rollup, which splits them
// under mermaid's dynamic import, so they load only when a reply contains a diagram.
const ON_DEMAND_PACKAGES =
  /node_modules\/(mermaid|@mermaid-js|cytoscape[a-z-]*|cose-base|layout-base|dagre-d3-es|khroma|roughjs|stylis|dompurify|@braintree|@iconify|@upsetjs|langium|chevrotain[a-z-]*|@chevrotain|lodash-es|dayjs|marked|ts-dedent|uuid|fastdom|d3|d3-[a-z-]+|delaunator|robust-predicates|internmap|vscode-[a-z-]+|@antfu|hachure-fill|path-data-parser|points-on-curve|points-on-path)\//

export default defineConfig(({ isSsrBuild }) => ({
  plugins: [
    react(),
    tailwindcss(),
    // Brotli and gzip copies of the client's files, made once at build time: the server sends the
    // one the browser accepts (a third to a fifth of the bytes), without compressing per request.
    ...(isSsrBuild
      ? []
      : [
          compression({
            algorithms: ['brotliCompress', 'gzip'],
            include: /\.(js|css|html|svg|json|txt)$/,
            threshold: 1024,
            skipIfLargerOrEqual: true,
            logLevel: 'silent',
          }),
        ]),
  ],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false, ws: true },
    },
  },
  // The server-side build bundles the icons it uses: importing lucide-react whole at start-up (its
  // every icon, one module each) took most of the SSR entry's load time.
  ssr: { noExternal: ['lucide-react', 'radix-ui', /^@radix-ui\//] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The server-side build (`--ssr src/entry-server.tsx`) is code only: the public files are the
    // client build's.
    copyPublicDir: !isSsrBuild,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod ships comments that look like /*@__PURE__*/ annotations to Rollup; they are harmless.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/zod/')) return
        warn(warning)
      },
      output: {
        // Libraries change less often than the app: separate files stay cached across releases.
        manualChunks: (id) => {
          if (!id.includes('node_modules')) return undefined
          // The charting library and what only it uses: fetched when a model's details open.
          if (CHART_PACKAGES.test(id)) return 'charts'
          if (MARKDOWN_PACKAGES.test(id)) return 'markdown'
          if (ON_DEMAND_PACKAGES.test(id)) return undefined
          if (/node_modules\/(react|react-dom|react-router|scheduler|cookie|set-cookie-parser)\//.test(id))
            return 'react'
          if (id.includes('@radix-ui') || id.includes('radix-ui')) return 'radix'
          if (id.includes('@tanstack')) return 'query'
          if (id.includes('/zod/')) return 'zod'
          return 'vendor'
        },
      },
    },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
}))
