// The unread count on the installed app's icon (the Badging API): set as the total changes, cleared
// at zero. Browsers without the API, or a page not installed as an app, simply show no badge.

interface BadgingNavigator {
  setAppBadge?: (count?: number) => Promise<void>
  clearAppBadge?: () => Promise<void>
}

export function showUnreadBadge (count: number): void {
  const badging = navigator as BadgingNavigator
  if (badging.setAppBadge === undefined || badging.clearAppBadge === undefined) return
  const done = count > 0 ? badging.setAppBadge(count) : badging.clearAppBadge()
  void done.catch(() => {}) // refused outside an installed app: nothing to show
}
