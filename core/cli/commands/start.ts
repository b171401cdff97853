// `causette start`: runs the node and its local API in the foreground until SIGINT or SIGTERM.
import { parseCommandArgs } from '../command-args.js'
import type { NodeStatus } from '../../api/schema.js'
import { isPackaged, VERSION } from '../../runtime/build-info.js'
import { CausetteError, isCausetteError } from '../../errors.js'
import type { ApiServer } from '../../api/server.js'
import type { CausetteNode, NodeOptions } from '../../node/node.js'
import type { HeldProfile } from '../../store/database.js'
import type { StartSwap, SwapStopReason } from '../../update/swap/start-wiring.js'
import type { Command, CommandContext } from '../command.js'
import { parsePort, UsageError } from '../usage.js'
import { keepDeskCurrent } from '../keep-desk-current.js'
import { passphraseFromEnv, passphraseSource } from './passphrase.js'

const USAGE = `causette start [--name N] [--port P] [--api-port A] [--listen HOST] [--peer MULTIADDR]... [--no-mdns] [--no-desktop-notifications] [--join CODE] [--passphrase-stdin] [--json]

  --name N          display name (saved in the profile; default the saved one, else your user name)
  --port P          libp2p TCP port (default 7420; 0 picks a free one)
  --api-port A      local API and app port on 127.0.0.1 (default 7421; 0 picks a free one)
  --listen HOST     address to listen on for peers (default 0.0.0.0, every interface)
  --peer MULTIADDR  a colleague's address, for networks where multicast does not pass (repeatable)
  --no-mdns         do not discover peers by mDNS
  --no-desktop-notifications
                    never notify through the system while no app tab is open (the app still does)
  --join CODE       join a workspace with an invite code (from \`causette invite\` on an admin's node) first
  --passphrase-stdin  read the profile's passphrase (\`causette passphrase set\`) from the first line of
                    standard input; else CAUSETTE_PASSPHRASE, else it is asked on the terminal
  --json            print one JSON line { peerId, name, url, appUrl, addresses, workspace } once running`

export const startCommand: Command = {
  name: 'start',
  summary: 'Run this node and the local app in the foreground',
  usage: USAGE,
  run: async (ctx) => {
    const { values } = parseStartArgs(ctx.argv)
    const apiPort = parsePort('--api-port', values['api-port'])
    // Loaded here, not at the top: the other commands should not pay for loading libp2p.
    const [{ parseStaticPeer }, { StartSwap }] = await Promise.all([import('../../../discovery/index.js'), import('../../update/swap/start-wiring.js')])
    const swap = new StartSwap({ home: ctx.home, currentVersion: VERSION, restartArgs: restartArgs(ctx), log: line => { ctx.err(line) } })
    for (const address of values.peer ?? []) {
      try { parseStaticPeer(address) } catch (error) { throw new UsageError(`--peer: ${(error as Error).message}`) }
    }
    const joining = values.join !== undefined
    // A node that will wait locked holds the profile first, so a second start is refused before it
    // touches the trial or the runtime file; so does any start while an update trial is pending, so it
    // never settles the trial under a node that runs (one opening the profile, say). Else an open one
    // takes it once the passphrase, if any, proved right: a wrong one touches nothing.
    const locked = await nobodyToAsk(ctx.home, values)
    const held = locked || await swap.trialPending() ? await holdTheProfile(ctx.home, joining) : undefined
    // A pending update trial is settled before the profile is opened: a rollback hands over at once.
    if (await swap.settle() === 'hand-over') {
      await held?.release()
      return await swap.handOver('rolled-back')
    }
    const options = await nodeOptions(values, ctx, swap)
    const running = await startRunning(ctx, options, apiPort, swap, { locked, held, joining })
    // Stopped while locked; 'rolled-back': the unlock found that an update cannot open the profile.
    if ('stopped' in running) return running.stopped === 'rolled-back' ? await swap.handOver('rolled-back') : 0
    const { node, api, stop } = running
    node.events.subscribe(undefined, frame => { swap.activity.observe(frame) })
    await announce(ctx, await node.status(), api.url, api.token)
    await swap.confirm(api)
    // Updates swap causette.exe alone: the launcher and the Run key catch up here (Windows).
    if (process.platform === 'win32' && isPackaged()) void keepDeskCurrent({ profile: ctx.home, log: line => { ctx.err(line) } })
    const reason = await stop
    ctx.err(reason === 'update' ? 'stopping to restart on the new version…' : `stopping on ${reason}…`)
    await stopWithin(STOP_TIMEOUT_MS, ctx, api, node)
    return reason === 'update' || reason === 'rolled-back' ? await swap.handOver(reason) : 0
  }
}

interface Running { node: CausetteNode, api: ApiServer, stop: Promise<StopReason> }
type StopReason = NodeJS.Signals | SwapStopReason
interface StoppedLocked { stopped: StopReason }

/** The node and its API: locked when nobody can type the passphrase, on the profile `held` when it was taken first. */
async function startRunning (ctx: CommandContext, options: NodeOptions, apiPort: number | undefined, swap: StartSwap, how: { locked: boolean, held: HeldProfile | undefined, joining: boolean }): Promise<Running | StoppedLocked> {
  const { locked, held, joining } = how
  if (held === undefined) return await startOpen(ctx, options, apiPort, swap, joining)
  const onHeld = { ...options, held }
  return await startHeld(held, async () => locked ? await startLocked(ctx, onHeld, apiPort, swap) : await startOpen(ctx, onHeld, apiPort, swap, joining))
}

/** A start on the profile it holds: lets the profile go unless a node runs on it (the node's stop closes it then). */
async function startHeld (held: HeldProfile, start: () => Promise<Running | StoppedLocked>): Promise<Running | StoppedLocked> {
  try {
    const running = await start()
    if ('stopped' in running) await held.release()
    return running
  } catch (error) {
    await held.release()
    throw error
  }
}

/** The node first, then its API, as always when the passphrase (if any) can be asked here. */
async function startOpen (ctx: CommandContext, options: NodeOptions, apiPort: number | undefined, swap: StartSwap, joining: boolean): Promise<Running> {
  // Loaded here, not at the top: the other commands should not pay for loading libp2p.
  const [{ startNode }, { startApiServer }] = await Promise.all([import('../../node/node.js'), import('../../api/server.js')])
  const node = await startNode(options).catch((error: unknown) => { throw alreadyRunning(error, ctx.home, joining) })
  let api
  try {
    api = await startApiServer({ node, home: ctx.home, port: apiPort })
  } catch (error) {
    await node.stop()
    throw error
  }
  return { node, api, stop: stopRequested(swap) }
}

/**
 * Nobody can type the passphrase here (login, the menu entry, a double-click): the API serves the app
 * locked until the passphrase is typed there (core/node/locked-start.ts). An update on trial passes its
 * run stage once the locked API answers, and the first unlock ends it (start-wiring.ts).
 */
async function startLocked (ctx: CommandContext, options: NodeOptions, apiPort: number | undefined, swap: StartSwap): Promise<Running | StoppedLocked> {
  const [{ startWhenUnlocked }, { startApiServer }] = await Promise.all([import('../../node/locked-start.js'), import('../../api/server.js')])
  const waiting = await startWhenUnlocked(options, line => { ctx.err(line) }, swap)
  const api = await startApiServer({ locked: waiting.locked, home: ctx.home, port: apiPort })
  const stop = stopRequested(swap)
  announceLocked(ctx, api.url, api.token)
  await swap.confirmRunning(api)
  const first = await Promise.race([waiting.started, stop])
  if (typeof first !== 'string') return { node: first, api, stop }
  ctx.err(first === 'rolled-back' ? 'stopping to restart on the previous version…' : `stopping on ${first} while locked…`)
  // The unlock that rolled back gets its answer (why) before the API closes.
  await api.close(first === 'rolled-back' ? ANSWER_GRACE_MS : 0)
  await waiting.abandon()
  return { stopped: first }
}

function stopRequested (swap: StartSwap): Promise<StopReason> {
  return Promise.race([nextStopSignal(), swap.stopReason()])
}

/**
 * The profile's master key is wrapped and nobody is here to type the passphrase: no CAUSETTE_PASSPHRASE,
 * no --passphrase-stdin, no terminal. (A wrong passphrase given by either is refused as before.)
 */
async function nobodyToAsk (home: string, values: StartValues): Promise<boolean> {
  if (passphraseFromEnv() !== undefined || values['passphrase-stdin'] === true || process.stdin.isTTY === true) return false
  const { readMasterKeyState } = await import('../../profile/master-key.js')
  return (await readMasterKeyState(home)).kind === 'wrapped'
}

/** Takes the profile's lock (core/store/database.ts), which the node then opens on. */
async function holdTheProfile (home: string, joining: boolean): Promise<HeldProfile> {
  const { holdProfile } = await import('../../store/database.js')
  return await holdProfile(home).catch((error: unknown) => { throw alreadyRunning(error, home, joining) })
}

/** A node runs on this profile already, open or locked (a double-click started it): what to do instead. */
function alreadyRunning (error: unknown, home: string, joining: boolean): unknown {
  if (!isCausetteError(error, 'PROFILE_LOCKED')) return error
  const instead = joining ? 'to join while it runs: causette workspace join <code>' : 'to open its app: causette (with no command)'
  return new CausetteError('PROFILE_LOCKED', `causette is running already on ${home}; ${instead}; to stop it: causette stop`, { cause: error })
}

type StartValues = ReturnType<typeof parseStartArgs>['values']

function parseStartArgs (argv: string[]) {
  return parseCommandArgs({
    args: argv,
    options: {
      name: { type: 'string' },
      port: { type: 'string' },
      'api-port': { type: 'string' },
      listen: { type: 'string' },
      peer: { type: 'string', multiple: true },
      'no-mdns': { type: 'boolean' },
      'no-desktop-notifications': { type: 'boolean' },
      join: { type: 'string' },
      'passphrase-stdin': { type: 'boolean' }
    },
    strict: true
  })
}

/** The node's options from the command line: `--join`'s inviter is dialled as a peer too. */
async function nodeOptions (values: StartValues, ctx: CommandContext, swap: StartSwap): Promise<NodeOptions> {
  return {
    home: ctx.home,
    name: values.name,
    port: parsePort('--port', values.port),
    listenHost: values.listen,
    mdns: values['no-mdns'] !== true,
    peers: [...values.peer ?? [], ...values.join === undefined ? [] : await inviterAddresses(values.join)],
    ...(values.join === undefined ? {} : { join: values.join }),
    passphrase: passphraseSource(values['passphrase-stdin'] === true, ctx.home),
    warn: line => { ctx.err(`warning: ${line}`) },
    ...(values['no-desktop-notifications'] === true ? { desktopNotifier: async () => {} } : {}),
    ...(swap.installer === undefined ? {} : { update: { installer: swap.installer } })
  }
}

/**
 * Stops the API, then the node. Everything acknowledged is on disk already: a stop that hangs (a peer
 * that never lets go of a stream) must not keep the process, and the profile's lock, for ever.
 */
async function stopWithin (timeoutMs: number, ctx: CommandContext, api: { close: () => Promise<void> }, node: { stop: () => Promise<void> }): Promise<void> {
  const giveUp = setTimeout(() => {
    ctx.err(`could not stop cleanly within ${timeoutMs / 1000} s: exiting`)
    process.exit(1)
  }, timeoutMs)
  giveUp.unref()
  await api.close()
  await node.stop()
  clearTimeout(giveUp)
}

/**
 * What a restarted node runs with: this start's options on the same profile, without --join (the
 * workspace is joined already) and without --passphrase-stdin (nobody gives it again: a profile with
 * a passphrase restarts locked, unless CAUSETTE_PASSPHRASE gives it, and waits for it in the app).
 */
function restartArgs (ctx: CommandContext): string[] {
  const kept: string[] = []
  for (let index = 0; index < ctx.argv.length; index++) {
    const arg = ctx.argv[index] as string
    if (arg === '--join') index++
    else if (!arg.startsWith('--join=') && arg !== '--passphrase-stdin') kept.push(arg)
  }
  return ['start', ...kept, '--home', ctx.home, ...ctx.json ? ['--json'] : []]
}

/**
 * The inviting node's address from an invite code (or its link), as a static peer: the code is
 * checked before anything starts (a mistyped one is a usage error), and the member is found again on
 * networks where mDNS does not pass. The code names no PeerId: Noise tells who answers.
 */
async function inviterAddresses (code: string): Promise<string[]> {
  const { decodeInviteCode } = await import('../../workspace/invite-code.js')
  try {
    return [decodeInviteCode(code).address.toString()]
  } catch (error) {
    throw new UsageError(`--join: ${(error as Error).message}`)
  }
}

function announceLocked (ctx: CommandContext, url: string, token: string): void {
  const appUrl = appLink(url, token)
  if (ctx.json) {
    ctx.out(JSON.stringify({ locked: true, profile: ctx.home, url, appUrl }))
    return
  }
  ctx.out(`causette is locked: ${ctx.home} is protected by a passphrase, and there is no terminal to ask it on.`)
  ctx.out(`type it in the app: ${appUrl}`)
}

/** The token rides in the fragment, which the browser never sends to any server: the app reads it once, keeps it, and removes it from the address bar. */
function appLink (url: string, token: string): string {
  return `${url}/#token=${token}`
}

async function announce (ctx: CommandContext, status: NodeStatus, url: string, token: string): Promise<void> {
  const { peerId, name, addresses, workspace } = status
  const appUrl = appLink(url, token)
  if (ctx.json) {
    ctx.out(JSON.stringify({ peerId, name, url, appUrl, addresses, workspace }))
    return
  }
  ctx.out(`causette is running as ${name} (${peerId})`)
  ctx.out(`open the app: ${appUrl}`)
  ctx.out(workspace === null ? 'in no workspace yet: `causette workspace create <name>`, or `causette workspace join <code>`' : `workspace: ${workspace.name} (role: ${workspace.role})`)
  ctx.out('listening for colleagues on:')
  for (const address of addresses) ctx.out(`  ${address}`)
  // A node started in the background (a double-click, start at login) writes this to its log file, where Ctrl+C means nothing.
  ctx.out(process.stdin.isTTY === true ? 'press Ctrl+C to stop' : 'to stop it: causette stop')
}

const STOP_TIMEOUT_MS = 15_000
/** How long a locked API that rolled back an update lets the unlock's answer go out before it closes. */
const ANSWER_GRACE_MS = 1000

/** Resolves with the name of the first SIGINT or SIGTERM; a second one kills as usual. */
function nextStopSignal (): Promise<NodeJS.Signals> {
  return new Promise(resolve => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve(signal)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
