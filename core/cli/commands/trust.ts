// `causette trust <name-or-peerid>`: marks a peer verified once the safety numbers match; a changed
// key is accepted at the same time, which unblocks the conversation.
import { parseCommandArgs } from '../command-args.js'
import type { TrustView } from '../../api/schema.js'
import { apiClient } from '../client.js'
import type { Command } from '../command.js'
import { UsageError } from '../usage.js'
import { peerPath } from './verify.js'

export const trustCommand: Command = {
  name: 'trust',
  summary: 'Mark a peer verified after comparing safety numbers (accepts its new key if it changed)',
  usage: 'causette trust <name-or-peerid> [--json]',
  run: async (ctx) => {
    const { positionals } = parseCommandArgs({ args: ctx.argv, options: {}, allowPositionals: true, strict: true })
    if (positionals.length !== 1) throw new UsageError('give one peer, by name or PeerId')
    const trusted = await (await apiClient(ctx.home)).json<TrustView>('POST', peerPath(positionals[0]!, 'trust'), {})
    const { peer } = trusted
    if (ctx.json) ctx.out(JSON.stringify(trusted))
    else if (trusted.acceptedKeyChange) ctx.out(`accepted the new key of ${peer.name} (${peer.peerId}) and marked it verified: the conversation is unblocked, and the next message starts a new session`)
    else ctx.out(`${peer.name} (${peer.peerId}) is verified`)
    return 0
  }
}
