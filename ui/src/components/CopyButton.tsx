import { useEffect, useState } from "react";

/** Copies `text` to the clipboard and says "Copied" for a moment. */
export function CopyButton({ text, testId, label = "Copy" }: { text: string; testId?: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const t = setTimeout(() => setState("idle"), 1500);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <button
      type="button"
      className="btn-small"
      data-testid={testId}
      title={`Copy ${text}`}
      onClick={() => {
        const clip = typeof navigator !== "undefined" ? navigator.clipboard : undefined;
        if (!clip) {
          setState("failed");
          return;
        }
        clip.writeText(text).then(
          () => setState("copied"),
          () => setState("failed"),
        );
      }}
    >
      {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : label}
    </button>
  );
}
