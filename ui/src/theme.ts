import { createTheme, type MantineColorsTuple } from "@mantine/core";

// Fonts are bundled (no remote loads: the CSP forbids them).
const FONT = "'Inter Variable', Inter, system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";

// A slightly cooler dark palette than Mantine's default greys.
const dark: MantineColorsTuple = [
  "#c9ccd6", "#a6aab8", "#7c8194", "#5b6073", "#3d4152",
  "#2c2f3c", "#232531", "#1b1d27", "#15171f", "#101118",
];

export const theme = createTheme({
  primaryColor: "indigo",
  primaryShade: { light: 6, dark: 5 },
  colors: { dark },
  fontFamily: FONT,
  fontFamilyMonospace: "ui-monospace, 'SF Mono', 'Cascadia Code', 'JetBrains Mono', Menlo, Consolas, monospace",
  headings: { fontFamily: FONT, fontWeight: "650" },
  defaultRadius: "md",
  cursorType: "pointer",
  components: {
    Card: { defaultProps: { withBorder: true, radius: "md", padding: "lg" } },
    Paper: { defaultProps: { radius: "md" } },
    Badge: { defaultProps: { variant: "light", radius: "sm" } },
    Tooltip: { defaultProps: { withArrow: true, openDelay: 300 } },
    Modal: { defaultProps: { radius: "md", centered: true, overlayProps: { backgroundOpacity: 0.45, blur: 2 } } },
  },
});
