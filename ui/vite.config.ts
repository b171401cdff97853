// Builds the browser app into ui/dist/, which the daemon serves at `/`.
// The service worker precaches the app shell only; /api and the event socket always go to the daemon.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { VitePWA } from 'vite-plugin-pwa'
import { emojiData } from './scripts/emoji-data-plugin.js'
import { emojiFontFile } from './scripts/emoji-font-plugin.js'
import { workboxScratchFolder } from './scripts/workbox-scratch-plugin.js'

const root = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  root,
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // libsodium (verifier page only) is one large lazy chunk by design.
    chunkSizeWarningLimit: 2048
  },
  server: { host: '127.0.0.1' },
  plugins: [
    svelte(),
    emojiData(),
    emojiFontFile(),
    workboxScratchFolder(),
    VitePWA({
      registerType: 'autoUpdate',
      injectRegister: false,
      manifest: {
        name: 'causette',
        short_name: 'causette',
        description: 'Office messenger: peer to peer, end-to-end encrypted, no server',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        background_color: '#f6f7f9',
        theme_color: '#3454d1',
        icons: [
          { src: 'icons/icon.svg', sizes: 'any', type: 'image/svg+xml' },
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' }
        ]
      },
      workbox: {
        // The app shell, including the verifier's lazy chunk (libsodium), so that the verifier
        // works offline too. It is fetched by the service worker after the first load, not during it.
        globPatterns: ['**/*.{html,js,css,svg,png,webmanifest}'],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        navigateFallback: '/index.html',
        navigateFallbackDenylist: [/^\/api\//],
        clientsClaim: true,
        skipWaiting: true,
        cleanupOutdatedCaches: true
      }
    })
  ]
})
