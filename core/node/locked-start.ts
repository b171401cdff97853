// A node that waits for its profile's passphrase because nobody can type it on a terminal (started at
// login, from the menu entry, by a double-click): the local API serves it locked (core/api/locked-node.ts)
// and the passphrase typed in the app starts it. The passphrase goes to Argon2id once and is not kept.
import type { LockedNode } from '../api/locked-node.js'
import { CausetteError, ProfileError } from '../errors.js'
import { resolveHome } from '../profile/files.js'
import type { PassphraseSource } from '../profile/master-key.js'
import { readStoredSettings } from '../profile/settings.js'
import { startNode } from './node.js'
import type { CausetteNode, NodeOptions } from './node-options.js'

export interface LockedStart {
  locked: LockedNode
  /** The node, once someone unlocked it. */
  started: Promise<CausetteNode>
  /** Stopped while locked: refuses further attempts, waits for one under way and stops the node it started. */
  abandon: () => Promise<void>
}

/**
 * What an update on trial does around each open of the profile (core/update/swap/start-wiring.ts):
 * `openBegun` before it, `openEnded` once it ended, either way; `openFailed` is told of a failure other
 * than a wrong passphrase (an update on trial rolls back on it), and what it resolves to, if anything,
 * is the answer instead, and the node takes no further attempt.
 */
export interface OpenWatch {
  openBegun: () => Promise<void>
  openFailed: (error: unknown) => Promise<Error | undefined>
  openEnded: () => Promise<void>
}

const UNWATCHED: OpenWatch = { openBegun: async () => {}, openFailed: async () => undefined, openEnded: async () => {} }

/** `log`: the daemon's log (a refused attempt is worth a line there; the passphrase never is). */
export async function startWhenUnlocked (options: NodeOptions, log: (line: string) => void, watch: OpenWatch = UNWATCHED): Promise<LockedStart> {
  const home = resolveHome(options.home)
  let settle: (node: CausetteNode) => void = () => {}
  const started = new Promise<CausetteNode>(resolve => { settle = resolve })
  let node: CausetteNode | undefined
  let attempt: Promise<unknown> = Promise.resolve()
  let abandoned = false
  const open = async (passphrase: string): Promise<CausetteNode> => {
    await watch.openBegun()
    try {
      return await startNode({ ...options, home, passphrase: handedOnce(passphrase) }).catch(async (error: unknown) => {
        const answer = refusal(error, log)
        if (answer !== error) throw answer
        const instead = await watch.openFailed(error)
        if (instead === undefined) throw error
        abandoned = true
        throw instead
      })
    } finally {
      await watch.openEnded()
    }
  }
  const unlock = async (passphrase: string): Promise<CausetteNode> => {
    if (abandoned) throw new CausetteError('NOT_RUNNING', 'causette is stopping')
    const opening = open(passphrase)
    // A stop waits for the whole attempt, its mark cleared, then stops the node it started.
    attempt = opening.then(opened => { node = opened }, () => {})
    const opened = await opening
    log('unlocked: the passphrase opened the profile')
    settle(opened)
    return opened
  }
  return {
    locked: { profile: home, name: options.name ?? await savedName(home), unlock },
    started,
    abandon: async () => {
      abandoned = true
      await attempt
      await node?.stop()
    }
  }
}

/** Gives the passphrase to the one derivation that asks for it, then forgets it. */
function handedOnce (passphrase: string): PassphraseSource {
  let given: string | undefined = passphrase
  return async () => {
    const text = given
    given = undefined
    if (text === undefined) throw new ProfileError('PASSPHRASE_REQUIRED', 'the passphrase was asked twice')
    return text
  }
}

/** A wrong passphrase gets its code (the app says so); anything else is for the log, as `causette start` would print it. */
function refusal (error: unknown, log: (line: string) => void): unknown {
  if (error instanceof ProfileError && error.code === 'PASSPHRASE_WRONG') {
    log('unlock refused: wrong passphrase')
    return new CausetteError('PASSPHRASE_WRONG', 'Wrong passphrase: causette stays locked')
  }
  log(`unlock failed: ${error instanceof Error ? error.message : String(error)}`)
  return error
}

/** The display name in settings.json (not sealed), for the unlock screen; none if it is missing or unreadable. */
async function savedName (home: string): Promise<string | null> {
  const stored = await readStoredSettings(home).catch(() => undefined)
  return typeof stored?.name === 'string' ? stored.name : null
}
