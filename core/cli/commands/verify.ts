// `causette verify <name-or-peerid>`: the safety number with a peer, to compare with theirs.
import { parseCommandArgs } from '../command-args.js'
import type { SafetyNumberView } from '../../api/schema.js'
import { apiClient } from '../client.js'
import type { Command } from '../command.js'
import { UsageError } from '../usage.js'

/** The API path of a peer action; `peer` may be a PeerId or a display name. */
export const peerPath = (peer: string, action: 'safety-number' | 'trust'): string =>
  `/api/v1/peers/${encodeURIComponent(peer)}/${action}`

/** 12 groups of five as three lines of four, as Signal shows them. */
export function safetyNumberLines (digits: string): string[] {
  const groups = digits.split(' ')
  return [0, 4, 8].map(start => groups.slice(start, start + 4).join(' '))
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'Show the safety number with a peer, to compare with theirs before trusting it',
  usage: 'causette verify <name-or-peerid> [--json]',
  run: async (ctx) => {
    const { positionals } = parseCommandArgs({ args: ctx.argv, options: {}, allowPositionals: true, strict: true })
    if (positionals.length !== 1) throw new UsageError('give one peer, by name or PeerId')
    const safety = await (await apiClient(ctx.home)).json<SafetyNumberView>('GET', peerPath(positionals[0]!, 'safety-number'))
    if (ctx.json) {
      ctx.out(JSON.stringify(safety))
      return 0
    }
    ctx.out(`safety number with ${safety.name} (${safety.peerId}):`)
    ctx.out('')
    for (const line of safetyNumberLines(safety.digits)) ctx.out(`    ${line}`)
    ctx.out('')
    if (safety.keyChanged) ctx.out(`${safety.name} presented a NEW KEY: messages with them are blocked until you compare again and trust it.`)
    else if (safety.verified) ctx.out(`${safety.name} is verified.`)
    ctx.out(`Compare it with the number ${safety.name} sees (\`causette verify\` on their machine, or their app): read the`)
    ctx.out('digits to each other, in person or by phone, or scan the QR code of the safety number screen in the app.')
    if (!safety.verified || safety.keyChanged) ctx.out(`If every digit matches: \`causette trust ${positionals[0]!}\`. If not, do not: someone may be in between.`)
    return 0
  }
}
