// When the UI's script began: main.tsx imports this module first, and ES
// modules run their imports before their own body, so this runs before
// React, Mantine and the screens are evaluated.
export const scriptStart = performance.timeOrigin + performance.now();
