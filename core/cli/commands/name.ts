// `causette name <new name>`: the display name colleagues see, changed on the running node (which
// tells those connected at once, and the others as they connect).
import { parseCommandArgs } from '../command-args.js'
import { apiClient } from '../client.js'
import type { Command } from '../command.js'
import { UsageError } from '../usage.js'

/** ProfileUpdate's bound in the API schema: the node refuses longer. */
const MAX_NAME_CHARS = 64

export const nameCommand: Command = {
  name: 'name',
  summary: 'Change your display name, the one colleagues see',
  usage: 'causette name <new name> [--json]',
  run: async (ctx) => {
    const { positionals } = parseCommandArgs({ args: ctx.argv, options: {}, allowPositionals: true, strict: true })
    const name = positionals.join(' ').trim()
    if (name === '' || name.length > MAX_NAME_CHARS) throw new UsageError(`give a name of 1 to ${MAX_NAME_CHARS} characters`)
    const client = await apiClient(ctx.home)
    await client.json('PUT', '/api/v1/profile', { name })
    ctx.out(ctx.json ? JSON.stringify({ name }) : `Colleagues now see you as ${name}.`)
    return 0
  }
}
