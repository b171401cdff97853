// How list commands print: JSON with --json, a sentence when there is nothing, else a table.
import type { CommandContext } from './command.js'
import { table } from './format.js'

export interface ListOutput<T> {
  empty: string
  header: string[]
  row: (item: T) => string[]
}

export function printList<T> (ctx: CommandContext, items: T[], { empty, header, row }: ListOutput<T>): number {
  if (ctx.json) ctx.out(JSON.stringify(items))
  else if (items.length === 0) ctx.out(empty)
  else for (const line of table(header, items.map(row))) ctx.out(line)
  return 0
}
