import "@fontsource-variable/inter/index.css";
import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import "./styles/global.css";

import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { lazy } from "react";
import { HashRouter, Navigate, Route, Routes } from "react-router";
import { AppLayout } from "./components/AppLayout";
import { ContactsPage } from "./features/contacts/ContactsPage";
import { ANALYTICS_ROUTES } from "./lib/analyticsRoutes";
import { theme } from "./theme";

// The first screen a launch needs is the shell and the contact list: they are
// in the main bundle. Every other screen is its own chunk, fetched the first
// time it is opened (AppLayout shows the loading state meanwhile), so the
// editor, charts and segment builder are not parsed before the first paint.
const HomePage = lazy(() => import("./features/home/HomePage").then((m) => ({ default: m.HomePage })));
const ContactDetailPage = lazy(() =>
  import("./features/contact/ContactDetailPage").then((m) => ({ default: m.ContactDetailPage })),
);
const SegmentsPage = lazy(() => import("./features/segments/SegmentsPage").then((m) => ({ default: m.SegmentsPage })));
const SegmentEditorPage = lazy(() =>
  import("./features/segments/SegmentEditorPage").then((m) => ({ default: m.SegmentEditorPage })),
);
const CampaignsPage = lazy(() =>
  import("./features/campaigns/CampaignsPage").then((m) => ({ default: m.CampaignsPage })),
);
const CampaignWizardPage = lazy(() =>
  import("./features/campaigns/wizard/CampaignWizardPage").then((m) => ({ default: m.CampaignWizardPage })),
);
const CampaignDetailPage = lazy(() =>
  import("./features/campaigns/detail/CampaignDetailPage").then((m) => ({ default: m.CampaignDetailPage })),
);
const CampaignAnalyticsPage = lazy(() =>
  import("./features/analytics/CampaignAnalyticsPage").then((m) => ({ default: m.CampaignAnalyticsPage })),
);
const ComparePage = lazy(() => import("./features/analytics/ComparePage").then((m) => ({ default: m.ComparePage })));
const ImportPage = lazy(() => import("./features/import/ImportPage").then((m) => ({ default: m.ImportPage })));
const SettingsPage = lazy(() => import("./features/settings/SettingsPage").then((m) => ({ default: m.SettingsPage })));

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route index element={<HomePage />} />
        <Route path="contacts" element={<ContactsPage />} />
        <Route path="contacts/new" element={<ContactsPage creating />} />
        <Route path="contacts/:id" element={<ContactDetailPage />} />
        <Route path="contacts/:id/edit" element={<ContactDetailPage editing />} />
        <Route path="segments" element={<SegmentsPage />} />
        <Route path="segments/new" element={<SegmentEditorPage />} />
        <Route path="segments/:id" element={<SegmentEditorPage />} />
        <Route path="campaigns" element={<CampaignsPage />} />
        <Route path="campaigns/new" element={<CampaignWizardPage />} />
        <Route path={ANALYTICS_ROUTES.compare} element={<ComparePage />} />
        <Route path="campaigns/:id" element={<CampaignDetailPage />} />
        <Route path="campaigns/:id/edit" element={<CampaignWizardPage />} />
        <Route path={ANALYTICS_ROUTES.report} element={<CampaignAnalyticsPage />} />
        <Route path="import" element={<ImportPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="*" element={<Navigate to="/" replace />} />
      </Route>
    </Routes>
  );
}

/** The app as Tauri serves it: hash routing works from tauri:// and from a file. */
export function App() {
  return (
    <MantineProvider theme={theme} defaultColorScheme="auto">
      <Notifications position="top-right" limit={3} />
      <HashRouter>
        <AppRoutes />
      </HashRouter>
    </MantineProvider>
  );
}
