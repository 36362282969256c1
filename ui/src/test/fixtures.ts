import type { AppStatus, FeeOptions, PresetView, SentTxView, Simulation, SwapQuote, TokenListView, TokenView, TxResult, WalletState } from "../bindings";
import type { Settings } from "../bindings";

export const DEV0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
export const DEV1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
export const USDC_ADDR = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
export const DAI_ADDR = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
export const PAIR = "0xCafac3dD18aC6c6e92c921884f9E4176737C052c";

const TRUSTED = { verified: true, confirmed: false, imitates: null, oddities: [], warning: null } satisfies Partial<TokenView>;

export const ETH: TokenView = { address: "ETH", symbol: "ETH", name: "Ether", decimals: 18, source: "native", balance: "10000000000000000000", priceUsd: 2000, lists: [], ...TRUSTED };
export const USDC: TokenView = { address: USDC_ADDR, symbol: "USDC", name: "USD Coin", decimals: 6, source: "manifest", balance: "5000000000", priceUsd: 1, lists: ["Tidepool Devnet", "the deployment's manifest"], ...TRUSTED };
export const DAI: TokenView = { address: DAI_ADDR, symbol: "DAI", name: "Dai Stablecoin", decimals: 18, source: "indexed", balance: "5000000000000000000000", priceUsd: null, lists: ["Tidepool Devnet"], ...TRUSTED };
/** A token found in a pool, on none of the lists and not confirmed: trading it needs a confirmation. */
export const SCAM_ADDR = "0xDc64a140Aa3E981100a9becA4E685f962f0cF6C9";
export const SCAM: TokenView = {
  address: SCAM_ADDR,
  symbol: "USDC",
  name: "USD Coin",
  decimals: 6,
  source: "indexed",
  balance: "0",
  priceUsd: null,
  lists: [],
  verified: false,
  confirmed: false,
  imitates: USDC_ADDR,
  oddities: [],
  warning: `Imitates the listed USDC at ${USDC_ADDR}: this is another token. Anyone can create a token with any name and symbol.`,
};
/** An unlisted, unconfirmed token that imitates nothing. */
export const PEPE_ADDR = "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0";
export const PEPE: TokenView = {
  address: PEPE_ADDR,
  symbol: "PEPE",
  name: "Pepe",
  decimals: 18,
  source: "indexed",
  balance: "1000000000000000000000",
  priceUsd: null,
  lists: [],
  verified: false,
  confirmed: false,
  imitates: null,
  oddities: [],
  warning: `On none of your token lists. Anyone can create a token with any name and symbol: check the full address ${PEPE_ADDR} where you trust before the first trade.`,
};
export const TOKENS = [ETH, USDC, DAI];

export const settings: Settings = {
  rpcUrl: "http://127.0.0.1:8545",
  chainId: 31337,
  slippageBps: 50,
  deadlineMins: 20,
  autoLockMins: 15,
  allowHighImpact: false,
  manifestPath: null,
  feeSpeed: "normal",
  feeCapGwei: null,
};

export const devWallet: WalletState = {
  hasKeystore: false,
  unlocked: false,
  accounts: [
    { address: DEV0, label: "Dev 0", kind: "dev", testOnly: true },
    { address: DEV1, label: "Dev 1", kind: "dev", testOnly: true },
  ],
  active: DEV0,
  autoLockMins: 15,
  remote: null,
};

export function status(over: Partial<AppStatus> = {}): AppStatus {
  return {
    connection: {
      connected: true,
      rpcUrl: settings.rpcUrl,
      chainId: 31337,
      expectedChainId: 31337,
      chainMatches: true,
      blockNumber: 42,
      problem: null,
      resets: 0,
    },
    index: { checkpoint: 40, target: 42, following: false, events: 10, error: null },
    wallet: devWallet,
    ...over,
  };
}

/** 1 ETH -> 1990.5 USDC via DAI, min received 1980.547500 USDC; $2,000.00 in, $1,990.50 out. */
export function quote(over: Partial<SwapQuote> = {}): SwapQuote {
  return {
    id: "q1",
    kind: "exactIn",
    tokenIn: ETH,
    tokenOut: USDC,
    amountIn: "1000000000000000000",
    amountOut: "1990500000",
    limit: "1980547500",
    slippageBps: 50,
    deadlineMins: 20,
    route: [
      { pair: PAIR, tokenIn: "0xWETH", tokenOut: DAI_ADDR, symbolIn: "WETH", symbolOut: "DAI" },
      { pair: PAIR, tokenIn: DAI_ADDR, tokenOut: USDC_ADDR, symbolIn: "DAI", symbolOut: "USDC" },
    ],
    priceImpactBps: 37,
    impactTier: "none",
    executionPrice: 1990.5,
    lpFee: "6000000000000000",
    transferFeeBps: null,
    amountReceived: null,
    usdIn: 2000,
    usdOut: 1990.5,
    needsApproval: false,
    quotedAt: 0,
    block: 42,
    ...over,
  };
}

export const GWEI = 1_000_000_000n;

/** Base fee 10 gwei; slow 20.1 / tip 0.1, normal 21 / tip 1, fast 23 / tip 3 gwei; no cap. */
export function feeOptions(over: Partial<FeeOptions> = {}): FeeOptions {
  return {
    baseFeeWei: String(10n * GWEI),
    presets: [
      { speed: "slow", maxFeeWei: String(20n * GWEI + GWEI / 10n), priorityFeeWei: String(GWEI / 10n) },
      { speed: "normal", maxFeeWei: String(21n * GWEI), priorityFeeWei: String(GWEI) },
      { speed: "fast", maxFeeWei: String(23n * GWEI), priorityFeeWei: String(3n * GWEI) },
    ],
    capWei: null,
    ...over,
  };
}

/** Gas 150,000 (limit 180,000) at 21 gwei max: expected 0.00165 ETH, at most 0.00378 ETH. */
export function simulation(over: Partial<Simulation> = {}): Simulation {
  return {
    changes: [],
    gas: 150000,
    gasLimit: 180000,
    feeExpectedWei: "1650000000000000",
    feeWorstWei: "3780000000000000",
    maxFeePerGasWei: String(21n * GWEI),
    ...over,
  };
}

export function txResult(over: Partial<TxResult> = {}): TxResult {
  return { hash: "0x" + "99".repeat(32), block: 50, gasUsed: 100000, changes: [], feePaidWei: "1200000000000000", check: null, ...over };
}

export function sentTx(over: Partial<SentTxView> = {}): SentTxView {
  return {
    hash: "0x" + "aa".repeat(32),
    kind: "swap",
    state: "pending",
    replacedBy: null,
    replaces: null,
    nonce: 7,
    maxFeePerGas: String(21n * GWEI),
    block: null,
    feePaidWei: null,
    sentAt: 1_700_000_000,
    ...over,
  };
}

/** The deployments Settings offers (as `market_presets` answers). */
export const PRESETS: PresetView[] = [
  { id: "uniswap-v2-ethereum", name: "Uniswap V2", chainId: 1, factory: "0x5C69bEe701ef814a2B6a3EDD4B1652CB9cc5aA6f", router: "0x7a250d5630B4cF539739dF2C5dAcb4c659F2488D" },
  { id: "sushiswap-ethereum", name: "SushiSwap", chainId: 1, factory: "0xC0AEe478e3658e2610c5F7A4A2E1777cE9e4f2Ac", router: "0xd9e1cE17f2641f24aE83637ab66a2cca9C378B9F" },
];

/** The handlers every screen needs at start. */
export function baseHandlers(over: Partial<AppStatus> = {}) {
  return {
    status: () => status(over),
    settings_get: () => settings,
    tokens_list: () => TOKENS,
    subscribe: () => null,
    fee_options: () => feeOptions(),
    tx_list: () => [] as SentTxView[],
    market_presets: () => PRESETS,
    token_lists: () => [] as TokenListView[],
  };
}
