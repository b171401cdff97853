// Reads every import of our source files with the TypeScript parser (a comment or a template string
// that looks like an import is not one), so that import-rules.test.ts can check them.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, posix } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseSvelte } from 'svelte/compiler'
import ts from 'typescript'

export interface ImportEdge {
  /** The importing file, relative to the repository root (`core/api/server.ts`). */
  readonly from: string
  /** The specifier as written (`../store/database.js`, `zod`). */
  readonly specifier: string
  /** Our file it names, relative to the root, or undefined for a package or a Node module. */
  readonly to: string | undefined
  readonly typeOnly: boolean
}

const SOURCE_ROOTS = ['crypto', 'discovery', 'core', 'ui/src', 'ui/scripts', 'scripts', 'bench']
const SOURCE_FILE = /\.(ts|svelte)$/

/** Every .ts and .svelte file under the source roots, relative to `root`, with `/` separators. */
export function sourceFiles (root: string, roots: readonly string[] = SOURCE_ROOTS): string[] {
  const files: string[] = []
  const walk = (folder: string): void => {
    for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
      const path = posix.join(folder, entry.name)
      if (entry.isDirectory() && entry.name !== 'node_modules') walk(path)
      else if (entry.isFile() && SOURCE_FILE.test(entry.name)) files.push(path)
    }
  }
  for (const folder of roots) walk(folder)
  return files.sort()
}

/** The imports of one file's text: static imports and re-exports, `import('literal')`, `import('x').T`. */
export function importsOf (path: string, text: string): Array<{ specifier: string, typeOnly: boolean }> {
  if (path.endsWith('.svelte')) return svelteScripts(path, text).flatMap(script => importsOf(`${path}.ts`, script))
  const source = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS)
  const found: Array<{ specifier: string, typeOnly: boolean }> = []
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: isTypeOnlyImport(node) })
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly })
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      found.push({ specifier: node.moduleReference.expression.text, typeOnly: node.isTypeOnly })
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] !== undefined && ts.isStringLiteralLike(node.arguments[0])) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false })
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true })
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

function isTypeOnlyImport (node: ts.ImportDeclaration): boolean {
  const clause = node.importClause
  if (clause === undefined) return false // `import './x.js'` runs the module
  if (clause.isTypeOnly) return true
  const bindings = clause.namedBindings
  return clause.name === undefined && bindings !== undefined && ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 && bindings.elements.every(element => element.isTypeOnly)
}

/** The text of a component's `<script>` and `<script module>` blocks, found by Svelte's own parser. */
function svelteScripts (path: string, text: string): string[] {
  const ast = parseSvelte(text, { filename: path, modern: true })
  return [ast.module, ast.instance].flatMap(script => {
    if (script === null || script === undefined) return []
    const content = script.content as unknown as { start: number, end: number }
    return [text.slice(content.start, content.end)]
  })
}

/** Our file a relative specifier names (`./x.js` is `x.ts` on disk), or undefined for a package. */
export function resolveSpecifier (from: string, specifier: string, exists: (path: string) => boolean): string | undefined {
  if (!specifier.startsWith('.')) return undefined
  const target = posix.normalize(posix.join(posix.dirname(from), specifier))
  const candidates = [target, target.replace(/\.js$/, '.ts'), `${target}.ts`, posix.join(target, 'index.ts')]
  return candidates.find(exists) ?? target
}

/** Every import edge of every source file under `root`. */
export function readImportGraph (root: string): ImportEdge[] {
  const files = sourceFiles(root)
  const known = new Set(files)
  const exists = (path: string): boolean => known.has(path) || fileExists(join(root, path))
  return files.flatMap(file => importsOf(file, readFileSync(join(root, file), 'utf8')).map(({ specifier, typeOnly }) =>
    ({ from: file, specifier, to: resolveSpecifier(file, specifier, exists), typeOnly })))
}

function fileExists (path: string): boolean {
  return existsSync(path) && statSync(path).isFile()
}

/** The repository root, from this file's place in it. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url))
