import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { render, type RenderResult } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ReactElement } from "react";
import { MemoryRouter, Route, Routes } from "react-router";
import { AppRoutes } from "../src/App";
import { theme } from "../src/theme";

/** Renders the whole app (shell and routes) at `path`. */
export function renderApp(path = "/"): RenderResult & { user: ReturnType<typeof userEvent.setup> } {
  const user = userEvent.setup();
  const result = render(
    <MantineProvider theme={theme} env="test">
      <Notifications />
      <MemoryRouter initialEntries={[path]}>
        <AppRoutes />
      </MemoryRouter>
    </MantineProvider>,
  );
  return { ...result, user };
}

/** Renders one element inside the providers, at `path` matched by `pattern`. */
export function renderWithProviders(
  ui: ReactElement,
  { path = "/", pattern = "*" }: { path?: string; pattern?: string } = {},
): RenderResult & { user: ReturnType<typeof userEvent.setup> } {
  const user = userEvent.setup();
  const result = render(
    <MantineProvider theme={theme} env="test">
      <Notifications />
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path={pattern} element={ui} />
        </Routes>
      </MemoryRouter>
    </MantineProvider>,
  );
  return { ...result, user };
}
