// Why joining with an invite code could not reach the inviting computer, and what the joiner can do
// about it, in words, for the CLI and the app's join screen alike: the node's message names the
// address and the network's own error (core/workspace/join.ts), these say what it means. Pure: the
// app imports it.

/** What the joiner is told: why, in one sentence, then what to do, first things first. */
export interface JoinTrouble {
  why: string
  steps: string[]
}

/** For a computer with several networks (wired and Wi-Fi, a VPN): the admin names the one the joiner shares. */
const OTHER_ADDRESS = 'Ask for a new code. If the inviting computer has several networks (wired and Wi-Fi, a VPN), the admin makes it with the address of the office one: causette invite --address <that address>.'

/** Where Windows lets causette through its firewall, on the inviting computer. */
const WINDOWS_FIREWALL = 'On Windows, when the firewall asks about causette on that computer, click Allow (or there: Windows Security, Firewall & network protection, Allow an app through firewall, tick Private for causette).'

const TROUBLES: Record<string, JoinTrouble> = {
  JOIN_NOT_RUNNING: {
    why: 'The computer that made this invite answered, but causette is not running there.',
    steps: [
      'Ask the colleague who invited you to open causette on that computer, and to keep it open until you have joined; then try again.',
      // A firewall that rejects (rather than drops) answers exactly as a port nothing listens on.
      `If causette is open there, a firewall may be refusing the connection. ${WINDOWS_FIREWALL}`,
      'If neither, the code carries another address or port than its own: ask for a new code.'
    ]
  },
  JOIN_NO_ROUTE: {
    why: 'This computer has no way to the network of the computer that made this invite: the two are not on the same network.',
    steps: [
      'Connect this computer to the office network (not the guest Wi-Fi, not a phone\'s hotspot), then try again.',
      `Already on it? The code may carry another network's address. ${OTHER_ADDRESS}`
    ]
  },
  JOIN_NO_ANSWER: {
    why: 'Nothing answered from the computer that made this invite: it is off or asleep, its firewall drops the connection, or it is on another network than this one.',
    steps: [
      'Make sure that computer is on and awake, with causette open, until you have joined.',
      WINDOWS_FIREWALL,
      'Be on the same office network as that computer (not the guest Wi-Fi), then try again.',
      `Still nothing? ${OTHER_ADDRESS}`
    ]
  },
  JOIN_UNREACHABLE: {
    why: 'The computer that made this invite answered, but did not let this one join while causette waited: it may be busy admitting other desks.',
    steps: [
      'Try again in a minute, with causette open on both computers.',
      'If it goes on, restart causette on the inviting computer, then try again.'
    ]
  }
}

/** The words of a join that could not reach the inviting computer, by the error's code; undefined for any other code. */
export function joinTrouble (code: string): JoinTrouble | undefined {
  return Object.hasOwn(TROUBLES, code) ? TROUBLES[code] : undefined
}
