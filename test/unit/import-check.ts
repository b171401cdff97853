// Checks an import graph against the folder table of docs/ARCHITECTURE.md: every import one that its
// folder's row allows, and no import circle between folders or between files (type-only imports count).
import { isBuiltin } from 'node:module'
import type { ImportEdge } from './import-graph.js'

export interface FolderRule {
  /** The folder as the table names it (`core/store/`), or one file (`core/errors.ts`). */
  readonly folder: string
  /** Its subfolders that belong to it (`['e2e/', 'log/']`), or 'any'; another subfolder is a new folder. */
  readonly subfolders?: readonly string[] | 'any'
  /** The words of the table's "may import" column. */
  readonly words: string
  /** What those words allow besides the folder itself: folders (ending in `/`, with all below them) or files. */
  readonly mayImport: readonly string[]
  /** What it may import for its types only (`import type`, erased from the build). */
  readonly mayImportTypes?: readonly string[]
  /** Files of this folder that no other folder may import (generated protobuf types). */
  readonly privateFiles?: (path: string) => boolean
  /** Where the row names them: the only packages it may import (`node:` for Node's own modules, `@scope/`). */
  readonly packages?: readonly string[]
  /** Where the row names them: packages it may never import. */
  readonly packagesNever?: readonly string[]
}

/** A known break that another branch is fixing: its imports are not reported, nor are they part of circles. */
export interface PendingBreak {
  readonly owner: string
  /** Importing files: a folder (ending in `/`) or a file. */
  readonly from: string
  /** Imported files: a folder or a file; the importer's own folder counts too (a circle inside it). */
  readonly to: string
  readonly why: string
}

export function within (path: string, place: string): boolean {
  return place.endsWith('/') ? path.startsWith(place) : path === place
}

/** The row of the table a file belongs to: its own file row, else the deepest folder that holds it. */
export function ruleOf (path: string, rules: readonly FolderRule[]): FolderRule | undefined {
  const fileRule = rules.find(rule => rule.folder === path)
  if (fileRule !== undefined) return fileRule
  const holders = rules.filter(rule => rule.folder.endsWith('/') && path.startsWith(rule.folder) && holdsDirectly(rule, path.slice(rule.folder.length)))
  return holders.sort((a, b) => b.folder.length - a.folder.length)[0]
}

function holdsDirectly (rule: FolderRule, rest: string): boolean {
  const slash = rest.lastIndexOf('/')
  if (slash === -1) return true
  if (rule.subfolders === 'any') return true
  const subfolder = rest.slice(0, slash + 1)
  return (rule.subfolders ?? []).some(allowed => subfolder === allowed || subfolder.startsWith(allowed))
}

export function isPending (edge: ImportEdge, pending: readonly PendingBreak[]): boolean {
  return edge.to !== undefined && pending.some(known => within(edge.from, known.from) && within(edge.to!, known.to))
}

/** The PENDING entries that no import matches any more: the break is gone, so the entry must go too. */
export function stalePending (edges: readonly ImportEdge[], pending: readonly PendingBreak[]): PendingBreak[] {
  return pending.filter(known => !edges.some(edge => isPending(edge, [known])))
}

/** Every import that its folder's row does not allow, as one sentence each. */
export function ruleBreaks (edges: readonly ImportEdge[], rules: readonly FolderRule[], pending: readonly PendingBreak[] = []): string[] {
  const breaks: string[] = []
  const unplaced = new Set<string>()
  for (const edge of edges) {
    const own = ruleOf(edge.from, rules)
    if (own === undefined) { unplaced.add(edge.from); continue }
    if (isPending(edge, pending)) continue
    const reason = edge.to === undefined ? packageForbidden(edge.specifier, own) : whyForbidden(edge, edge.to, own, rules)
    if (reason !== undefined) breaks.push(`${edge.from} imports '${edge.specifier}' (${edge.to ?? 'a package'}): ${reason}`)
  }
  for (const file of unplaced) breaks.push(`${file} is in no folder of the table: add its folder's row to docs/ARCHITECTURE.md and to FOLDER_RULES`)
  return breaks
}

function packageForbidden (specifier: string, own: FolderRule): string | undefined {
  const named = (packages: readonly string[]): boolean => packages.some(name => isPackage(specifier, name))
  if (own.packages !== undefined && !named(own.packages)) return `${own.folder} may import ${JSON.stringify(own.words)}`
  if (own.packagesNever !== undefined && named(own.packagesNever)) return `${own.folder} may import ${JSON.stringify(own.words)}`
  return undefined
}

/** Whether a bare specifier is the package `name`: `node:` covers Node's own modules, `@scope/` a scope. */
function isPackage (specifier: string, name: string): boolean {
  if (name === 'node:') return isBuiltin(specifier)
  if (name.endsWith('/')) return specifier.startsWith(name)
  return specifier === name || specifier.startsWith(`${name}/`)
}

function whyForbidden (edge: ImportEdge, target: string, own: FolderRule, rules: readonly FolderRule[]): string | undefined {
  const targetRule = ruleOf(target, rules)
  if (targetRule === undefined) return 'it names a file in no folder of the table'
  if (targetRule === own) return undefined
  if (targetRule.privateFiles?.(target) === true) return `only ${targetRule.folder} may import it`
  if (own.mayImport.some(place => within(target, place))) return undefined
  if (edge.typeOnly && (own.mayImportTypes ?? []).some(place => within(target, place))) return undefined
  return `${own.folder} may import ${JSON.stringify(own.words)}`
}

/** Every import circle, between folders (rows of the table) and between files, as one sentence each. */
export function importCircles (edges: readonly ImportEdge[], rules: readonly FolderRule[], pending: readonly PendingBreak[] = []): string[] {
  const counted = edges.filter(edge => edge.to !== undefined && !isPending(edge, pending))
  const fileGraph = graphOf(counted.map(edge => [edge.from, edge.to!] as const))
  const folderOf = (path: string): string => ruleOf(path, rules)?.folder ?? path
  const folderGraph = graphOf(counted.map(edge => [folderOf(edge.from), folderOf(edge.to!)] as const).filter(([from, to]) => from !== to))
  return [
    ...stronglyConnected(folderGraph).map(component => `import circle between folders: ${oneCircle(folderGraph, component).join(' -> ')} (all of: ${component.join(', ')})`),
    ...stronglyConnected(fileGraph).map(component => `import circle between files: ${oneCircle(fileGraph, component).join(' -> ')} (all of: ${component.join(', ')})`)
  ]
}

type Graph = Map<string, Set<string>>

function graphOf (pairs: ReadonlyArray<readonly [string, string]>): Graph {
  const graph: Graph = new Map()
  for (const [from, to] of pairs) {
    if (!graph.has(from)) graph.set(from, new Set())
    if (!graph.has(to)) graph.set(to, new Set())
    graph.get(from)!.add(to)
  }
  return graph
}

/** Tarjan's strongly connected components of more than one node (a Svelte component may render itself). */
export function stronglyConnected (graph: Graph): string[][] {
  const index = new Map<string, number>()
  const lowest = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const components: string[][] = []
  const visit = (node: string): void => {
    index.set(node, index.size)
    lowest.set(node, index.get(node)!)
    stack.push(node)
    onStack.add(node)
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next)
        lowest.set(node, Math.min(lowest.get(node)!, lowest.get(next)!))
      } else if (onStack.has(next)) {
        lowest.set(node, Math.min(lowest.get(node)!, index.get(next)!))
      }
    }
    if (lowest.get(node) !== index.get(node)) return
    const component: string[] = []
    let member: string
    do { member = stack.pop()!; onStack.delete(member); component.push(member) } while (member !== node)
    if (component.length > 1) components.push(component.sort())
  }
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node)
  return components
}

/** A shortest circle through the component's first node, inside the component, to name in a message. */
function oneCircle (graph: Graph, component: readonly string[]): string[] {
  const members = new Set(component)
  const start = component[0]!
  const cameFrom = new Map<string, string>()
  const queue = [start]
  while (queue.length > 0) {
    const node = queue.shift()!
    for (const next of graph.get(node) ?? []) {
      if (!members.has(next)) continue
      if (next === start) return [...pathTo(cameFrom, node, start), start]
      if (!cameFrom.has(next)) { cameFrom.set(next, node); queue.push(next) }
    }
  }
  return [start]
}

function pathTo (cameFrom: ReadonlyMap<string, string>, node: string, start: string): string[] {
  const path = [node]
  while (path[0] !== start) path.unshift(cameFrom.get(path[0]!)!)
  return path
}
