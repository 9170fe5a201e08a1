import "@fontsource-variable/inter/index.css";
import "@mantine/core/styles.css";
import "@mantine/notifications/styles.css";
import "./styles/global.css";

import { MantineProvider } from "@mantine/core";
import { Notifications } from "@mantine/notifications";
import { HashRouter, Navigate, Route, Routes } from "react-router";
import { AppLayout } from "./components/AppLayout";
import { CampaignAnalyticsPage } from "./features/analytics/CampaignAnalyticsPage";
import { ComparePage } from "./features/analytics/ComparePage";
import { CampaignsPage } from "./features/campaigns/CampaignsPage";
import { CampaignDetailPage } from "./features/campaigns/detail/CampaignDetailPage";
import { CampaignWizardPage } from "./features/campaigns/wizard/CampaignWizardPage";
import { ContactDetailPage } from "./features/contact/ContactDetailPage";
import { ContactsPage } from "./features/contacts/ContactsPage";
import { HomePage } from "./features/home/HomePage";
import { ImportPage } from "./features/import/ImportPage";
import { SegmentEditorPage } from "./features/segments/SegmentEditorPage";
import { SegmentsPage } from "./features/segments/SegmentsPage";
import { SettingsPage } from "./features/settings/SettingsPage";
import { theme } from "./theme";

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
        <Route path="campaigns/compare" element={<ComparePage />} />
        <Route path="campaigns/:id" element={<CampaignDetailPage />} />
        <Route path="campaigns/:id/edit" element={<CampaignWizardPage />} />
        <Route path="campaigns/:id/analytics" element={<CampaignAnalyticsPage />} />
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
