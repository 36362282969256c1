//! The native confirmation dialog (GTK on Linux, through Tauri's dialog
//! plugin): a window of its own that the webview can neither draw nor click.

use tauri::AppHandle;
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};
use tidepool_sdk::wallet::BoxFuture;

use crate::confirm::{Confirmation, Confirmer};

/// The label of the button that signs.
pub const SIGN: &str = "Sign and send";
/// The label of the button that cancels.
pub const CANCEL: &str = "Cancel";

/// Asks in a native modal dialog.
pub struct NativeDialog(pub AppHandle);

impl Confirmer for NativeDialog {
    fn confirm(&self, c: Confirmation) -> BoxFuture<'_, bool> {
        Box::pin(async move {
            let (tx, rx) = tokio::sync::oneshot::channel();
            tracing::info!(title = %c.title, "asking for confirmation");
            self.0
                .dialog()
                .message(c.body)
                .title(c.title)
                .kind(MessageDialogKind::Warning)
                .buttons(MessageDialogButtons::OkCancelCustom(
                    SIGN.into(),
                    CANCEL.into(),
                ))
                .show(move |ok| {
                    let _ = tx.send(ok);
                });
            rx.await.unwrap_or(false)
        })
    }
}
