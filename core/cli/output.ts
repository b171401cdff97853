// How list commands print: JSON with --json, a sentence when there is nothing, else a table.
import type { CommandContext } from './command.js'
import { table } from './format.js'

export interface ListOutput<T> {
  empty: string
  header: string[]
  row: (item: T) => string[]
  /** Lines printed under an item's row (a message's files). */
  details?: (item: T) => string[]
  /** What --json prints of an item; the item itself by default. */
  json?: (item: T) => unknown
}

export function printList<T> (ctx: CommandContext, items: T[], { empty, header, row, details, json }: ListOutput<T>): number {
  if (ctx.json) ctx.out(JSON.stringify(json === undefined ? items : items.map(json)))
  else if (items.length === 0) ctx.out(empty)
  else {
    const [head, ...rows] = table(header, items.map(row))
    ctx.out(head!)
    rows.forEach((line, index) => {
      ctx.out(line)
      for (const detail of details?.(items[index]!) ?? []) ctx.out(detail)
    })
  }
  return 0
}
