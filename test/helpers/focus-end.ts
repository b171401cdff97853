// How the app writes when a focus ends (ui/src/lib/until.ts, through shortTime): "15:30" today,
// "Tue 08:00" this week, "Dec 9, 08:00" later; "Tue" or "Dec" only when the test runs near the
// end of a day. As a regular expression's source, to place inside the browser tests' patterns.
export const FOCUS_END = String.raw`(?:[A-Za-z]+,? )?\d.*`
