// Capped exponential backoff shared by the dialling services: retry soon after a first failure,
// then less and less often, never slower than `maxMs`. A little jitter keeps a room full of PCs
// that booted together from retrying in lockstep.
export interface BackoffInit {
  firstMs: number
  maxMs: number
}

export function backoffDelayMs (failures: number, { firstMs, maxMs }: BackoffInit): number {
  const exponential = Math.min(maxMs, firstMs * 2 ** Math.max(0, failures - 1))
  const jitter = 0.8 + Math.random() * 0.4
  return Math.round(Math.min(maxMs, exponential * jitter))
}
