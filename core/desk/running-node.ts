// "Is this profile's node already running?": its api.json names a URL and a token, and the API
// answers there with that token. A stale api.json (a crashed node) or another program on the port is no.
import { readApiFile } from '../api/api-file.js'

/** The app's link with its token (as `causette start` prints it) when the node answers, else undefined. */
export async function runningAppUrl (profile: string): Promise<string | undefined> {
  const file = await readApiFile(profile).catch(() => undefined)
  if (file === undefined) return undefined
  try {
    const response = await fetch(`${file.url}/api/v1/status`, {
      headers: { authorization: `Bearer ${file.token}` },
      signal: AbortSignal.timeout(5_000)
    })
    await response.body?.cancel()
    return response.ok ? appUrl(file.url, file.token) : undefined
  } catch {
    return undefined
  }
}

/** The token rides in the fragment, which the browser never sends to any server. */
export function appUrl (url: string, token: string): string {
  return `${url}/#token=${token}`
}
