/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The production build has one entry, index.html; the dev-only harness in
// dev/ (mocked IPC, for screenshots outside Tauri) is served by `npm run dev`
// at /dev/preview.html and never bundled.
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  preview: { port: 4173, strictPort: true },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: ["es2022", "safari16"],
    chunkSizeWarningLimit: 1500,
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["./test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
    testTimeout: 15000,
    coverage: {
      provider: "v8",
      include: ["src/**/*.{ts,tsx}"],
      exclude: ["src/bindings/**", "src/main.tsx", "src/**/*.test.{ts,tsx}"],
      reporter: ["text-summary", "text"],
      thresholds: { lines: 80 },
    },
  },
});
