// Every import of our source keeps docs/ARCHITECTURE.md's folder table ("may import"), and no import
// circle joins folders or files. The rows are in import-rules.ts; the reader and the checks in
// import-graph.ts and import-check.ts. This generalises log-purity.test.ts to the whole tree.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { importCircles, ruleBreaks, stalePending, type FolderRule } from './import-check.js'
import { importsOf, readImportGraph, REPOSITORY_ROOT, type ImportEdge } from './import-graph.js'
import { FOLDER_RULES, PENDING } from './import-rules.js'

const edges = readImportGraph(REPOSITORY_ROOT)

describe('the import rules of ARCHITECTURE.md', () => {
  it('reads imports as the compiler does, not as a regex would', () => {
    const text = [
      "// import '../store/not-this.js'",
      "const hint = `import x from '../store/nor-this.js'`",
      "import type { A } from './a.js'",
      "import { type B, C } from './b.js'",
      "export { D } from './d.js'",
      "const lazy = async () => await import('./lazy.js')",
      "let shape: import('./shape.js').Shape"
    ].join('\n')
    assert.deepEqual(importsOf('core/x.ts', text), [
      { specifier: './a.js', typeOnly: true },
      { specifier: './b.js', typeOnly: false },
      { specifier: './d.js', typeOnly: false },
      { specifier: './lazy.js', typeOnly: false },
      { specifier: './shape.js', typeOnly: true }
    ])
    const component = "<script module lang=\"ts\">import { a } from './m.js'</script>\n<script lang=\"ts\">import type { T } from './t.js'</script>\n<p>import './no.js'</p>"
    assert.deepEqual(importsOf('ui/src/X.svelte', component).map(found => found.specifier), ['./m.js', './t.js'])
  })

  it('finds a forbidden import, a folder with no row and circles (the check cannot pass by seeing nothing)', () => {
    const rules: FolderRule[] = [
      { folder: 'low/', words: 'nothing', mayImport: [], packages: ['node:'] },
      { folder: 'high/', words: 'low', mayImport: ['low/'] }
    ]
    const edge = (from: string, to: string): ImportEdge => ({ from, specifier: to, to, typeOnly: false })
    const synthetic = [edge('high/a.ts', 'low/b.ts'), edge('low/b.ts', 'high/a.ts'), edge('new/c.ts', 'low/b.ts')]
    assert.deepEqual(ruleBreaks(synthetic, rules), [
      'low/b.ts imports \'high/a.ts\' (high/a.ts): low/ may import "nothing"',
      'new/c.ts is in no folder of the table: add its folder\'s row to docs/ARCHITECTURE.md and to FOLDER_RULES'
    ])
    assert.deepEqual(importCircles(synthetic, rules), [
      'import circle between folders: high/ -> low/ -> high/ (all of: high/, low/)',
      'import circle between files: high/a.ts -> low/b.ts -> high/a.ts (all of: high/a.ts, low/b.ts)'
    ])
    const packageEdge = (from: string, specifier: string): ImportEdge => ({ from, specifier, to: undefined, typeOnly: false })
    assert.deepEqual(ruleBreaks([packageEdge('low/b.ts', 'node:fs'), packageEdge('low/b.ts', 'fs'), packageEdge('high/a.ts', 'zod')], rules), [])
    assert.deepEqual(ruleBreaks([packageEdge('low/b.ts', 'zod')], rules), ['low/b.ts imports \'zod\' (a package): low/ may import "nothing"'])
    const known = { owner: 'someone', from: 'low/', to: 'high/', why: 'being fixed' }
    const gone = { owner: 'someone', from: 'high/', to: 'new/', why: 'fixed already' }
    assert.deepEqual(ruleBreaks(synthetic.slice(0, 2), rules, [known]), [])
    assert.deepEqual(importCircles(synthetic, rules, [known]), [])
    assert.deepEqual(stalePending(synthetic, [known, gone]), [gone])
  })

  it('reads the whole tree', () => {
    assert.ok(edges.length > 1000, `only ${edges.length} imports read`)
    for (const folder of ['crypto/', 'discovery/', 'core/', 'ui/src/', 'ui/scripts/', 'scripts/', 'bench/']) {
      assert.ok(edges.some(edge => edge.from.startsWith(folder)), `no import read in ${folder}`)
    }
  })

  it('every import keeps its folder\'s row of the table', () => {
    const breaks = ruleBreaks(edges, FOLDER_RULES, PENDING)
    if (breaks.length > 0) assert.fail(`imports that break docs/ARCHITECTURE.md's table:\n${breaks.join('\n')}`)
  })

  it('every PENDING entry still names an import (remove it once its branch has merged)', () => {
    const stale = stalePending(edges, PENDING).map(known => `${known.from} -> ${known.to} (${known.owner}: ${known.why})`)
    if (stale.length > 0) assert.fail(`PENDING entries that no import matches any more:\n${stale.join('\n')}`)
  })

  it('no import circle between folders or between files', () => {
    const circles = importCircles(edges, FOLDER_RULES, PENDING)
    if (circles.length > 0) assert.fail(`import circles:\n${circles.join('\n')}`)
  })

})
