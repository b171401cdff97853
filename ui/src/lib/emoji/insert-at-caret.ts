// Puts a piece of text where the caret is (or over the selection) in a draft.

export interface Inserted { text: string, caret: number }

export function insertAtCaret (draft: string, start: number, end: number, insert: string): Inserted {
  return { text: draft.slice(0, start) + insert + draft.slice(end), caret: start + insert.length }
}
