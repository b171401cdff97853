// Whether the inviting computer of a join under way accepted the connection: the node's `join-reach`
// event (core/workspace/join.ts), counted here as the app's events come, read by the wait
// (JoinWait.svelte), which compares the count with the one when it began. A join that never got so
// far fails within seconds with its reason, so a long wait after it is one for the inviter's answer.

/** How many `join-reach` events arrived, and the address the last one named. */
export const joinReach = $state<{ count: number, address: string | undefined }>({ count: 0, address: undefined })

/** A `join-reach` event: the inviting computer at `address` accepted the connection. */
export function inviterAccepted (address: string): void {
  joinReach.count++
  joinReach.address = address
}
