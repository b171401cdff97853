// `causette channel ...`: project channels through the running daemon. The subcommands live in
// channel-show.ts (list, browse, show, messages), channel-change.ts (membership, topic, archive, mute) and
// channel-send.ts (send, react); this file parses and dispatches.
import type { Command } from '../command.js'
import { UsageError } from '../usage.js'
import { SEND_ID_HELP } from './message-content.js'
import { channelChanges } from './channel-change.js'
import { channelSends } from './channel-send.js'
import { channelShows } from './channel-show.js'
import type { ChannelSubcommand } from './channel-sub.js'

const USAGE = `causette channel list                                   your channels, latest activity first
causette channel browse                                 every channel you may see: open or invite-only, members, how to get in
causette channel create <name> [--topic T] [--open]     a new channel: you are its owner; --open: any workspace member sees and may join it
causette channel join <channel>                         join an open channel
causette channel show <channel>                         members (owner marked), topic, state
causette channel messages <channel> [--thread ID] [--limit N]
causette channel read <channel> [--limit N]             the messages, and marks them read (read receipts go)
causette channel send <channel> [<text...> | --text T] [--file PATH]... [--reply ID (in its thread)] [--quote ID] [--urgent "<reason>"] [--send-id ID]
causette channel react <channel> <message id> <emoji> [--remove]
causette channel invite <channel> <peer...>             workspace members, by name or PeerId
causette channel remove <channel> <peer>                the owner only
causette channel leave <channel>
causette channel topic <channel> <text...>
causette channel archive <channel>                      the owner only; nothing is sent after
causette channel mute <channel> [--for MINUTES | --until TIME | --off]

<channel> is a channel id or a name one channel has. Every subcommand takes --json.
Our messages show how far they got: "delivered 3/5 · read 2 · 1 silently" (members in focus).
send's ${SEND_ID_HELP}.`

const subcommands = new Map<string, ChannelSubcommand>([...channelShows, ...channelChanges, ...channelSends].map(s => [s.name, s]))

export const channelCommand: Command = {
  name: 'channel',
  summary: 'Project channels: browse, create, join, invite, remove, leave, archive, send, react, mute',
  usage: USAGE,
  run: async (ctx) => {
    const [name, ...argv] = ctx.argv
    if (name === undefined) throw new UsageError('give a subcommand: causette channel list, create, show, send...')
    const sub = subcommands.get(name)
    if (sub === undefined) throw new UsageError(`unknown subcommand "${name}"`)
    return await sub.run({ ...ctx, argv })
  }
}
