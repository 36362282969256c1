/// <reference types="vitest/config" />
import { dirname, resolve } from "node:path";
import { defineConfig, type Plugin } from "vite";
import react from "@vitejs/plugin-react";

// Under jsdom, ethers' Node crypto returns Buffers from another realm that its
// own BytesLike checks refuse; tests use ethers' browser crypto, as the app does.
function ethersBrowserCrypto(): Plugin {
  return {
    name: "ethers-browser-crypto",
    enforce: "pre",
    resolveId(source, importer) {
      if (source === "./crypto.js" && importer && /ethers[\\/]lib\.esm[\\/]crypto[\\/]/.test(importer)) {
        return resolve(dirname(importer), "crypto-browser.js");
      }
      return null;
    },
  };
}

// Tauri serves dist/ under a strict CSP (default-src 'self'): no inline scripts
// or styles, no network. Vite's production output is external files only.
export default defineConfig(({ mode }) => ({
  plugins: mode === "test" ? [react(), ethersBrowserCrypto()] : [react()],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // Keep assets as files (no data: URIs).
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1500,
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
    server: { deps: { inline: ["ethers"] } },
  },
}));
