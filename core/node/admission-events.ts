// The app follows joining over the network by events, not by asking every second and a half: when
// the desks asking to join (an admin's list) or the admins admitting this desk change, the node
// emits an `admission` event with both lists as `GET /workspace/admission` gives them. Changes of
// one turn make one event, and an event that would repeat the last one is not sent (any colleague
// leaving the network is a possible change).
import type { AdmissionView } from '../api/schema.js'
import type { WorkspaceService } from '../workspace/service.js'
import type { EventLog } from './events.js'

export function admissionView (ws: Pick<WorkspaceService, 'joinRequests' | 'joinOffers'>): AdmissionView {
  return { requests: ws.joinRequests.list(), offers: ws.joinOffers.list() }
}

/** Emits `admission` events from now on; returns the function that stops it. */
export function followAdmission (ws: Pick<WorkspaceService, 'joinRequests' | 'joinOffers' | 'onAdmissionChanged'>, events: Pick<EventLog, 'emit'>): () => void {
  let last = JSON.stringify(admissionView(ws))
  let pending: NodeJS.Immediate | undefined
  const emitIfChanged = (): void => {
    pending = undefined
    const admission = admissionView(ws)
    const now = JSON.stringify(admission)
    if (now === last) return
    last = now
    events.emit({ type: 'admission', admission })
  }
  const unsubscribe = ws.onAdmissionChanged(() => { pending ??= setImmediate(emitIfChanged) })
  return () => {
    unsubscribe()
    if (pending !== undefined) clearImmediate(pending)
  }
}
