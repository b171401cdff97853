// A LAN of N hosts made of Linux network namespaces, for tests where discovery must be real mDNS
// on a real link. Layout: one namespace holds a bridge; each host is a namespace whose `eth0` is a
// veth pair plugged into that bridge, with an address in 10.231.<random>.0/24 and a route for
// multicast. Nothing is created in the root namespace, so runs cannot collide and nothing leaks
// onto this machine's real network. Requires root and iproute2.
import { execFile, spawn as spawnProcess } from 'node:child_process'
import { randomBytes, randomInt } from 'node:crypto'
import { promisify } from 'node:util'
import type { ChildProcess, ExecFileOptions, SpawnOptions } from 'node:child_process'

const run = promisify(execFile)

/** Every namespace of ours is named `causette-<pid of the creating process>-...`. */
const PREFIX = 'causette-'

/** The third octets of this process's LANs: two LANs of one process never share a subnet. */
const subnetsInUse = new Set<number>()

function freeSubnetOctet (): number {
  if (subnetsInUse.size >= 256) throw new Error('256 LANs at once: no subnet left in 10.231.0.0/16')
  let octet = randomInt(0, 256)
  while (subnetsInUse.has(octet)) octet = randomInt(0, 256)
  return octet
}

export interface LanHost {
  /** `h1`, `h2`, ... */
  readonly name: string
  readonly namespace: string
  readonly address: string
  /** Runs a command inside this host's namespace and resolves with its output (rejects on failure). */
  exec: (command: string, args?: string[], options?: ExecFileOptions) => Promise<{ stdout: string, stderr: string }>
  /** Starts a long-running process inside this host's namespace; it is killed at teardown. */
  spawn: (command: string, args?: string[], options?: SpawnOptions) => ChildProcess
  /** Unplugs (false) or replugs (true) this host's cable at the bridge. */
  setLink: (up: boolean) => Promise<void>
}

export interface Lan {
  readonly subnet: string
  readonly hosts: LanHost[]
  /**
   * Plugs a host of another LAN into this one too, as its interface `device` (`eth1`: a desk with a
   * second card, wired and Wi-Fi), and resolves with its address here. Nothing routes between the LANs.
   */
  plugIn: (host: LanHost, device: string) => Promise<string>
  destroy: () => Promise<void>
}

export interface LanOptions {
  hosts: number
  /** Give each host a 224.0.0.0/4 route (the default); without it mDNS cannot send. */
  multicastRoute?: boolean
}

/** What registers teardown: a test context (`t`), node:test's module-level `{ after }`, or a bench's own. */
export interface Teardown {
  after: (fn: () => Promise<void>) => void
}

async function ip (...args: string[]): Promise<string> {
  return (await run('ip', args)).stdout
}

/** Undefined when this process can build a LAN, else what is missing, in words. */
export async function lanUnavailableReason (): Promise<string | undefined> {
  if (process.platform !== 'linux') return 'Linux network namespaces (this is ' + process.platform + ')'
  if (process.getuid?.() !== 0) return 'root (to create network namespaces)'
  try {
    await ip('-V')
  } catch {
    return 'iproute2 (the `ip` command): apt-get install -y iproute2'
  }
  const probe = `${PREFIX}${process.pid}-probe-${randomBytes(2).toString('hex')}`
  try {
    await ip('netns', 'add', probe)
    await ip('netns', 'del', probe)
  } catch (err) {
    return `permission to create network namespaces (${(err as Error).message.trim()})`
  }
  return undefined
}

export async function createLan (teardown: Teardown, options: LanOptions): Promise<Lan> {
  await removeStaleNamespaces()
  const runId = `${PREFIX}${process.pid}-${randomBytes(3).toString('hex')}`
  const octet = freeSubnetOctet()
  subnetsInUse.add(octet)
  const subnet = `10.231.${octet}`
  const bridge = `${runId}-br`
  const namespaces = [bridge]
  const children = new Set<ChildProcess>()
  const destroy = async (): Promise<void> => {
    await destroyNamespaces(namespaces, children)
    subnetsInUse.delete(octet)
  }
  teardown.after(destroy)

  await ip('netns', 'add', bridge)
  await ip('-n', bridge, 'link', 'set', 'lo', 'up')
  await ip('-n', bridge, 'link', 'add', 'br0', 'type', 'bridge')
  await ip('-n', bridge, 'link', 'set', 'br0', 'up')

  const hosts: LanHost[] = []
  for (let index = 1; index <= options.hosts; index++) {
    const name = `h${index}`
    const namespace = `${runId}-${name}`
    const address = `${subnet}.${10 + index}`
    namespaces.push(namespace)
    await ip('netns', 'add', namespace)
    await ip('-n', bridge, 'link', 'add', name, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', namespace)
    await ip('-n', bridge, 'link', 'set', name, 'master', 'br0', 'up')
    await ip('-n', namespace, 'link', 'set', 'lo', 'up')
    await ip('-n', namespace, 'addr', 'add', `${address}/24`, 'dev', 'eth0')
    await ip('-n', namespace, 'link', 'set', 'eth0', 'up')
    if (options.multicastRoute !== false) await ip('-n', namespace, 'route', 'add', '224.0.0.0/4', 'dev', 'eth0')
    hosts.push({
      name,
      namespace,
      address,
      exec: async (command, args = [], execOptions = {}) => {
        const { stdout, stderr } = await run('ip', ['netns', 'exec', namespace, command, ...args], { ...execOptions, encoding: 'utf8' })
        return { stdout, stderr }
      },
      spawn: (command, args = [], spawnOptions = {}) => {
        const child = spawnProcess('ip', ['netns', 'exec', namespace, command, ...args], spawnOptions)
        children.add(child)
        child.once('exit', () => children.delete(child))
        return child
      },
      setLink: async (up) => { await ip('-n', bridge, 'link', 'set', name, up ? 'up' : 'down') }
    })
  }
  let plugged = options.hosts
  const plugIn = async (host: LanHost, device: string): Promise<string> => {
    plugged++
    const port = `h${plugged}`
    const address = `${subnet}.${10 + plugged}`
    await ip('-n', bridge, 'link', 'add', port, 'type', 'veth', 'peer', 'name', device, 'netns', host.namespace)
    await ip('-n', bridge, 'link', 'set', port, 'master', 'br0', 'up')
    await ip('-n', host.namespace, 'addr', 'add', `${address}/24`, 'dev', device)
    await ip('-n', host.namespace, 'link', 'set', device, 'up')
    return address
  }
  return { subnet: `${subnet}.0/24`, hosts, plugIn, destroy }
}

// Processes first (a namespace outlives its deletion while a process is inside it), then the
// namespaces; deleting a namespace also deletes the veth ends inside it. Safe to call twice.
async function destroyNamespaces (namespaces: string[], children: Set<ChildProcess>): Promise<void> {
  await Promise.all([...children].map(stopChild))
  const existing = new Set(await listNamespaces())
  for (const namespace of namespaces.filter(name => existing.has(name))) {
    await killProcessesIn(namespace)
    await ip('netns', 'del', namespace).catch(() => {})
  }
}

async function stopChild (child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise(resolve => child.once('exit', resolve))
  child.kill('SIGTERM')
  const killTimer = setTimeout(() => child.kill('SIGKILL'), 3_000)
  await exited
  clearTimeout(killTimer)
}

async function killProcessesIn (namespace: string): Promise<void> {
  const pids = (await ip('netns', 'pids', namespace).catch(() => '')).split('\n').filter(Boolean)
  for (const pid of pids) {
    try { process.kill(Number(pid), 'SIGKILL') } catch { /* already gone */ }
  }
}

async function listNamespaces (): Promise<string[]> {
  // `ip netns list` prints `name` or `name (id: N)`.
  return (await ip('netns', 'list')).split('\n').map(line => line.split(' ')[0]).filter(Boolean)
}

/** Namespaces left by a test process that crashed or was killed before its teardown ran. */
export async function removeStaleNamespaces (): Promise<void> {
  const stale = (await listNamespaces()).filter(name => {
    const pid = /^causette-(\d+)-/.exec(name)?.[1]
    return pid != null && !isAlive(Number(pid))
  })
  for (const namespace of stale) {
    await killProcessesIn(namespace)
    await ip('netns', 'del', namespace).catch(() => {})
  }
}

function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
