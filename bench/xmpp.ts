// The XMPP baseline: prosody (bench/prosody.ts) between two accounts over STARTTLS, with the
// @xmpp/client library. Alice (in the bench's process) sends Bruno (a client in another process,
// bench/peer-process.ts) a 100-byte chat message asking for a delivery receipt (XEP-0184); Bruno's
// client answers with the receipt as soon as it has read the message. The round trip is Alice's
// send until that receipt is back: Alice → prosody → Bruno → prosody → Alice, the same event as
// causette's "the sender sees delivered" (there the receiver's node also stores the message
// durably before it answers; prosody keeps nothing on disk for an online recipient).
import type { Socket } from 'node:net'
import { getCACertificates, setDefaultCACertificates } from 'node:tls'
import { client, xml, type Client } from '@xmpp/client'
import { measure, type BenchSizes, type TransportFigures } from './baselines.js'
import { startPeer, type Peer } from './peer.js'
import { startProsody, type ProsodyServer, type XmppAccount } from './prosody.js'

const RECEIPTS = 'urn:xmpp:receipts'
const RESOURCE = 'bench'
const TEXT = 'x'.repeat(100)

/** What the far end's process needs to sign in as Bruno. */
export interface XmppPeerOptions { service: string, domain: string, certificatePem: string, account: XmppAccount }

type Stanza = ReturnType<typeof xml>

/** Trusts the server's self-signed certificate, beside the system's, for TLS clients in this process. */
export function trustCertificate (pem: string): () => void {
  const before = getCACertificates('default')
  setDefaultCACertificates([...before, pem])
  return () => { setDefaultCACertificates(before) }
}

/** Signs in over STARTTLS (the server requires it) and sends initial presence. */
export async function signIn (options: Omit<XmppPeerOptions, 'certificatePem'>): Promise<Client> {
  // The library's 2 s for each step of signing in is too short for a busy machine; this only decides
  // when a step that never ends is reported.
  const xmpp = client({ service: options.service, domain: options.domain, resource: RESOURCE, timeout: 30_000, ...options.account })
  // One connection per run: a reconnect would hide a failure, and its timer would keep the process alive.
  xmpp.reconnect.stop()
  xmpp.on('error', error => { process.stderr.write(`xmpp client ${options.account.username}: ${error.message}\n`) })
  // As every other row: no Nagle delay. The plain socket is set before STARTTLS wraps it.
  xmpp.on('connect', () => { (xmpp.socket as Socket | null)?.setNoDelay(true) })
  try {
    await xmpp.start()
    await xmpp.send(xml('presence'))
    return xmpp
  } catch (error) {
    await xmpp.stop().catch(() => {})
    throw error
  }
}

export function fullJid (server: Pick<ProsodyServer, 'domain'>, account: XmppAccount): string {
  return `${account.username}@${server.domain}/${RESOURCE}`
}

/** Bruno's side: every message that asks for a receipt gets one back. */
export function answerWithReceipts (xmpp: Client): void {
  xmpp.on('stanza', (stanza: Stanza) => {
    const id = stanza.attrs.id as string | undefined
    if (!stanza.is('message') || stanza.getChild('request', RECEIPTS) === undefined || id === undefined) return
    void xmpp.send(xml('message', { to: stanza.attrs.from, id: `receipt-${id}` }, xml('received', { xmlns: RECEIPTS, id })))
  })
}

/** Alice's side: the ids of the receipts that came back, a wait for the next `count` of them, and
 *  `fail` to end that wait with an error (a send that failed: its receipt will never come). */
export function receipts (xmpp: Client): { received: string[], next: (count: number) => Promise<void>, fail: (error: Error) => void } {
  const received: string[] = []
  let counted = 0
  let failure: Error | undefined
  let waiter: { until: number, resolve: () => void, reject: (error: Error) => void } | undefined
  const fail = (error: Error): void => { failure ??= error; waiter?.reject(failure) }
  xmpp.on('stanza', (stanza: Stanza) => {
    if (!stanza.is('message')) return
    if (stanza.attrs.type === 'error') { fail(new Error(`prosody bounced a message: ${stanza.toString()}`)); return }
    const receipt = stanza.getChild('received', RECEIPTS)
    if (receipt === undefined) return
    received.push(receipt.attrs.id as string)
    if (waiter !== undefined && received.length >= waiter.until) { const { resolve } = waiter; waiter = undefined; resolve() }
  })
  return {
    received,
    fail,
    next: async (count) => {
      counted += count
      const until = counted
      if (failure !== undefined) throw failure
      if (received.length >= until) return
      await new Promise<void>((resolve, reject) => { waiter = { until, resolve, reject } })
    }
  }
}

/** A 100-byte chat message asking for a receipt. */
export function chatMessage (to: string, id: string): Stanza {
  return xml('message', { to, id, type: 'chat' }, xml('body', {}, TEXT), xml('request', { xmlns: RECEIPTS }))
}

/** prosody started, Alice signed in here and Bruno answering in another process; `use` runs with them. */
export async function withXmppPair<T> (use: (pair: { alice: Client, bruno: string, server: ProsodyServer }) => Promise<T>): Promise<T | { unavailable: string }> {
  const started = await startProsody()
  if ('unavailable' in started) return started
  const { server } = started
  const restoreTrust = trustCertificate(server.certificatePem)
  let bruno: Peer<{ jid: string }> | undefined
  let alice: Client | undefined
  try {
    const [aliceAccount, brunoAccount] = server.accounts
    bruno = await startPeer<{ jid: string }>('xmpp', { service: server.service, domain: server.domain, certificatePem: server.certificatePem, account: brunoAccount } satisfies XmppPeerOptions)
    alice = await signIn({ ...server, account: aliceAccount })
    return await use({ alice, bruno: bruno.ready.jid, server })
  } finally {
    await alice?.stop().catch(() => {}) // already failed or closed: the server goes anyway
    await bruno?.stop()
    await server.stop()
    restoreTrust()
  }
}

/** Round trips one at a time, then `throughputMessages` sent back to back until the last receipt.
 *  A send hands the message to the socket and does not wait for it to be written: an app sending a
 *  burst would not, and our own row keeps 16 sends in flight (bench/messaging.ts). */
export async function benchProsody (sizes: BenchSizes): Promise<TransportFigures | { unavailable: string }> {
  try {
    return await withXmppPair(async ({ alice, bruno }) => {
      const back = receipts(alice)
      let sent = 0
      const send = (): void => { alice.send(chatMessage(bruno, `m${sent++}`)).catch(back.fail) }
      send()
      await back.next(1) // Bruno answers: both signed in and routed
      return await measure({ send, receive: back.next }, sizes)
    })
  } catch (error) {
    return { unavailable: `the XMPP pair failed: ${error instanceof Error ? error.message : String(error)}` }
  }
}
