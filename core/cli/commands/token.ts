// `causette token rotate`: replaces the local API token of a stopped node's profile, for a token that
// may have leaked. The app then asks for the new link, which `causette start` prints.
import { parseCommandArgs } from '../command-args.js'
import type { Command } from '../command.js'
import { UsageError } from '../usage.js'
import { lockProfile } from './passphrase.js'

const USAGE = `causette token rotate   replace the local API token (the node must be stopped)

The app and scripts holding the old token are refused from the next \`causette start\` on; open the
link it prints. The token is not rotated otherwise: the app sends it only to a node that proves it
holds it.`

export const tokenCommand: Command = {
  name: 'token',
  summary: 'Replace the local API token',
  usage: USAGE,
  run: async (ctx) => {
    const { positionals } = parseCommandArgs({ args: ctx.argv, options: {}, allowPositionals: true, strict: true })
    const [sub, ...rest] = positionals
    if (sub !== 'rotate') throw new UsageError(sub === undefined ? 'say rotate' : `unknown subcommand "${sub}"`)
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`)
    const [{ ensureProfileDir }, { openDatabase }, { rotateApiToken }] = await Promise.all([import('../../profile/files.js'), import('../../store/database.js'), import('../../api/token.js')])
    await ensureProfileDir(ctx.home)
    const lock = await lockProfile(openDatabase, ctx.home, 'rotate the token')
    try {
      await rotateApiToken(ctx.home)
    } finally {
      await lock.close()
    }
    ctx.out(ctx.json ? JSON.stringify({ rotated: true }) : 'new API token written: open the link that `causette start` prints (the old token is refused from then on)')
    return 0
  }
}
