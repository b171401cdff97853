// What to do when the browser blocks notifications for causette, said wherever the app meets the
// refusal (the first-run prompt, Settings). Chromium, Edge and Firefox all keep a site's
// permissions behind the icon at the left of the address bar; an installed app, in its menu.
export const HOW_TO_ALLOW = 'To allow them, click the icon at the left of the address bar (in the installed app: its ⋮ menu, then App info), set Notifications to Allow, and reload causette.'
