// `causette update status|apply FILE|pause|resume`: what runs where, an admin's new release, and the
// workspace's pause (admins only). The daemon checks everything; the CLI streams the file to it.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { parseCommandArgs } from '../command-args.js'
import type { UpdateStatus } from '../../api/schema.js'
import { API_PREFIX, RELEASE_BUNDLE_TYPE, UPDATE_APPLY_PATH } from '../../api/paths.js'
import { CausetteError, ERROR_CODES, type ErrorCode } from '../../errors.js'
import { apiClient } from '../client.js'
import type { Command } from '../command.js'
import { UsageError } from '../usage.js'
import { formatUpdateStatus } from '../update-format.js'

const USAGE = `causette update status            what runs where ("7 of 9 desks on 0.3.0"), the pending release
causette update apply <file>        give this node a release bundle (admins only); colleagues fetch it
causette update pause | resume      pause or resume updates for the whole workspace (admins only)

A release is installed only if the causette release key signed it: its version must be newer than
the one running, and every file must match its SHA-256. A refused file changes nothing.`

export const updateCommand: Command = {
  name: 'update',
  summary: 'Updates across the office: status, apply a release, pause or resume',
  usage: USAGE,
  run: async (ctx) => {
    const { positionals } = parseCommandArgs({ args: ctx.argv, options: {}, allowPositionals: true, strict: true })
    const [sub, ...rest] = positionals
    const expect = (count: number): void => { if (rest.length !== count) throw new UsageError(count === 0 ? `unexpected argument "${rest[0]}"` : 'give the release file') }
    let status: UpdateStatus
    const client = await apiClient(ctx.home)
    switch (sub) {
      case 'status': expect(0); status = await client.json<UpdateStatus>('GET', `${API_PREFIX}/update`); break
      case 'pause':
      case 'resume': expect(0); status = await client.json<UpdateStatus>('POST', `${API_PREFIX}/update/pause`, { paused: sub === 'pause' }); break
      case 'apply': expect(1); status = await upload(client, rest[0]!); break
      default: throw new UsageError(sub === undefined ? 'say status, apply, pause or resume' : `unknown subcommand "${sub}"`)
    }
    ctx.out(ctx.json ? JSON.stringify(status) : formatUpdateStatus(status))
    return 0
  }
}

async function upload (client: Awaited<ReturnType<typeof apiClient>>, file: string): Promise<UpdateStatus> {
  const size = await stat(file).then(s => s.size, () => { throw new UsageError(`cannot read ${file}`) })
  const response = await client.fetch(API_PREFIX + UPDATE_APPLY_PATH, {
    method: 'POST',
    headers: { 'content-type': RELEASE_BUNDLE_TYPE, 'content-length': String(size) },
    body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
    duplex: 'half'
  } as RequestInit)
  const body = await response.json().catch(() => undefined) as (UpdateStatus & { error?: { code: string, message: string } }) | undefined
  if (response.ok && body !== undefined) return body
  const code = body?.error?.code
  if (code !== undefined && (ERROR_CODES as readonly string[]).includes(code)) throw new CausetteError(code as ErrorCode, body!.error!.message)
  throw new Error(`the daemon answered HTTP ${response.status}`)
}
