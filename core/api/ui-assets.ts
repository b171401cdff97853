// The browser app inside a single executable: the packager packs ui/dist as assets named
// `app/<path>`, served here as serveStatic serves the folder when run from source.
import type { Hono } from 'hono'
import { getMimeType } from 'hono/utils/mime'
import { ASSET, readAsset } from '../runtime/assets.js'

export function serveAppAssets (app: Hono): void {
  app.get('*', async (c, next) => {
    if (c.req.path.startsWith('/api/')) return await next()
    const path = c.req.path === '/' ? '/index.html' : c.req.path
    const found = readAsset(`${ASSET.appPrefix}${path.slice(1)}`)
    // A single-page app: an unknown path gets index.html, whose router shows the page.
    const body = found ?? readAsset(`${ASSET.appPrefix}index.html`)
    if (body === undefined) return c.text('this executable carries no app', 500)
    const name = found === undefined ? 'index.html' : path
    c.header('content-type', getMimeType(name) ?? 'application/octet-stream')
    // The service worker must be revalidated on every load, or an old app lingers.
    if (name.endsWith('sw.js')) c.header('cache-control', 'no-cache')
    return c.body(body as Uint8Array<ArrayBuffer>)
  })
}
