import { Box } from "@mantine/core";
import type { ReactNode } from "react";

/** The padded, width-limited area every screen sits in. */
export function Page({ children, wide = false }: { children: ReactNode; wide?: boolean }) {
  return (
    <Box px={{ base: "md", md: "xl" }} py="xl" maw={wide ? undefined : 1200} mx="auto">
      {children}
    </Box>
  );
}
