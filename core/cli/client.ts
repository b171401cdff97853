// The CLI's way to the running daemon: api.json in the profile gives the URL and the token.
import { readApiFile } from '../api/api-file.js'
import { CausetteError, ERROR_CODES, type ErrorCode } from '../errors.js'

export interface ApiClient {
  url: string
  token: string
  /** fetch() relative to the daemon, with the token (and a JSON content type for bodies). */
  fetch: (path: string, init?: RequestInit) => Promise<Response>
  /** Calls a JSON route; an error answer is thrown as the CausetteError it describes. */
  json: <T>(method: string, path: string, body?: unknown) => Promise<T>
}

export async function apiClient (home: string): Promise<ApiClient> {
  const notRunning = (): CausetteError => new CausetteError('NOT_RUNNING',
    `no causette daemon is running for profile ${home}; start it with \`causette start\``)
  const file = await readApiFile(home)
  if (file === undefined || !isAlive(file.pid)) throw notRunning()
  const { url, token } = file

  const fetchApi = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers)
    headers.set('authorization', `Bearer ${token}`)
    if (init.body !== undefined && !headers.has('content-type')) headers.set('content-type', 'application/json')
    try {
      return await fetch(`${url}${path}`, { ...init, headers })
    } catch (error) {
      // api.json outlived its daemon, or the daemon is stopping.
      if (connectionRefused(error)) throw notRunning()
      throw error
    }
  }

  const json = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetchApi(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) })
    if (!response.ok) throw await errorFrom(response)
    return (response.status === 204 ? undefined : await response.json()) as T
  }

  return { url, token, fetch: fetchApi, json }
}

/** The error an API answer describes: a CausetteError when its code is ours. */
export async function errorFrom (response: Response): Promise<Error> {
  const body = await response.json().catch(() => undefined) as { error?: { code?: string, message?: string } } | undefined
  const code = body?.error?.code
  const message = body?.error?.message ?? `the daemon answered HTTP ${response.status}`
  return code !== undefined && (ERROR_CODES as readonly string[]).includes(code)
    ? new CausetteError(code as ErrorCode, message)
    : new Error(message)
}

function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function connectionRefused (error: unknown): boolean {
  return (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED'
}
