// `causette passphrase set | remove`: protect the profile's master key with a passphrase (Argon2id),
// change it, or store the key unwrapped again. Works on a stopped node's profile only: the command
// holds the profile's database lock, which a running node holds.
import { parseCommandArgs } from '../command-args.js'
import { CausetteError, isCausetteError, ProfileError } from '../../errors.js'
import type { PassphraseSource } from '../../profile/master-key.js'
import type { Command } from '../command.js'
import { UsageError } from '../usage.js'

export const PASSPHRASE_ENV = 'CAUSETTE_PASSPHRASE'

const USAGE = `causette passphrase set [--passphrase-stdin]      protect this profile with a passphrase, or change it
causette passphrase remove [--passphrase-stdin]   keep the master key unprotected again (file mode 0600)

The node must be stopped. \`causette start\` then asks for the passphrase, or reads ${PASSPHRASE_ENV}.
Without a terminal (scripts): ${PASSPHRASE_ENV} gives the profile's current passphrase when it has one;
the new passphrase is the first line of standard input with --passphrase-stdin, else ${PASSPHRASE_ENV}
when the profile has none yet. A forgotten passphrase cannot be recovered.`

export const passphraseCommand: Command = {
  name: 'passphrase',
  summary: 'Protect this profile\'s keys with a passphrase, change or remove it',
  usage: USAGE,
  run: async (ctx) => {
    const { values, positionals } = parseCommandArgs({ args: ctx.argv, options: { 'passphrase-stdin': { type: 'boolean' } }, allowPositionals: true, strict: true })
    const [sub, ...rest] = positionals
    if (sub !== 'set' && sub !== 'remove') throw new UsageError(sub === undefined ? 'say set or remove' : `unknown subcommand "${sub}"`)
    if (rest.length > 0) throw new UsageError('a passphrase is never given on the command line (it would show in the process list)')
    const fromStdin = values['passphrase-stdin'] === true
    const [{ ensureProfileDir }, { openDatabase }, profile] = await Promise.all([import('../../profile/files.js'), import('../../store/database.js'), import('../../profile/passphrase.js')])
    await ensureProfileDir(ctx.home)
    const lock = await lockProfile(openDatabase, ctx.home)
    try {
      const protectedNow = await profile.hasPassphrase(ctx.home)
      const env = passphraseFromEnv()
      if (sub === 'remove') {
        if (!protectedNow) {
          ctx.out(ctx.json ? JSON.stringify({ passphrase: false }) : 'this profile has no passphrase')
          return 0
        }
        const current = env !== undefined ? async () => env : fromStdin ? readStdinLine : interactive('passphrase of this profile: ')
        await profile.removePassphrase(ctx.home, current)
        ctx.out(ctx.json ? JSON.stringify({ passphrase: false }) : 'passphrase removed: the master key is kept in master-key.json (mode 0600), readable by your OS account')
        return 0
      }
      // The current passphrase is asked first, as people expect; it is checked when the key is unwrapped.
      const currentText = !protectedNow ? undefined : env !== undefined ? env : await interactive('current passphrase: ')()
      const current: PassphraseSource | undefined = currentText === undefined ? undefined : async () => currentText
      const next = fromStdin ? await readStdinLine() : !protectedNow && env !== undefined ? env : await askTwice()
      checkNew(next)
      await profile.setPassphrase(ctx.home, next, current)
      ctx.out(ctx.json ? JSON.stringify({ passphrase: true }) : `passphrase ${protectedNow ? 'changed' : 'set'}: \`causette start\` will ask for it (or read ${PASSPHRASE_ENV}); it cannot be recovered if forgotten`)
      return 0
    } finally {
      await lock.close()
    }
  }
}

/** Holds the profile's database lock: refuses while a node runs on the profile. `action`: what to do once it is stopped. */
export async function lockProfile (openDatabase: (home: string) => Promise<{ close: () => Promise<void> }>, home: string, action = 'change the passphrase'): Promise<{ close: () => Promise<void> }> {
  try {
    return await openDatabase(home)
  } catch (error) {
    if (isCausetteError(error, 'PROFILE_LOCKED')) throw new CausetteError('PROFILE_LOCKED', `a causette node is running on this profile: stop it first, then ${action}`, { cause: error })
    throw error
  }
}

function checkNew (passphrase: string): void {
  if (passphrase.length === 0) throw new ProfileError('PASSPHRASE_BAD', 'the passphrase is empty')
}

async function askTwice (): Promise<string> {
  const first = await interactive('new passphrase: ')()
  checkNew(first)
  if (await interactive('the same again: ')() !== first) throw new ProfileError('PASSPHRASE_BAD', 'the two passphrases differ; nothing was changed')
  return first
}

/**
 * Where `causette start` takes the passphrase from, if the profile has one: CAUSETTE_PASSPHRASE, the
 * first line of standard input (--passphrase-stdin), else the terminal.
 */
export function passphraseSource (fromStdin: boolean, home: string): PassphraseSource {
  const env = passphraseFromEnv()
  if (env !== undefined) return async () => env
  if (fromStdin) return readStdinLine
  return interactive(`passphrase for ${home}: `)
}

/** A prompt on the terminal that does not echo; refuses when there is no terminal. */
export function interactive (prompt: string): PassphraseSource {
  return async () => {
    if (process.stdin.isTTY !== true) throw new ProfileError('PASSPHRASE_REQUIRED', `this profile is protected by a passphrase and there is no terminal to ask it on: set ${PASSPHRASE_ENV} or use --passphrase-stdin`)
    return await readHidden(prompt)
  }
}

async function readStdinLine (): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer)
    if ((chunk as Buffer).includes(10)) break
  }
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? ''
}

function readHidden (prompt: string): Promise<string> {
  const stdin = process.stdin
  process.stderr.write(prompt)
  stdin.setRawMode(true)
  stdin.resume()
  return new Promise((resolve, reject) => {
    let text = ''
    const done = (error?: Error): void => {
      stdin.off('data', onData)
      stdin.setRawMode(false)
      stdin.pause()
      process.stderr.write('\n')
      if (error === undefined) resolve(text)
      else reject(error)
    }
    const onData = (data: Buffer): void => {
      for (const char of data.toString('utf8')) {
        if (char === '\r' || char === '\n') return done()
        if (char === '\u0003' || char === '\u0004') return done(new ProfileError('PASSPHRASE_REQUIRED', 'no passphrase given'))
        if (char === '\u007f' || char === '\b') text = [...text].slice(0, -1).join('')
        else text += char
      }
    }
    stdin.on('data', onData)
  })
}

/** CAUSETTE_PASSPHRASE, if set and not empty (an empty variable is as good as none). */
export function passphraseFromEnv (): string | undefined {
  const value = process.env[PASSPHRASE_ENV]
  return value === undefined || value === '' ? undefined : value
}
