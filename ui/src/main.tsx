import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { epochNow, startProbeIfAsked } from "./lib/startup";

// Taken first: the start-up probe reports when the UI's script began.
const scriptStart = epochNow();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

startProbeIfAsked(scriptStart);
