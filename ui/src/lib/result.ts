/** What every generated command resolves to (tauri-specta's result shape). */
export type Result<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };
