// RFC 9162 hashing and proofs against the transparency-dev/merkle vectors (test/fixtures/journal).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { consistencyProofRanges, foldRight, hashLeaf, inclusionProofRanges, MerkleAccumulator, perfectSubtrees, verifyConsistency, verifyInclusion } from '../../crypto/merkle.js'
import { fromBase64, fromHex, toHex } from '../../crypto/encoding.js'
import { sha256 } from '../../crypto/sha256.js'

interface InclusionVector { source: string, leafIdx: number, treeSize: number, root: string, leafHash: string, proof: string[] | null, wantErr: boolean }
interface ConsistencyVector { source: string, size1: number, size2: number, root1: string, root2: string, proof: string[] | null, wantErr: boolean }
const vectors = JSON.parse(readFileSync(new URL('../fixtures/journal/transparency-dev-vectors.json', import.meta.url), 'utf8')) as {
  reference: { leafInputs: string[], rootHashes: string[], inclusionProofs: Array<{ leafIndex: number, treeSize: number, proof: string[] }>, consistencyProofs: Array<{ size1: number, size2: number, proof: string[] }> }
  inclusion: InclusionVector[]
  consistency: ConsistencyVector[]
}
const ref = vectors.reference
const leafHashes = ref.leafInputs.map(hex => hashLeaf(sha256, fromHex(hex)))
const roots = ref.rootHashes.map(fromHex)

/** The reference MTH of leaves [start, end), straight from RFC 9162's recursive definition. */
function mth (start: number, end: number): Uint8Array {
  return foldRight(sha256, perfectSubtrees(start, end).map(([s, e]) => e - s === 1 ? leafHashes[s]! : mthSplit(s, e)))
}
function mthSplit (start: number, end: number): Uint8Array {
  const half = (end - start) / 2
  return foldRight(sha256, [mth(start, start + half), mth(start + half, end)])
}

describe('RFC 9162 tree heads', () => {
  it('the accumulator gives every reference root for sizes 0..8', () => {
    const acc = new MerkleAccumulator(sha256)
    assert.equal(toHex(acc.root()), ref.rootHashes[0])
    leafHashes.forEach((h, i) => { acc.push(h); assert.equal(toHex(acc.root()), ref.rootHashes[i + 1], `size ${i + 1}`) })
  })
})

describe('inclusion proofs', () => {
  for (const v of vectors.inclusion) {
    it(`${v.source} (${v.wantErr ? 'rejected' : 'accepted'})`, () => {
      const ok = verifyInclusion(sha256, v.leafIdx, v.treeSize, fromBase64(v.leafHash), (v.proof ?? []).map(fromBase64), fromBase64(v.root))
      assert.equal(ok, !v.wantErr)
    })
  }
  for (const p of ref.inclusionProofs) {
    it(`we build the reference proof for leaf ${p.leafIndex} of ${p.treeSize}`, () => {
      const proof = inclusionProofRanges(p.leafIndex, p.treeSize).map(([s, e]) => mth(s, e))
      assert.deepEqual(proof.map(toHex), p.proof)
      assert.ok(verifyInclusion(sha256, p.leafIndex, p.treeSize, leafHashes[p.leafIndex]!, proof, roots[p.treeSize]!))
    })
  }
  it('every proof we build for trees up to 8 verifies, and fails for a neighbour leaf', () => {
    for (let n = 1; n <= 8; n++) {
      for (let i = 0; i < n; i++) {
        const proof = inclusionProofRanges(i, n).map(([s, e]) => mth(s, e))
        assert.ok(verifyInclusion(sha256, i, n, leafHashes[i]!, proof, roots[n]!), `${i} in ${n}`)
        if (n > 1) assert.ok(!verifyInclusion(sha256, (i + 1) % n, n, leafHashes[i]!, proof, roots[n]!))
      }
    }
  })
  it('refuses out-of-range indexes and malformed hashes', () => {
    assert.ok(!verifyInclusion(sha256, 0, 0, leafHashes[0]!, [], roots[0]!))
    assert.ok(!verifyInclusion(sha256, 1, 1, leafHashes[0]!, [], roots[1]!))
    assert.ok(!verifyInclusion(sha256, -1, 1, leafHashes[0]!, [], roots[1]!))
    assert.ok(!verifyInclusion(sha256, 0, 2, leafHashes[0]!, [new Uint8Array(0)], roots[2]!))
  })
})

describe('consistency proofs', () => {
  for (const v of vectors.consistency) {
    it(`${v.source} (${v.wantErr ? 'rejected' : 'accepted'})`, () => {
      const ok = verifyConsistency(sha256, v.size1, v.size2, (v.proof ?? []).map(fromBase64), fromBase64(v.root1), fromBase64(v.root2))
      assert.equal(ok, !v.wantErr)
    })
  }
  for (const p of ref.consistencyProofs) {
    it(`we build the reference proof from ${p.size1} to ${p.size2}`, () => {
      const proof = consistencyProofRanges(p.size1, p.size2).map(([s, e]) => mth(s, e))
      assert.deepEqual(proof.map(toHex), p.proof)
    })
  }
  it('every proof we build between sizes 0..8 verifies, and fails against the wrong old root', () => {
    for (let n = 0; n <= 8; n++) {
      for (let m = 0; m <= n; m++) {
        const proof = consistencyProofRanges(m, n).map(([s, e]) => mth(s, e))
        assert.ok(verifyConsistency(sha256, m, n, proof, roots[m]!, roots[n]!), `${m} -> ${n}`)
        if (m > 0 && m < n) assert.ok(!verifyConsistency(sha256, m, n, proof, roots[m - 1]!, roots[n]!))
      }
    }
  })
  it('refuses a shrinking tree', () => {
    assert.ok(!verifyConsistency(sha256, 2, 1, [], roots[2]!, roots[1]!))
  })
})
