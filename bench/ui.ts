// The browser app's first load, measured in Debian's Chromium against a real daemon on loopback:
//  - the gzipped size of the JavaScript the first load fetches (target < 150 KB; libsodium must not
//    be part of it: it loads only on the verifier page);
//  - the time to interactive (target < 1 s): from navigation start to the first frame after the
//    app's data from the daemon is on screen (the app's `causette:interactive` performance mark).
// Every run uses a fresh browser profile: no HTTP cache, no service worker. One warm-up load first
// (discarded) so the figure is the app's, not the operating system's cold file cache. Chromium is
// installed when missing, as `npm test` does (bench/tools.ts).
import { existsSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { CHROMIUM_PATH, launchProfile } from '../test/helpers/browser.js'
import { startDaemon } from '../test/helpers/browser-daemons.js'
import { median } from './stats.js'
import { installTools, type Unavailable } from './tools.js'

export interface UiFigures {
  firstLoadJsGzipBytes: number
  firstLoadJsFiles: string[]
  /** Median over `runs`, in ms. */
  timeToInteractiveMs: number
  timeToInteractiveRunsMs: number[]
  libsodiumInFirstLoad: boolean
}

export const UI_TARGETS = { firstLoadJsGzipBytes: 150 * 1024, timeToInteractiveMs: 1000 }

const INTERACTIVE_MARK = 'causette:interactive'

export async function measureUi ({ runs = 5 }: { runs?: number } = {}): Promise<UiFigures | Unavailable> {
  const missing = existsSync(CHROMIUM_PATH) ? undefined : await installTools('chromium')
  if (missing !== undefined) return { unavailable: `Chromium could not be installed: ${missing}` }
  const daemon = await startDaemon({ name: 'Bench' })
  try {
    const times: number[] = []
    let js: Map<string, number> = new Map()
    await loadOnce(daemon.appLink)
    for (let run = 0; run < runs; run++) {
      const { timeMs, scripts } = await loadOnce(daemon.appLink)
      times.push(timeMs)
      js = scripts
    }
    const files = [...js.keys()]
    return {
      firstLoadJsGzipBytes: [...js.values()].reduce((sum, bytes) => sum + bytes, 0),
      firstLoadJsFiles: files,
      timeToInteractiveMs: median(times),
      timeToInteractiveRunsMs: times,
      libsodiumInFirstLoad: files.some(file => /sodium|verify-file/.test(file))
    }
  } finally {
    await daemon.close()
  }
}

async function loadOnce (link: string): Promise<{ timeMs: number, scripts: Map<string, number> }> {
  const profile = await launchProfile()
  try {
    const page = await profile.context.newPage()
    const scripts = new Map<string, number>()
    const pending: Array<Promise<void>> = []
    page.on('response', response => {
      if (response.request().resourceType() !== 'script') return
      pending.push(response.body().then(body => { scripts.set(new URL(response.url()).pathname, gzipSync(body, { level: 9 }).length) }, () => {}))
    })
    await page.goto(link)
    await page.waitForFunction(mark => performance.getEntriesByName(mark).length > 0, INTERACTIVE_MARK)
    const timeMs = await page.evaluate(mark => performance.getEntriesByName(mark)[0]!.startTime, INTERACTIVE_MARK)
    await Promise.all(pending)
    return { timeMs: Math.round(timeMs), scripts }
  } finally {
    await profile.close()
  }
}


if (import.meta.url === `file://${process.argv[1]}`) {
  const figures = await measureUi()
  if ('unavailable' in figures) throw new Error(figures.unavailable)
  console.log(`UI first load: ${(figures.firstLoadJsGzipBytes / 1024).toFixed(1)} KB gzipped JS (target < ${UI_TARGETS.firstLoadJsGzipBytes / 1024} KB), libsodium ${figures.libsodiumInFirstLoad ? 'INCLUDED' : 'not included'}`)
  console.log(`UI time to interactive: ${figures.timeToInteractiveMs} ms median of ${figures.timeToInteractiveRunsMs.join(', ')} (target < ${UI_TARGETS.timeToInteractiveMs} ms)`)
  console.log(JSON.stringify({ ui: figures }))
}
