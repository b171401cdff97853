// Files dropped on a conversation go to its composer. An attachment ({@attach}) for the
// conversation's element: while files are dragged over it, `dropping.active` is true (the
// screen says "Drop to attach"); a drag of text or of a link is left to the browser.
import type { Attachment } from 'svelte/attachments'

export class DropTarget {
  active = $state(false)
  /** Nested elements fire enter and leave in turn: the drag has left once every enter is matched. */
  #depth = 0

  /** The {@attach} for the element files may be dropped on. */
  attach (onFiles: (files: File[]) => void): Attachment<HTMLElement> {
    return (element) => {
      const listeners: Array<[string, (event: DragEvent) => void]> = [
        ['dragenter', event => { if (carriesFiles(event)) { this.#depth++; this.active = true } }],
        ['dragover', event => { if (carriesFiles(event)) { event.preventDefault(); event.dataTransfer!.dropEffect = 'copy' } }],
        ['dragleave', event => { if (carriesFiles(event) && --this.#depth <= 0) this.#end() }],
        ['drop', event => {
          if (!carriesFiles(event)) return
          event.preventDefault()
          this.#end()
          onFiles([...event.dataTransfer!.files])
        }]
      ]
      for (const [type, listener] of listeners) element.addEventListener(type, listener as EventListener)
      return () => { for (const [type, listener] of listeners) element.removeEventListener(type, listener as EventListener) }
    }
  }

  #end (): void {
    this.#depth = 0
    this.active = false
  }
}

/**
 * For the window: files dropped outside a conversation are refused rather than opened by the
 * browser in place of the app (a dropped .html page would replace it in the tab).
 */
export function refuseStrayDrop (event: DragEvent): void {
  if (!carriesFiles(event) || event.defaultPrevented) return
  event.preventDefault()
  if (event.dataTransfer !== null) event.dataTransfer.dropEffect = 'none'
}

function carriesFiles (event: DragEvent): boolean {
  return event.dataTransfer?.types.includes('Files') === true
}
