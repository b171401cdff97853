// workbox-build (through vite-plugin-pwa) writes the service worker's source into a folder of its own
// under the system's temporary directory before bundling it, and never removes it: one folder left
// behind at every build of the app. This plugin points the temporary directory of the build at a
// folder of ours, and removes that folder once the service worker is written.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Plugin } from 'vite'

/** The variables `os.tmpdir()` reads: TMPDIR on Linux and macOS, TEMP and TMP on Windows. */
const TEMPORARY_DIRECTORY_VARIABLES = ['TMPDIR', 'TEMP', 'TMP'] as const

export function workboxScratchFolder (): Plugin {
  let scratch: string | undefined
  return {
    name: 'causette:workbox-scratch-folder',
    apply: 'build',
    buildStart () {
      // workbox-build is loaded when the service worker is generated, after this: it reads this folder.
      scratch = mkdtempSync(join(tmpdir(), 'causette-ui-build-'))
      for (const variable of TEMPORARY_DIRECTORY_VARIABLES) process.env[variable] = scratch
    },
    closeBundle: {
      // After vite-plugin-pwa's own closeBundle, which generates the service worker.
      order: 'post',
      sequential: true,
      handler () {
        if (scratch !== undefined) rmSync(scratch, { recursive: true, force: true })
      }
    }
  }
}
