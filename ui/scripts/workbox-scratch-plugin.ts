// workbox-build (through vite-plugin-pwa) writes the service worker's source into a folder of its own
// under the system's temporary directory before bundling it, and never removes it: one folder left
// behind at every build of the app. This plugin points the temporary directory at a folder of ours
// while the app builds, and removes that folder when the process exits. One folder a process, not a
// build: workbox-build's temp-dir resolves the temporary directory once per process, so a second build
// (vite build --watch, tests that build in their own process) writes into the first one's folder.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Plugin } from 'vite'

/** The variables `os.tmpdir()` reads: TMPDIR on Linux and macOS, TEMP and TMP on Windows. */
const TEMPORARY_DIRECTORY_VARIABLES = ['TMPDIR', 'TEMP', 'TMP'] as const

let processScratch: string | undefined

function scratchFolder (): string {
  if (processScratch === undefined) {
    const folder = mkdtempSync(join(tmpdir(), 'causette-ui-build-'))
    // An exit listener runs no asynchronous work: the removal must be synchronous to happen.
    process.once('exit', () => { rmSync(folder, { recursive: true, force: true }) })
    processScratch = folder
  }
  return processScratch
}

export function workboxScratchFolder (): Plugin {
  let saved: Array<[string, string | undefined]> = []
  return {
    name: 'causette:workbox-scratch-folder',
    apply: 'build',
    buildStart () {
      // workbox-build is loaded when the service worker is generated, after this: it reads this folder.
      const scratch = scratchFolder()
      saved = TEMPORARY_DIRECTORY_VARIABLES.map(variable => [variable, process.env[variable]])
      for (const variable of TEMPORARY_DIRECTORY_VARIABLES) process.env[variable] = scratch
    },
    closeBundle: {
      // After vite-plugin-pwa's own closeBundle, which generates the service worker.
      order: 'post',
      sequential: true,
      handler () {
        for (const [variable, value] of saved) {
          if (value === undefined) delete process.env[variable]
          else process.env[variable] = value
        }
      }
    }
  }
}
