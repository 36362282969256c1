//! What the bridge knows between the Rust side and the page: the queue of
//! requests, the requests waiting for an answer, the page and its wallet.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;
use tidepool_sdk::Address;
use tidepool_sdk::wallet::RequestError;
use tokio::sync::{Notify, oneshot, watch};

/// The wallet the person picked in the page, as the page reported it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WalletInfo {
    /// The wallet's name (EIP-6963 `info.name`, or "Injected wallet").
    pub name: String,
    /// Its reverse-DNS id (EIP-6963 `info.rdns`), when it announced one.
    pub rdns: Option<String>,
    /// The accounts it shared with the page.
    pub accounts: Vec<Address>,
    /// The chain it was on when it connected (or last changed to).
    pub chain_id: Option<u64>,
}

/// A request Tidepool is waiting on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PendingRequest {
    /// The request's id (random, unique per request).
    pub id: String,
    /// The EIP-1193 method, e.g. `eth_sendTransaction`.
    pub method: String,
    /// Whether the page has taken it (so it is in the wallet now).
    pub delivered: bool,
    /// Milliseconds since it was queued.
    pub age_ms: u64,
    /// Milliseconds left before Tidepool stops waiting.
    pub left_ms: u64,
}

/// A snapshot of the bridge, for a status display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BridgeStatus {
    /// Whether a page is open (it asked for work recently, or holds a request).
    pub page_open: bool,
    /// Milliseconds since the page was last heard from; `None`: never.
    pub page_last_seen_ms: Option<u64>,
    /// The wallet picked in the page, if any.
    pub wallet: Option<WalletInfo>,
    /// The requests not answered yet, oldest first.
    pub pending: Vec<PendingRequest>,
    /// Whether the bridge was shut down.
    pub closed: bool,
}

/// How long a page's request for work waits before coming back empty.
pub(crate) const POLL_WAIT: Duration = Duration::from_secs(25);

/// The answer a request gets.
pub(crate) type Outcome = Result<Value, RequestError>;

/// A request handed to the page.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Delivered {
    pub id: String,
    pub method: String,
    pub params: Value,
    /// Milliseconds before Tidepool stops waiting, so the page can say so.
    pub timeout_ms: u64,
}

struct Entry {
    method: String,
    params: Value,
    created: Instant,
    deadline: Instant,
    delivered: bool,
    reply: oneshot::Sender<Outcome>,
}

#[derive(Default)]
struct Inner {
    queue: VecDeque<String>,
    requests: HashMap<String, Entry>,
    /// Ids in the order they were queued, for the status display.
    order: Vec<String>,
    page_seen: Option<Instant>,
    polls: usize,
    closed: bool,
}

/// Why an answer was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AnswerRefused {
    /// No such request is waiting: never queued, not delivered yet, answered
    /// already, or given up on.
    NotWaiting,
}

/// The state shared by the bridge handles and the HTTP handlers.
pub(crate) struct Shared {
    pub token: String,
    /// `http://127.0.0.1:PORT`, the only origin allowed to call the API.
    pub origin: String,
    /// `127.0.0.1:PORT`, the only `Host` accepted.
    pub host: String,
    pub default_timeout: Duration,
    inner: Mutex<Inner>,
    work: Notify,
    wallet: watch::Sender<Option<WalletInfo>>,
    closed: watch::Sender<bool>,
}

/// Random bytes as lowercase hex.
pub(crate) fn random_hex<const N: usize>() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; N];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whole seconds, rounded up (a 1.5 s wait is reported as 2 s).
pub(crate) fn ceil_secs(d: Duration) -> u64 {
    u64::try_from(d.as_millis().div_ceil(1000)).unwrap_or(u64::MAX)
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl Shared {
    pub fn new(port: u16, default_timeout: Duration) -> Self {
        Self {
            token: random_hex::<32>(),
            origin: format!("http://127.0.0.1:{port}"),
            host: format!("127.0.0.1:{port}"),
            default_timeout,
            inner: Mutex::default(),
            work: Notify::new(),
            wallet: watch::Sender::new(None),
            closed: watch::Sender::new(false),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves consistent data behind (every
        // update is a single insert or remove), so carry on.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Queues a request; the receiver gets its answer.
    pub fn enqueue(
        &self,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> Result<(String, oneshot::Receiver<Outcome>), RequestError> {
        let id = random_hex::<16>();
        let (reply, rx) = oneshot::channel();
        let now = Instant::now();
        {
            let mut s = self.lock();
            if s.closed {
                return Err(RequestError::Closed(
                    "the browser-wallet bridge was shut down".into(),
                ));
            }
            s.requests.insert(
                id.clone(),
                Entry {
                    method: method.to_string(),
                    params,
                    created: now,
                    deadline: now + timeout,
                    delivered: false,
                    reply,
                },
            );
            s.queue.push_back(id.clone());
            s.order.push(id.clone());
        }
        self.work.notify_waiters();
        Ok((id, rx))
    }

    /// Forgets a request nobody waits for any more (timed out or dropped).
    /// Returns whether it was still there.
    pub fn forget(&self, id: &str) -> bool {
        let mut s = self.lock();
        s.queue.retain(|q| q != id);
        s.order.retain(|q| q != id);
        s.requests.remove(id).is_some()
    }

    /// Takes the next queued request for the page, waiting up to `wait`;
    /// `Err(())` once the bridge is closed.
    pub async fn next(&self, wait: Duration) -> Result<Option<Delivered>, ()> {
        let until = tokio::time::Instant::now() + wait;
        self.lock().polls += 1;
        let _done = PollDone(self);
        loop {
            let notified = self.work.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            {
                let mut s = self.lock();
                s.page_seen = Some(Instant::now());
                if s.closed {
                    return Err(());
                }
                while let Some(id) = s.queue.pop_front() {
                    let Some(e) = s.requests.get_mut(&id) else {
                        continue;
                    };
                    e.delivered = true;
                    return Ok(Some(Delivered {
                        id,
                        method: e.method.clone(),
                        params: e.params.clone(),
                        timeout_ms: millis(e.deadline.saturating_duration_since(Instant::now())),
                    }));
                }
            }
            if tokio::time::timeout_at(until, notified).await.is_err() {
                return Ok(None);
            }
        }
    }

    /// Answers a delivered request, once.
    pub fn answer(&self, id: &str, outcome: Outcome) -> Result<String, AnswerRefused> {
        let entry = {
            let mut s = self.lock();
            s.page_seen = Some(Instant::now());
            match s.requests.get(id) {
                Some(e) if e.delivered => {}
                _ => return Err(AnswerRefused::NotWaiting),
            }
            s.order.retain(|q| q != id);
            s.requests.remove(id).ok_or(AnswerRefused::NotWaiting)?
        };
        // The caller may have stopped waiting this very moment; nothing to do then.
        let _ = entry.reply.send(outcome);
        Ok(entry.method)
    }

    /// Records the wallet the page connected (or its new accounts/chain).
    pub fn connected(&self, info: WalletInfo) {
        self.lock().page_seen = Some(Instant::now());
        self.wallet.send_replace(Some(info));
    }

    /// The wallet connected in the page, if any.
    pub fn wallet(&self) -> Option<WalletInfo> {
        self.wallet.borrow().clone()
    }

    /// Waits until a wallet is connected; `None` if the bridge closes first.
    pub async fn wait_wallet(&self) -> Option<WalletInfo> {
        let mut wallet = self.wallet.subscribe();
        let mut closed = self.closed.subscribe();
        tokio::select! {
            w = wallet.wait_for(Option::is_some) => w.ok().and_then(|w| w.clone()),
            _ = closed.wait_for(|c| *c) => None,
        }
    }

    /// Waits until the bridge is closed.
    pub async fn wait_closed(&self) {
        let mut closed = self.closed.subscribe();
        let _ = closed.wait_for(|c| *c).await;
    }

    /// Closes the bridge: every waiting request fails, the page is told.
    pub fn close(&self) {
        let waiting: Vec<Entry> = {
            let mut s = self.lock();
            if s.closed {
                return;
            }
            s.closed = true;
            s.queue.clear();
            s.order.clear();
            s.requests.drain().map(|(_, e)| e).collect()
        };
        for e in waiting {
            let _ = e.reply.send(Err(RequestError::Closed(
                "the browser-wallet bridge was shut down".into(),
            )));
        }
        self.closed.send_replace(true);
        self.work.notify_waiters();
    }

    /// A snapshot for status displays.
    pub fn status(&self) -> BridgeStatus {
        let now = Instant::now();
        let s = self.lock();
        let pending: Vec<PendingRequest> = s
            .order
            .iter()
            .filter_map(|id| s.requests.get(id).map(|e| (id, e)))
            .map(|(id, e)| PendingRequest {
                id: id.clone(),
                method: e.method.clone(),
                delivered: e.delivered,
                age_ms: millis(now - e.created),
                left_ms: millis(e.deadline.saturating_duration_since(now)),
            })
            .collect();
        let seen = s.page_seen.map(|t| now - t);
        let page_open = !s.closed
            && (s.polls > 0
                || pending.iter().any(|p| p.delivered)
                || seen.is_some_and(|d| d < POLL_WAIT + Duration::from_secs(10)));
        BridgeStatus {
            page_open,
            page_last_seen_ms: seen.map(millis),
            wallet: self.wallet(),
            pending,
            closed: s.closed,
        }
    }
}

struct PollDone<'a>(&'a Shared);

impl Drop for PollDone<'_> {
    fn drop(&mut self) {
        let mut s = self.0.lock();
        s.polls = s.polls.saturating_sub(1);
        s.page_seen = Some(Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use tidepool_sdk::wallet::ProviderError;

    #[tokio::test]
    async fn a_request_is_answered_once() {
        let s = Shared::new(1, Duration::from_secs(5));
        let (id, rx) = s
            .enqueue("eth_chainId", json!([]), Duration::from_secs(5))
            .unwrap();
        // Not delivered yet: nobody may answer it.
        assert_eq!(
            s.answer(&id, Ok(json!("0x1"))),
            Err(AnswerRefused::NotWaiting)
        );
        let d = s.next(Duration::from_millis(10)).await.unwrap().unwrap();
        assert_eq!(
            (d.id.as_str(), d.method.as_str()),
            (id.as_str(), "eth_chainId")
        );
        assert!(s.status().pending[0].delivered);
        assert_eq!(s.answer(&id, Ok(json!("0x1"))), Ok("eth_chainId".into()));
        assert_eq!(
            s.answer(&id, Ok(json!("0x2"))),
            Err(AnswerRefused::NotWaiting)
        );
        assert_eq!(rx.await.unwrap(), Ok(json!("0x1")));
        assert!(s.status().pending.is_empty());
    }

    #[tokio::test]
    async fn an_empty_poll_comes_back_and_close_fails_everyone() {
        let s = Shared::new(1, Duration::from_secs(5));
        assert!(s.next(Duration::from_millis(20)).await.unwrap().is_none());
        let (_, rx) = s
            .enqueue("eth_sendTransaction", json!([{}]), Duration::from_secs(5))
            .unwrap();
        s.close();
        assert!(matches!(rx.await.unwrap(), Err(RequestError::Closed(_))));
        assert!(s.next(Duration::from_millis(20)).await.is_err());
        assert!(
            s.enqueue("eth_chainId", json!([]), Duration::from_secs(1))
                .is_err()
        );
        assert!(s.wait_wallet().await.is_none());
    }

    #[tokio::test]
    async fn forgotten_requests_are_not_delivered_and_errors_pass_through() {
        let s = Shared::new(1, Duration::from_secs(5));
        let (a, _) = s.enqueue("a", json!([]), Duration::from_secs(5)).unwrap();
        let (b, rx) = s.enqueue("b", json!([]), Duration::from_secs(5)).unwrap();
        assert!(s.forget(&a));
        let d = s.next(Duration::from_millis(10)).await.unwrap().unwrap();
        assert_eq!(d.id, b);
        let err = ProviderError {
            code: 4001,
            message: "User rejected".into(),
        };
        s.answer(&b, Err(RequestError::Provider(err.clone())))
            .unwrap();
        assert_eq!(rx.await.unwrap(), Err(RequestError::Provider(err)));
        assert_eq!(random_hex::<32>().len(), 64);
        assert_eq!(ceil_secs(Duration::from_millis(1500)), 2);
    }
}
