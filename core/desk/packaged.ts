// Whether this process is the packaged single-file executable (a Node SEA) or Node running a checkout.
import { isSea } from 'node:sea'

export function isPackaged (): boolean {
  return isSea()
}
