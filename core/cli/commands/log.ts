// `causette log`: export the journal through the running daemon (it holds the database), and
// verify export files locally, without the daemon (docs/log-format.md).
import { createWriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import { Readable } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { pipeline } from 'node:stream/promises'
import { parseCommandArgs } from '../command-args.js'
import { CausetteError } from '../../errors.js'
import { isDiskFull } from '../../profile/files.js'
import { verifyExport, type ExportReport } from '../../../crypto/log/verify-export.js'
import { verifyExtends } from '../../../crypto/log/verify-extends.js'
import { describeReport, reportJson } from '../../../crypto/log/describe-report.js'
import { parallelLogPrimitives } from '../../journal/primitives.js'
import { readLines } from '../../journal/read-lines.js'
import type { ApiClient } from '../client.js'
import type { Command, CommandContext } from '../command.js'
import { isUsageError, UsageError } from '../usage.js'

const USAGE = `causette log export [--with <peer>] [--conversation <id>] [--since <date>] [--until <date>] [--redact] --out <file>
causette log verify <file> [--key <vkey>] [--json]
causette log verify <older-file> <newer-file> [--key <vkey>] [--json]

Dates are ISO 8601 (2026-11-27 is midnight UTC, or 2026-11-27T09:00:00+01:00) or Unix milliseconds.
--since is inclusive, --until exclusive. A verifier key looks like causette/journal/v1/<PeerId>+1a2b3c4d+AQ...`

/** What `log export` needs of the daemon's API client; injectable for tests. */
export type ApiClientFactory = (home: string) => Promise<Pick<ApiClient, 'fetch'>>

/** Loaded only by `log export`: `log verify` needs neither the daemon nor its client. */
const daemonClient: ApiClientFactory = async (home) => await (await import('../client.js')).apiClient(home)

function parseDate (name: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined
  const ms = /^[0-9]+$/.test(text) ? Number(text) : Date.parse(text)
  if (!Number.isSafeInteger(ms)) throw new UsageError(`--${name}: "${text}" is not a date`)
  return String(ms)
}

async function exportCommand (ctx: CommandContext, args: string[], apiClient: ApiClientFactory): Promise<number> {
  const { values } = parseCommandArgs({
    args,
    options: { with: { type: 'string' }, conversation: { type: 'string' }, since: { type: 'string' }, until: { type: 'string' }, redact: { type: 'boolean' }, out: { type: 'string' } },
    strict: true
  })
  if (values.out === undefined) throw new UsageError('--out <file> is required')
  const query = new URLSearchParams()
  for (const [key, value] of Object.entries({ with: values.with, conversation: values.conversation, since: parseDate('since', values.since), until: parseDate('until', values.until), redact: values.redact === true ? 'true' : undefined })) {
    if (value !== undefined) query.set(key, value)
  }
  const client = await apiClient(ctx.home)
  const response = await client.fetch(`/api/v1/journal/export?${query.toString()}`)
  if (!response.ok || response.body === null) {
    const body = await response.json().catch(() => undefined) as { error?: { code: string, message: string } } | undefined
    ctx.err(`causette log export: ${body?.error?.message ?? `the daemon answered ${response.status}`}`)
    return 1
  }
  // Written beside the target, synced and renamed at the end: a failed export leaves no partial
  // file, and one said to be written survives a power cut.
  const partial = `${values.out}.partial`
  try {
    await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(partial, { mode: 0o600, flush: true }))
    await rename(partial, values.out)
  } catch (error) {
    await rm(partial, { force: true })
    if (!isDiskFull(error)) throw error
    throw new CausetteError('STORAGE_UNAVAILABLE', `the disk is full: ${values.out} was not written, and nothing of it is left there; free some space, then export again`, { cause: error })
  }
  const report = await verifyExport(readLines(values.out), parallelLogPrimitives)
  if (ctx.json) ctx.out(JSON.stringify({ ok: true, file: values.out, report: reportJson(report) }))
  else ctx.out(`wrote ${values.out} and verified it:\n${describeReport(report).join('\n')}`)
  return 0
}

async function verifyCommand (ctx: CommandContext, args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs({ args, options: { key: { type: 'string' }, json: { type: 'boolean' } }, allowPositionals: true, strict: true })
  const json = ctx.json || values.json === true
  const options = values.key === undefined ? {} : { trustedKey: values.key }
  if (positionals.length < 1 || positionals.length > 2) throw new UsageError('give one export file, or an older and a newer one')
  try {
    let report: ExportReport
    let extended: ExportReport | undefined
    if (positionals.length === 1) {
      report = await verifyExport(readLines(positionals[0]!), parallelLogPrimitives, options)
    } else {
      const both = await verifyExtends(readLines(positionals[0]!), readLines(positionals[1]!), parallelLogPrimitives, options)
      extended = both.older
      report = both.newer
    }
    if (json) {
      ctx.out(JSON.stringify({ ok: true, report: reportJson(report), ...(extended === undefined ? {} : { extends: reportJson(extended) }) }))
    } else {
      const head = extended === undefined ? `OK ${positionals[0]!} verifies` : `OK ${positionals[1]!} (${report.size} entries) extends ${positionals[0]!} (${extended.size} entries)`
      ctx.out([head, ...describeReport(report)].join('\n'))
    }
    return 0
  } catch (error) {
    const { code, message } = error as { code?: string, message: string }
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') throw new UsageError(message)
    if (code === undefined || !['LOG_VERIFICATION_FAILED', 'LOG_NOT_EXTENDED'].includes(code)) throw error
    const entry = (error as { entry?: number }).entry
    if (json) ctx.out(JSON.stringify({ ok: false, code, message, ...(entry === undefined ? {} : { entry }) }))
    else ctx.err(`FAILED ${message}`)
    return 1
  }
}

/** The command, with the API client injectable for tests. */
export function createLogCommand (apiClient: ApiClientFactory = daemonClient): Command {
  return {
    name: 'log',
    summary: 'Export the signed journal, and verify export files (offline)',
    usage: USAGE,
    run: async (ctx) => await runLog(ctx, apiClient)
  }
}

async function runLog (ctx: CommandContext, apiClient: ApiClientFactory): Promise<number> {
  const [sub, ...rest] = ctx.argv
  try {
    if (sub === 'export') return await exportCommand(ctx, rest, apiClient)
    if (sub === 'verify') return await verifyCommand(ctx, rest)
    throw new UsageError(sub === undefined ? 'which one: export or verify?' : `unknown subcommand "${sub}"`)
  } catch (error) {
    if (!isUsageError(error)) throw error
    ctx.err(`causette log: ${(error as Error).message}\n\n${USAGE}`)
    return 2
  }
}

export const logCommand = createLogCommand()
