// The short sound of a notification, made here with WebAudio (nothing fetched): one soft tone that
// steps up, about a quarter of a second. Played only for a notification the node let through
// (focus and mute hold it back; the notifier decides), and only when the user's setting says so.

const TONE_START_HZ = 660
const TONE_END_HZ = 990
const STEP_AT_S = 0.09
const LENGTH_S = 0.25
const PEAK_GAIN = 0.15

let context: AudioContext | undefined

/** Plays the sound; where audio is unavailable or not allowed yet, nothing happens. */
export function playNotificationSound (): void {
  if (typeof AudioContext === 'undefined') return
  try {
    context ??= new AudioContext()
    // A context made before any click starts suspended: resuming is allowed once the user interacted.
    if (context.state === 'suspended') void context.resume().catch(() => {})
    chime(context)
  } catch {
    // No audio device, or the browser refuses: a notification without sound.
  }
}

function chime (audio: AudioContext): void {
  const now = audio.currentTime
  const tone = audio.createOscillator()
  const volume = audio.createGain()
  tone.type = 'sine'
  tone.frequency.setValueAtTime(TONE_START_HZ, now)
  tone.frequency.setValueAtTime(TONE_END_HZ, now + STEP_AT_S)
  volume.gain.setValueAtTime(0.0001, now)
  volume.gain.exponentialRampToValueAtTime(PEAK_GAIN, now + 0.02)
  volume.gain.exponentialRampToValueAtTime(0.0001, now + LENGTH_S)
  tone.connect(volume).connect(audio.destination)
  tone.start(now)
  tone.stop(now + LENGTH_S)
}
