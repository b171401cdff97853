// An invite link opened while this browser has no access key yet (NoToken): the code is kept in
// this origin's localStorage, and the app opens the join screen with it once it has the key (the
// link the node prints replaces the address, and with it the code).
const KEY = 'causette.pending-join'

export function rememberPendingJoin (code: string): void { localStorage.setItem(KEY, code) }
export function pendingJoin (): string | undefined { return localStorage.getItem(KEY) ?? undefined }
export function forgetPendingJoin (): void { localStorage.removeItem(KEY) }
