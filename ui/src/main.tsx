import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import App from "./App";
import "./styles.css";

// Uncaught errors are kept (their messages only) where diagnostics and the
// end-to-end tests can read them.
const uncaught: string[] = [];
Object.defineProperty(window, "__tidepoolErrors", { value: uncaught });
window.addEventListener("error", (e) => uncaught.push(String(e.message)));
window.addEventListener("unhandledrejection", (e) => uncaught.push(String(e.reason)));

const root = document.getElementById("root");
if (!root) throw new Error("#root missing");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
