// `causette workspace requests | admit | accept | decline`: admitting a desk over the network with
// a 6-digit code compared aloud (core/workspace/join-requests.ts). The admin runs `admit <desk>` to
// see the code, then `admit <desk> --code 123456` once the newcomer read the same code aloud; the
// newcomer, in no workspace yet, runs `accept <admin> --code 123456` likewise.
import { parseCommandArgs } from '../command-args.js'
import type { AdmissionView, JoinOfferView, JoinRequestView } from '../../api/schema.js'
import { CausetteError } from '../../errors.js'
import { namedBy } from '../../names.js'
import { apiClient } from '../client.js'
import type { CommandContext } from '../command.js'
import { table } from '../format.js'
import { UsageError } from '../usage.js'

export const ADMISSION_USAGE = `causette workspace requests [--json]               desks that want to join (admin), or admins that can admit this desk
causette workspace admit <desk> [--code 123456]    admit a desk: shows the code to compare; --code confirms it matches
causette workspace accept <admin> [--code 123456]  (a desk in no workspace) confirm the code the admin's screen shows
causette workspace decline <desk-or-admin>          the codes differ: nothing is admitted`

const SUBCOMMANDS = ['requests', 'admit', 'accept', 'decline']

export const isAdmissionSubcommand = (sub: string | undefined): boolean => sub !== undefined && SUBCOMMANDS.includes(sub)

type Client = Awaited<ReturnType<typeof apiClient>>

export async function runAdmission (ctx: CommandContext): Promise<number> {
  const { values, positionals } = parseCommandArgs({ args: ctx.argv, options: { code: { type: 'string' } }, allowPositionals: true, strict: true })
  const [sub, ...rest] = positionals
  const client = await apiClient(ctx.home)
  const admission = await client.json<AdmissionView>('GET', '/api/v1/workspace/admission')
  if (sub === 'requests') return list(ctx, admission)
  if (rest.length !== 1) throw new UsageError(`give one desk, by name or PeerId: ${ADMISSION_USAGE}`)
  const code = values.code === undefined ? {} : { code: values.code.replace(/\s/g, '') }
  if (sub === 'admit') return show(ctx, await admit(client, find(admission.requests, rest[0]!, 'desk waiting to join'), code))
  if (sub === 'accept') {
    const offer = find(admission.offers, rest[0]!, 'admin admitting this desk')
    return show(ctx, await client.json<JoinOfferView>('POST', offerPath(offer, 'confirm'), code))
  }
  const [request] = matching(admission.requests, rest[0]!)
  if (request !== undefined) return show(ctx, await client.json<JoinRequestView>('POST', requestPath(request, 'decline'), {}))
  const offer = find(admission.offers, rest[0]!, 'desk or admin')
  return show(ctx, await client.json<JoinOfferView>('POST', offerPath(offer, 'decline'), {}))
}

async function admit (client: Client, request: JoinRequestView, code: { code?: string }): Promise<JoinRequestView> {
  const started = await client.json<JoinRequestView>('POST', requestPath(request, 'admit'), {})
  return code.code === undefined ? started : await client.json<JoinRequestView>('POST', requestPath(request, 'confirm'), code)
}

const requestPath = (request: JoinRequestView, action: string): string => `/api/v1/workspace/requests/${encodeURIComponent(request.peerId)}/${action}`
const offerPath = (offer: JoinOfferView, action: string): string => `/api/v1/workspace/offers/${encodeURIComponent(offer.peerId)}/${action}`

const nameOf = (item: JoinRequestView | JoinOfferView): string => 'admin' in item ? item.admin : item.name
/** By PeerId, else by name or its first words, case and accents aside (core/names.ts). */
export function matching<T extends JoinRequestView | JoinOfferView> (items: T[], wanted: string): T[] {
  const byPeerId = items.filter(item => item.peerId === wanted)
  return byPeerId.length > 0 ? byPeerId : namedBy(items, wanted, nameOf)
}

function find<T extends JoinRequestView | JoinOfferView> (items: T[], wanted: string, what: string): T {
  const found = matching(items, wanted)
  if (found.length === 1) return found[0]!
  if (found.length > 1) throw new CausetteError('AMBIGUOUS_PEER', `${found.length} desks are named "${wanted}": use a PeerId (\`causette workspace requests\` lists them)`)
  throw new CausetteError('ADMISSION_NO_REQUEST', `no ${what} "${wanted}" (\`causette workspace requests\` lists them)`)
}

function list (ctx: CommandContext, admission: AdmissionView): number {
  if (ctx.json) {
    ctx.out(JSON.stringify(admission))
    return 0
  }
  if (admission.requests.length === 0 && admission.offers.length === 0) ctx.out('no desk is waiting to join, and no admin is admitting this desk')
  if (admission.requests.length > 0) {
    for (const line of table(['WANTS TO JOIN', 'ADDRESS', 'CODE', 'PEER ID'], admission.requests.map(r => [r.name, r.address, r.code ?? '-', r.peerId]))) ctx.out(line)
  }
  for (const offer of admission.offers) ctx.out(offerLine(offer))
  return 0
}

function show (ctx: CommandContext, item: JoinRequestView | JoinOfferView): number {
  ctx.out(ctx.json ? JSON.stringify(item) : 'admin' in item ? offerLine(item) : requestLine(item))
  return 0
}

function requestLine (request: JoinRequestView): string {
  if (request.code === undefined) return `${request.name} is waiting${request.notice !== undefined ? ` (${request.notice})` : ''}`
  if (!request.confirmedByAdmin) return `code ${request.code}: compare it aloud with ${request.name}'s screen, then run \`causette workspace admit ${request.peerId} --code ${request.code}\``
  return request.confirmedByNewcomer ? `${request.name} is admitted` : `code ${request.code} confirmed: ${request.name} is admitted as soon as they confirm it too`
}

function offerLine (offer: JoinOfferView): string {
  if (offer.code === undefined) return `ask ${offer.admin} to admit you to "${offer.workspace}"${offer.notice !== undefined ? ` (${offer.notice})` : ''}`
  if (!offer.confirmed) return `${offer.admin} is admitting you to "${offer.workspace}": code ${offer.code}; if ${offer.admin}'s screen shows the same, run \`causette workspace accept ${offer.peerId} --code ${offer.code}\``
  return `code ${offer.code} confirmed: you join "${offer.workspace}" as soon as ${offer.admin} confirms it too`
}
