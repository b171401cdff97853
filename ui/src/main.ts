import { mount } from 'svelte'
import App from './App.svelte'
import './styles/app.css'
import './lib/emoji/emoji-font.css'

mount(App, { target: document.getElementById('app')! })

// The service worker caches the app shell so it opens offline; data always comes from the daemon.
if ('serviceWorker' in navigator && import.meta.env.PROD) {
  void navigator.serviceWorker.register('/sw.js', { scope: '/' })
}
