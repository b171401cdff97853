// The soak test's way to a daemon's local HTTP API: calls go through one long-lived relay process in
// the daemon's namespace (soak-relay.ts), many at once, and survive the daemon's restarts.
import { createInterface } from 'node:readline'
import type { ChildProcess } from 'node:child_process'
import { REPO_ROOT } from './lan-process.js'
import type { LanHost } from './netns.js'
import type { RelayAnswer, RelayCall } from './soak-relay.js'

export class SoakApi {
  readonly #child: ChildProcess
  readonly #pending = new Map<number, (answer: RelayAnswer) => void>()
  #nextId = 1
  #stderr = ''

  constructor (readonly host: LanHost, home: string) {
    this.#child = host.spawn(process.execPath, ['--import', 'tsx', 'test/helpers/soak-relay.ts', home], { cwd: REPO_ROOT, stdio: ['pipe', 'pipe', 'pipe'] })
    this.#child.stderr?.on('data', (chunk: Buffer) => { this.#stderr = (this.#stderr + chunk.toString()).slice(-2_000) })
    createInterface({ input: this.#child.stdout! }).on('line', line => {
      let answer: RelayAnswer
      try {
        answer = JSON.parse(line) as RelayAnswer
      } catch {
        this.#stderr += `\n[stdout] ${line}`
        return
      }
      this.#pending.get(answer.id)?.(answer)
      this.#pending.delete(answer.id)
    })
    this.#child.once('exit', code => {
      for (const [id, settle] of this.#pending) settle({ id, failure: 'broken', message: `the relay on ${host.name} exited (${String(code)}): ${this.#stderr}` })
      this.#pending.clear()
    })
  }

  /** Answers every call: with its HTTP status and body, or with a failure when no answer came. */
  async call (method: string, path: string, body?: unknown): Promise<RelayAnswer> {
    const call: RelayCall = { id: this.#nextId++, method, path, ...(body === undefined ? {} : { body }) }
    if (this.#child.exitCode !== null) return { id: call.id, failure: 'broken', message: `the relay on ${this.host.name} has exited: ${this.#stderr}` }
    return await new Promise(resolve => {
      this.#pending.set(call.id, resolve)
      this.#child.stdin!.write(JSON.stringify(call) + '\n')
    })
  }

  /** A JSON GET that must succeed. */
  async get<T> (path: string): Promise<T> {
    const answer = await this.call('GET', path)
    if (!('status' in answer) || answer.status !== 200) throw new Error(`GET ${path} on ${this.host.name}: ${JSON.stringify(answer)}`)
    return answer.body as T
  }

  /** A JSON POST that must succeed (any 2xx). */
  async post<T> (path: string, body: unknown): Promise<T> {
    const answer = await this.call('POST', path, body)
    if (!('status' in answer) || answer.status < 200 || answer.status >= 300) throw new Error(`POST ${path} on ${this.host.name}: ${JSON.stringify(answer)}`)
    return answer.body as T
  }

  close (): void {
    this.#child.stdin?.end()
  }
}
