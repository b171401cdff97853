// `causette file save <attachment-id> [--out PATH] [--force]`: writes a received (or sent) file,
// checked against the SHA-256 its author signed; `causette files`: what the profile's files take.
import { parseCommandArgs } from '../command-args.js'
import type { FilesUsage } from '../../api/schema.js'
import { API_PREFIX, FILES_PATH } from '../../api/paths.js'
import { apiClient } from '../client.js'
import type { Command } from '../command.js'
import { saveAttachment } from '../file-save.js'
import { byteSize } from '../../api/size-words.js'
import { UsageError } from '../usage.js'

const FILE_USAGE = `causette file save <attachment-id> [--out PATH] [--force]

Writes the file to PATH (a folder: under the file's name; none: the current folder), checked against
the size and SHA-256 its author signed. An existing file is replaced only with --force. The ids are
in \`causette messages\` and \`causette channel messages\` (--json: attachments[].id).`

export const fileCommand: Command = {
  name: 'file',
  summary: 'Save a file of a message: causette file save <attachment-id> --out PATH',
  usage: FILE_USAGE,
  run: async (ctx) => {
    const { values, positionals } = parseCommandArgs({ args: ctx.argv, options: { out: { type: 'string' }, force: { type: 'boolean' } }, allowPositionals: true, strict: true })
    const [sub, id, ...extra] = positionals
    if (sub !== 'save') throw new UsageError(sub === undefined ? 'say save' : `unknown subcommand "${sub}"`)
    if (id === undefined) throw new UsageError('give the attachment id')
    if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`)
    if (values.out === '') throw new UsageError('--out needs a path')
    const { path, attachment } = await saveAttachment(await apiClient(ctx.home), { id, out: values.out, force: values.force === true })
    ctx.out(ctx.json ? JSON.stringify({ path, id: attachment.id, name: attachment.name, size: attachment.size, type: attachment.type, sha256: attachment.sha256 }) : path)
    return 0
  }
}

export const filesCommand: Command = {
  name: 'files',
  summary: 'What the files of this profile take on disk, against its limit',
  usage: 'causette files [--json]',
  run: async (ctx) => {
    parseCommandArgs({ args: ctx.argv, options: {}, strict: true })
    const usage = await (await apiClient(ctx.home)).json<FilesUsage>('GET', API_PREFIX + FILES_PATH)
    if (ctx.json) ctx.out(JSON.stringify(usage))
    else for (const line of describeUsage(usage)) ctx.out(line)
    return 0
  }
}

function describeUsage (usage: FilesUsage): string[] {
  const files = (count: number): string => `${count} file${count === 1 ? '' : 's'}`
  return [
    `files    ${byteSize(usage.mineBytes + usage.carriedBytes)} of ${byteSize(usage.limitBytes)}`,
    `yours    ${byteSize(usage.mineBytes)} in ${files(usage.mineFiles)} (sent and received)`,
    // No count: a carrier cannot tell an image's preview from a file (--json has carriedFiles).
    `carried  ${byteSize(usage.carriedBytes)} for absent colleagues (removed first when room is needed)`
  ]
}
