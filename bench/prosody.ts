// A private prosody XMPP server for the bench's baseline row: installed from Debian the way
// `npm test` installs its tools (scripts/install-tools.sh), run as an unprivileged process on
// 127.0.0.1 only, with its own config, data directory, port, self-signed certificate for
// `localhost` and two accounts made with prosodyctl, all in a temporary directory removed on stop.
// The server never outlives the bench: it is killed on stop, on exit, on a crash and on Ctrl-C.
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, chownSync, closeSync, openSync, readdirSync, rmSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { connect, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { installTools, type Unavailable } from './tools.js'

const run = promisify(execFile)

export const XMPP_DOMAIN = 'localhost'

export interface XmppAccount { username: string, password: string }

export interface ProsodyServer {
  /** `xmpp://127.0.0.1:PORT`: plain TCP that the client upgrades with STARTTLS (required). */
  service: string
  domain: string
  /** The server's self-signed certificate, which the clients trust (and nothing else). */
  certificatePem: string
  accounts: [XmppAccount, XmppAccount]
  pid: number
  directory: string
  stop: () => Promise<void>
}

export type ProsodyStart = { server: ProsodyServer } | Unavailable

/** What a failed command said (its last error line, else its last line), to give as the reason. */
function lastOutputLine (error: unknown): string {
  const { stderr, stdout, message } = error as { stderr?: string, stdout?: string, message?: string }
  for (const text of [stderr, stdout]) {
    const lines = (text ?? '').split('\n').map(line => line.trim()).filter(line => line !== '' && !/^\*+$/.test(line))
    // prosody's own messages end in a "Good luck!" under the line that says what is wrong
    const said = lines.findLast(line => /error/i.test(line)) ?? lines[lines.length - 1]
    if (said !== undefined) return said
  }
  return message ?? String(error)
}

/** Root runs prosody as its own system user (the Debian package makes it); anyone else as themselves. */
async function unprivilegedIds (): Promise<{ uid: number, gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined
  const id = async (flag: string): Promise<number> => Number((await run('id', [flag, 'prosody'])).stdout.trim())
  return { uid: await id('-u'), gid: await id('-g') }
}

async function freeLoopbackPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise(resolve => server.close(resolve))
  return port
}

function config (directory: string, port: number): string {
  return `-- Written by causette's bench: a throw-away server on loopback only.
pidfile = "${directory}/prosody.pid"
data_path = "${directory}/data"
certificates = "${directory}/certs"
interfaces = { "127.0.0.1" }
local_interfaces = { "127.0.0.1" }
c2s_ports = { ${port} }
c2s_direct_tls_ports = { }
legacy_ssl_ports = { }
network_settings = { nagle = false } -- as every other row: TCP_NODELAY on both ends
modules_enabled = { "saslauth"; "tls"; "roster"; "disco" }
modules_disabled = { "s2s"; "offline"; "c2s_csi" }
c2s_require_encryption = true
authentication = "internal_hashed"
log = { { levels = { min = "warn" }, to = "file", filename = "${directory}/prosody.log" } }
VirtualHost "${XMPP_DOMAIN}"
  ssl = { certificate = "${directory}/certs/${XMPP_DOMAIN}.crt"; key = "${directory}/certs/${XMPP_DOMAIN}.key" }
`
}

async function selfSignedCertificate (certs: string): Promise<string> {
  const certificate = join(certs, `${XMPP_DOMAIN}.crt`)
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', `/CN=${XMPP_DOMAIN}`, '-addext', `subjectAltName=DNS:${XMPP_DOMAIN}`,
    '-keyout', join(certs, `${XMPP_DOMAIN}.key`), '-out', certificate])
  return await readFile(certificate, 'utf8')
}

/** Hands the directory to the server's user: it writes its data, log and pid file there. */
function giveTo (directory: string, ids: { uid: number, gid: number } | undefined): void {
  if (ids === undefined) return
  chmodSync(directory, 0o700)
  for (const entry of readdirSync(directory, { recursive: true })) chownSync(join(directory, String(entry)), ids.uid, ids.gid)
  chownSync(directory, ids.uid, ids.gid)
}

/** The last line prosody wrote, to say why it stopped. */
async function lastWords (directory: string): Promise<string> {
  for (const file of ['prosody.log', 'console.log']) {
    const lines = (await readFile(join(directory, file), 'utf8').catch(() => '')).trim().split('\n').filter(line => line.trim() !== '')
    if (lines.length > 0) return lines[lines.length - 1]!.trim()
  }
  return 'it wrote nothing'
}

/** Resolves once the port takes connections; rejects if prosody exits first. */
async function listening (child: ChildProcess, port: number, directory: string): Promise<void> {
  let exited: string | undefined
  child.once('exit', code => { exited = `exited with ${code}` })
  child.once('error', error => { exited = `could not run: ${error.message}` })
  const deadline = Date.now() + 30_000
  while (exited === undefined) {
    const accepted = await new Promise<boolean>(resolve => {
      const socket = connect({ host: '127.0.0.1', port }, () => { socket.destroy(); resolve(true) })
      socket.once('error', () => { resolve(false) })
    })
    if (accepted) return
    if (Date.now() > deadline) throw new Error(`prosody did not listen on 127.0.0.1:${port} within 30 s`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  throw new Error(`prosody ${exited}: ${await lastWords(directory)}`)
}

/** Kills the server and removes its directory, synchronously, so it also runs on exit and on signals. */
function cleanUpNow (child: ChildProcess, directory: string): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  rmSync(directory, { recursive: true, force: true })
}

/** Until `release` is called, a crash, an exit or Ctrl-C of this process runs `cleanUp` first. */
function guardProcess (cleanUp: () => void): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    release()
    cleanUp()
    process.kill(process.pid, signal)
  }
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']
  for (const signal of signals) process.once(signal, onSignal)
  process.once('exit', cleanUp)
  const release = (): void => {
    for (const signal of signals) process.removeListener(signal, onSignal)
    process.removeListener('exit', cleanUp)
  }
  return release
}

/** The server's files: certificate, config and the two accounts, owned by the user it runs as. */
async function prepare (directory: string, ids: { uid: number, gid: number } | undefined): Promise<{ configFile: string, port: number, certificatePem: string, accounts: [XmppAccount, XmppAccount] }> {
  const certs = join(directory, 'certs')
  await mkdir(certs)
  const certificatePem = await selfSignedCertificate(certs)
  const port = await freeLoopbackPort()
  const configFile = join(directory, 'prosody.cfg.lua')
  await writeFile(configFile, config(directory, port))
  giveTo(directory, ids)
  const accounts: [XmppAccount, XmppAccount] = [{ username: 'alice', password: 'bench-alice' }, { username: 'bruno', password: 'bench-bruno' }]
  for (const { username, password } of accounts) {
    await run('prosodyctl', ['--config', configFile, 'register', username, XMPP_DOMAIN, password], { ...ids })
      .catch((error: unknown) => { throw new Error(`prosodyctl register ${username}: ${lastOutputLine(error)}`) })
  }
  return { configFile, port, certificatePem, accounts }
}

/** Runs prosody in the foreground, its console output in the directory, guarded until stopped. */
async function launch (directory: string, configFile: string, port: number, ids: { uid: number, gid: number } | undefined): Promise<{ pid: number, stop: () => Promise<void> }> {
  const output = openSync(join(directory, 'console.log'), 'w')
  const server = spawn('prosody', ['--config', configFile, '-F'], { ...ids, cwd: directory, stdio: ['ignore', output, output] })
  closeSync(output)
  const cleanUp = (): void => { cleanUpNow(server, directory) }
  const release = guardProcess(cleanUp)
  try {
    await listening(server, port, directory)
  } catch (error) {
    release()
    cleanUp()
    throw error
  }
  const stop = async (): Promise<void> => {
    const exited = server.exitCode !== null || server.signalCode !== null ? Promise.resolve() : new Promise(resolve => server.once('exit', resolve))
    server.kill('SIGTERM')
    const stubborn = setTimeout(() => { server.kill('SIGKILL') }, 10_000)
    await exited
    clearTimeout(stubborn)
    release()
    rmSync(directory, { recursive: true, force: true })
  }
  return { pid: server.pid!, stop }
}

export async function startProsody (): Promise<ProsodyStart> {
  const missing = await installTools('prosody', 'prosodyctl', 'openssl')
  if (missing !== undefined) return { unavailable: `prosody could not be installed: ${missing}` }
  const ids = await unprivilegedIds()
  const directory = await mkdtemp(join(tmpdir(), 'causette-bench-prosody-'))
  try {
    const { configFile, port, certificatePem, accounts } = await prepare(directory, ids)
    const { pid, stop } = await launch(directory, configFile, port, ids)
    return { server: { service: `xmpp://127.0.0.1:${port}`, domain: XMPP_DOMAIN, certificatePem, accounts, pid, directory, stop } }
  } catch (error) {
    rmSync(directory, { recursive: true, force: true })
    return { unavailable: `prosody did not start: ${error instanceof Error ? error.message : String(error)}` }
  }
}
