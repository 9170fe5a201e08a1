import { scriptStart } from "./lib/scriptStart";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { startProbeIfAsked, startupStep } from "./lib/startup";

// Every module the first screen needs has run by now.
startupStep("modules_evaluated");

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

startProbeIfAsked(scriptStart);
