// The security headers of every response of the local API, refusals and the browser app included.
// They are the same for every response, so they are written once per response on Node's own
// ServerResponse, before hono sees the request. hono's secureHeaders middleware set the same headers
// on each Response through the WHATWG Headers class, validating them again every time: a quarter of
// the API layer's CPU per request (bench/api-layer.ts: about 111 µs a request with it, 90 with these).
import type { IncomingMessage, ServerResponse } from 'node:http'

type Listener = (request: IncomingMessage, response: ServerResponse) => void

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  // The log verifier's libsodium is WebAssembly (ui/src/verifier/sodium-primitives.ts): wasm-unsafe-eval.
  "script-src 'self' 'wasm-unsafe-eval'",
  // blob: draws a received image the app fetched with its token (ui/src/files/received-files.ts).
  "img-src 'self' data: blob:",
  // Nothing received is ever framed or embedded (docs/SECURITY.md, issue 16).
  "frame-src 'none'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'"
].join('; ')

/** Helmet's set as hono's secureHeaders writes it by default, framing denied outright. */
const SECURITY_HEADERS: ReadonlyArray<[name: string, value: string]> = Object.entries({
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=15552000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'DENY',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0'
})

/**
 * The listener with the security headers set before it runs. A header the response writes itself
 * wins (Node gives `writeHead`'s headers precedence): a received file's stricter, sandboxing CSP
 * (download-headers.ts) stays.
 */
export function withSecurityHeaders (listener: Listener): Listener {
  return (request, response) => {
    for (const [name, value] of SECURITY_HEADERS) response.setHeader(name, value)
    listener(request, response)
  }
}
