// Tidepool's browser-wallet bridge page. Plain JavaScript, no build step, no
// third-party code. Wallet-supplied strings only ever go into textContent.
'use strict';

(() => {
  const token = new URLSearchParams(location.search).get('token') || '';
  const $ = (id) => document.getElementById(id);
  const wallets = new Map(); // uuid -> { info, provider }
  let chosen = null;
  let looping = false;

  // ---- talking to Tidepool -------------------------------------------------

  function api(path, body) {
    const headers = { 'X-Bridge-Token': token };
    const init = { headers, cache: 'no-store', credentials: 'omit', redirect: 'error' };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.method = 'POST';
      init.body = JSON.stringify(body);
    }
    return fetch(path, init);
  }

  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

  function status(text) {
    $('status').textContent = text;
  }

  // ---- finding wallets (EIP-6963, then window.ethereum) --------------------

  function validIcon(icon) {
    return typeof icon === 'string' && /^data:image\/(svg\+xml|png|jpeg|webp|gif)[;,]/.test(icon);
  }

  function addWallet(info, provider) {
    if (!info || typeof info.uuid !== 'string' || typeof info.name !== 'string') return;
    if (!provider || typeof provider.request !== 'function') return;
    wallets.set(info.uuid, {
      info: {
        uuid: info.uuid,
        name: info.name.trim().slice(0, 80) || 'Unnamed wallet',
        rdns: typeof info.rdns === 'string' ? info.rdns.slice(0, 120) : null,
        icon: validIcon(info.icon) ? info.icon : null,
      },
      provider,
    });
    renderWallets();
  }

  window.addEventListener('eip6963:announceProvider', (ev) => {
    const d = ev && ev.detail;
    if (d) addWallet(d.info, d.provider);
  });

  function discover() {
    $('pick-hint').textContent = 'Looking for wallets in this browser…';
    window.dispatchEvent(new Event('eip6963:requestProvider'));
    setTimeout(() => {
      const eth = window.ethereum;
      if (wallets.size === 0 && eth && typeof eth.request === 'function') {
        addWallet({ uuid: 'injected', name: 'Injected wallet', rdns: null, icon: null }, eth);
      }
      renderWallets();
    }, 500);
  }

  function renderWallets() {
    const box = $('wallets');
    box.replaceChildren();
    for (const w of wallets.values()) {
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.uuid = w.info.uuid;
      if (w.info.icon) {
        const img = document.createElement('img');
        img.alt = '';
        img.src = w.info.icon;
        b.append(img);
      }
      const name = document.createElement('span');
      name.textContent = w.info.name;
      b.append(name);
      b.addEventListener('click', () => connect(w));
      box.append(b);
    }
    $('pick-hint').textContent = wallets.size
      ? 'Pick the wallet Tidepool should use:'
      : 'No wallet found in this browser yet. Install or unlock a wallet extension, then press “Look again”.';
  }

  // ---- connecting ----------------------------------------------------------

  async function report(w, accounts, chainId) {
    const r = await api('/api/connected', {
      name: w.info.name,
      rdns: w.info.rdns,
      accounts: Array.isArray(accounts) ? accounts.map(String) : [],
      chainId: chainId == null ? null : String(chainId),
    });
    if (!r.ok) throw new Error('Tidepool refused the connection (HTTP ' + r.status + ')');
  }

  function showConnected(w, accounts, chainId) {
    $('pick').hidden = true;
    $('connected').hidden = false;
    const icon = $('wallet-icon');
    icon.hidden = !w.info.icon;
    if (w.info.icon) icon.src = w.info.icon;
    const n = Array.isArray(accounts) ? accounts.length : 0;
    const list = n ? (n > 1 ? 'accounts ' : 'account ') + accounts.join(', ') : 'no account shared';
    $('wallet-text').textContent = w.info.name + ' — ' + list + ' — ' + chainName(chainId) + '.';
  }

  async function connect(w) {
    if (chosen) return;
    for (const b of $('wallets').querySelectorAll('button')) b.disabled = true;
    status('Asking ' + w.info.name + ' to share an account… (approve it in the wallet)');
    try {
      const accounts = await w.provider.request({ method: 'eth_requestAccounts' });
      const chainId = await w.provider.request({ method: 'eth_chainId' });
      await report(w, accounts, chainId);
      chosen = w;
      showConnected(w, accounts, chainId);
      follow(w, accounts, chainId);
      status('Connected to ' + w.info.name + '. Waiting for requests from Tidepool.');
      loop();
    } catch (e) {
      const err = toProviderError(e);
      status('Could not connect to ' + w.info.name + ': ' + err.message);
      for (const b of $('wallets').querySelectorAll('button')) b.disabled = false;
    }
  }

  // Keeps Tidepool told when the person switches account or network.
  function follow(w, accounts, chainId) {
    if (typeof w.provider.on !== 'function') return;
    const update = () => {
      showConnected(w, accounts, chainId);
      report(w, accounts, chainId).catch(() => {});
    };
    w.provider.on('accountsChanged', (a) => { accounts = a; update(); });
    w.provider.on('chainChanged', (c) => { chainId = c; update(); });
  }

  // ---- relaying requests ---------------------------------------------------

  async function loop() {
    if (looping) return;
    looping = true;
    let failures = 0;
    for (;;) {
      let r;
      try {
        r = await api('/api/next');
      } catch (_) {
        failures += 1;
        if (failures >= 3) status('Tidepool is not answering (it may have quit). Trying again…');
        await sleep(1000);
        continue;
      }
      if (failures >= 3) status('Connected to ' + chosen.info.name + '. Waiting for requests from Tidepool.');
      failures = 0;
      if (r.status === 204) continue;
      if (r.status === 403 || r.status === 503) {
        // The wallet stays shown (the log below names what it did), but no
        // longer as connected to Tidepool.
        $('connected-title').textContent = 'Was connected';
        status(r.status === 403
          ? 'This page’s link is no longer valid. Open the link Tidepool shows now.'
          : 'Tidepool closed this bridge. You can close this page.');
        return;
      }
      if (!r.ok) { await sleep(1000); continue; }
      await handle(await r.json());
    }
  }

  async function handle(req) {
    const entry = addEntry(req);
    const waitingText = 'Connected to ' + chosen.info.name + '. Waiting for requests from Tidepool.';
    if (!MINOR.has(req.method)) status('Tidepool asks something of ' + chosen.info.name + ': approve or reject it in the wallet.');
    const secs = Math.round(req.timeout_ms / 1000);
    let expired = false;
    const timer = setTimeout(() => {
      expired = true;
      entry('late', 'Tidepool stopped waiting after ' + secs + ' s. If the wallet still shows this request, reject it there.');
    }, req.timeout_ms);
    let answer;
    let outcome;
    try {
      const params = req.params == null ? undefined : req.params;
      const result = await chosen.provider.request({ method: req.method, params });
      answer = { id: req.id, result: result === undefined ? null : result };
      outcome = ['done', describeResult(req.method, result)];
    } catch (e) {
      const error = toProviderError(e);
      answer = { id: req.id, error };
      outcome = ['failed', describeFailure(error)];
    }
    clearTimeout(timer);
    status(waitingText);
    let r = null;
    try {
      r = await api('/api/answer', answer);
    } catch (_) {
      // reported below
    }
    if (r && r.ok) {
      entry(outcome[0], outcome[1]);
    } else if (r && r.status === 409) {
      const sent = req.method === 'eth_sendTransaction' && 'result' in answer;
      entry('late', (expired
        ? 'Tidepool stopped waiting after ' + secs + ' s; the wallet’s later answer was not used.'
        : 'Tidepool no longer waits for this request; the wallet’s answer was not used.') +
        (sent ? ' The wallet did send the transaction: check its activity.' : ''));
    } else {
      entry('failed', 'The wallet answered (' + outcome[1] + ') but Tidepool could not be told.');
    }
  }

  function toProviderError(e) {
    const code = e && Number.isInteger(e.code) ? e.code : -32603;
    let message = e && typeof e.message === 'string' ? e.message : String(e);
    message = message.slice(0, 500) || 'unknown error';
    return { code, message };
  }

  // ---- plain words ---------------------------------------------------------

  function chainName(id) {
    let n;
    try { n = id == null ? null : BigInt(id); } catch (_) { n = null; }
    if (n === null) return 'unknown network';
    const names = { 1: 'Ethereum mainnet', 11155111: 'Sepolia', 31337: 'the local devnet' };
    const known = names[n.toString()];
    return 'chain ' + n.toString() + (known ? ' (' + known + ')' : '');
  }

  function formatEth(value) {
    let wei;
    try { wei = BigInt(value || 0); } catch (_) { return String(value); }
    const unit = 10n ** 18n;
    const frac = (wei % unit).toString().padStart(18, '0').replace(/0+$/, '');
    return (wei / unit).toString() + (frac ? '.' + frac : '') + ' ETH';
  }

  function typedData(params) {
    const raw = Array.isArray(params) ? params[1] : null;
    try { return typeof raw === 'string' ? JSON.parse(raw) : raw || {}; } catch (_) { return {}; }
  }

  function describeRequest(method, params) {
    const p0 = Array.isArray(params) ? params[0] : null;
    switch (method) {
      case 'eth_requestAccounts':
      case 'eth_accounts':
        return 'Tidepool asks which account to use.';
      case 'eth_chainId':
        return 'Tidepool checks which network the wallet is on.';
      case 'eth_sendTransaction': {
        const tx = p0 || {};
        let s = 'Send a transaction from ' + tx.from + ' to ' + (tx.to || 'a new contract');
        s += ' sending ' + formatEth(tx.value);
        if (tx.data && tx.data !== '0x') s += ', calling a contract (' + ((tx.data.length - 2) / 2) + ' bytes of data)';
        return s + '.';
      }
      case 'eth_signTypedData_v4': {
        const t = typedData(params);
        const domain = t.domain || {};
        let s = 'Sign a “' + (t.primaryType || 'typed data') + '” message';
        if (domain.name) s += ' for ' + domain.name;
        if (domain.verifyingContract) s += ' (contract ' + domain.verifyingContract + ')';
        return s + ' with account ' + (Array.isArray(params) ? params[0] : 'unknown') + '. Signing sends nothing by itself.';
      }
      case 'wallet_switchEthereumChain':
        return 'Switch the wallet to ' + chainName(p0 && p0.chainId) + '.';
      default:
        return 'Tidepool asks: ' + method + '.';
    }
  }

  function describeResult(method, result) {
    switch (method) {
      case 'eth_requestAccounts':
      case 'eth_accounts':
        return 'Shared ' + (Array.isArray(result) && result.length ? result.join(', ') : 'no account') + '.';
      case 'eth_chainId':
        return 'The wallet is on ' + chainName(result) + '.';
      case 'eth_sendTransaction':
        return 'Sent. Transaction ' + result + '.';
      case 'eth_signTypedData_v4':
        return 'Signed.';
      case 'wallet_switchEthereumChain':
        return 'Switched.';
      default:
        return 'Done.';
    }
  }

  function describeFailure(err) {
    if (err.code === 4001) return 'Rejected in the wallet. Nothing was sent or signed.';
    return 'The wallet refused: ' + err.message + ' (code ' + err.code + ').';
  }

  // Requests that only read from the wallet: shown small.
  const MINOR = new Set(['eth_chainId', 'eth_accounts', 'eth_requestAccounts']);

  // Adds a request to the list; returns a function that sets its outcome.
  function addEntry(req) {
    $('idle').hidden = true;
    const li = document.createElement('li');
    li.dataset.state = 'waiting';
    li.dataset.method = req.method;
    if (MINOR.has(req.method)) li.className = 'minor';
    const what = document.createElement('div');
    what.className = 'what';
    what.textContent = describeRequest(req.method, req.params);
    const outcome = document.createElement('div');
    outcome.className = 'outcome';
    outcome.textContent = 'Waiting for the wallet…';
    li.append(what, outcome);
    const log = $('log');
    log.prepend(li);
    while (log.children.length > 50) log.lastElementChild.remove();
    return (state, text) => {
      li.dataset.state = state;
      outcome.textContent = text;
    };
  }

  // ---- start ---------------------------------------------------------------

  $('rescan').addEventListener('click', discover);
  discover();
  document.body.dataset.ready = 'true';
})();
