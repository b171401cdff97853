// What the daemon serves outside /api: the built browser app (ui/dist, or the copy packed inside
// a single executable) when it exists, otherwise a placeholder page. The app is a single-page app: unknown non-API paths get its index.html.
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serveStatic } from '@hono/node-server/serve-static'
import type { Hono, MiddlewareHandler } from 'hono'
import { isPackaged } from '../runtime/build-info.js'
import { serveAppAssets } from './ui-assets.js'

export interface UiInit {
  /** A folder with index.html; without one the placeholder is served. */
  dir: string | undefined
  /** The node's display name, shown on the placeholder. */
  nodeName: () => Promise<string>
}

export function serveUi (app: Hono, { dir, nodeName }: UiInit): void {
  if (dir === undefined && isPackaged()) {
    serveAppAssets(app)
    return
  }
  if (dir === undefined || !existsSync(join(dir, 'index.html'))) {
    app.get('/', async c => c.html(placeholderPage(await nodeName())))
    return
  }
  app.use('*', outsideApi(serveStatic({
    root: dir,
    // The service worker must be revalidated on every load, or an old app lingers.
    onFound: (path, c) => { if (path.endsWith('sw.js')) c.header('cache-control', 'no-cache') }
  })))
  app.get('*', outsideApi(serveStatic({ root: dir, path: 'index.html' })))
}

/** ui/dist of this package, found from this file whether it runs from core/ or dist/core/; none in an executable. */
export function defaultUiDir (): string | undefined {
  if (isPackaged()) return undefined
  let folder = dirname(fileURLToPath(import.meta.url))
  while (folder !== dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) return join(folder, 'ui', 'dist')
    folder = dirname(folder)
  }
  return undefined
}

function outsideApi (handler: MiddlewareHandler): MiddlewareHandler {
  return async (c, next) => c.req.path.startsWith('/api/') ? await next() : await handler(c, next)
}

function placeholderPage (name: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>causette</title></head>
<body>
<h1>causette</h1>
<p>This is the node of <strong>${escapeHtml(name)}</strong>. It is running; the app that will live on this page is coming.</p>
<p>Meanwhile, use the command line: <code>causette status</code>, <code>causette peers</code>, <code>causette send</code>.</p>
</body>
</html>
`
}

function escapeHtml (text: string): string {
  return text.replace(/[&<>"']/g, char => `&#${char.charCodeAt(0)};`)
}
