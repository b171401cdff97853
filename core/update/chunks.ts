// A release file travels in fixed-size chunks. The manifest signs the Merkle root (RFC 9162,
// crypto/merkle.ts) of the chunks' leaf hashes, and each chunk comes with its inclusion proof, so a
// chunk is checked the moment it arrives and a colleague serving garbage is caught at its first bad
// chunk, not after the whole download. Memory stays flat: one chunk and O(log n) hashes at a time
// while digesting; the server keeps one leaf hash per chunk (32 bytes per 256 KiB).
import { createHash, type Hash } from 'node:crypto'
import { open } from 'node:fs/promises'
import { fromHex, toHex } from '../../crypto/encoding.js'
import { hashChildren, hashLeaf, inclusionProofRanges, MerkleAccumulator, splitPoint, verifyInclusion } from '../../crypto/merkle.js'
import { sha256 } from '../../crypto/sha256.js'
import { UPDATE_CHUNK_BYTES } from '../protocol/limits.js'
import type { ReleaseFile } from './manifest.js'

/** UPDATE_CHUNK_BYTES (core/protocol/limits.ts): the protocol bounds its frames by it. */
export const CHUNK_BYTES = UPDATE_CHUNK_BYTES

export function chunkCount (size: number): number {
  return Math.ceil(size / CHUNK_BYTES)
}

export function chunkLength (size: number, index: number): number {
  return Math.min(CHUNK_BYTES, size - index * CHUNK_BYTES)
}

export interface FileDigest { size: number, sha256: string, chunkRoot: string }

/** Digests a file as it streams by, in pieces of any size: its SHA-256 and its chunk root. */
export class StreamingDigest {
  readonly #whole: Hash = createHash('sha256')
  readonly #tree = new MerkleAccumulator(sha256)
  readonly #chunk: Buffer = Buffer.alloc(CHUNK_BYTES)
  #filled = 0
  #size = 0

  update (piece: Uint8Array): void {
    this.#whole.update(piece)
    this.#size += piece.byteLength
    let at = 0
    while (at < piece.byteLength) {
      const take = Math.min(CHUNK_BYTES - this.#filled, piece.byteLength - at)
      this.#chunk.set(piece.subarray(at, at + take), this.#filled)
      this.#filled += take
      at += take
      if (this.#filled === CHUNK_BYTES) this.#pushChunk()
    }
  }

  digest (): FileDigest {
    if (this.#filled > 0) this.#pushChunk()
    return { size: this.#size, sha256: this.#whole.digest('hex'), chunkRoot: toHex(this.#tree.root()) }
  }

  #pushChunk (): void {
    this.#tree.push(hashLeaf(sha256, this.#chunk.subarray(0, this.#filled)))
    this.#filled = 0
  }
}

/** Reads a file once: its digest and the leaf hash of every chunk (what a server needs for proofs). */
export async function digestFile (path: string): Promise<FileDigest & { leaves: Uint8Array[] }> {
  const digest = new StreamingDigest()
  const leaves: Uint8Array[] = []
  const handle = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES)
    while (true) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null)
      if (bytesRead === 0) break
      const chunk = buffer.subarray(0, bytesRead)
      digest.update(chunk)
      leaves.push(hashLeaf(sha256, chunk))
    }
  } finally {
    await handle.close()
  }
  return { ...digest.digest(), leaves }
}

/** The Merkle tree hash of leaves [start, end) (RFC 9162 MTH). */
function treeHash (leaves: Uint8Array[], start: number, end: number): Uint8Array {
  if (end - start === 1) return leaves[start]!
  const k = splitPoint(end - start)
  return hashChildren(sha256, treeHash(leaves, start, start + k), treeHash(leaves, start + k, end))
}

export function inclusionProof (leaves: Uint8Array[], index: number): Uint8Array[] {
  return inclusionProofRanges(index, leaves.length).map(([start, end]) => treeHash(leaves, start, end))
}

/** True when `data` is chunk `index` of `file`: its exact length, and its proof leads to the signed root. */
export function chunkProven (file: ReleaseFile, index: number, data: Uint8Array, proof: Uint8Array[]): boolean {
  const count = chunkCount(file.size)
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) return false
  if (data.byteLength !== chunkLength(file.size, index)) return false
  return verifyInclusion(sha256, index, count, hashLeaf(sha256, data), proof, fromHex(file.chunkRoot))
}
