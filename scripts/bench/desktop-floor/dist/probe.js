// Two frames after the paragraph is in the document, it has been painted:
// tell the app (which quits when the launch is probed, and refuses otherwise).
requestAnimationFrame(() =>
  requestAnimationFrame(() => {
    const navigation = performance.timeOrigin;
    window.__TAURI_INTERNALS__
      .invoke("painted", { navigation, painted: navigation + performance.now() })
      .catch(() => {});
  }),
);
