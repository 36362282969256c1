import { Mnemonic, randomBytes, randomInt } from "./random";

export { Mnemonic };

/** A fresh 12-word BIP-39 phrase (128 bits of entropy), generated here in the UI. */
export function generatePhrase(): string {
  return Mnemonic.fromEntropy(randomBytes(16)).phrase;
}

/** `count` distinct 1-based positions out of `total`, sorted. */
export function pickPositions(total: number, count: number, rand: (n: number) => number = randomInt): number[] {
  const chosen = new Set<number>();
  while (chosen.size < Math.min(count, total)) chosen.add(rand(total) + 1);
  return [...chosen].sort((a, b) => a - b);
}

/** Whether the typed words match the phrase at the asked (1-based) positions. */
export function confirmationMatches(phrase: string, answers: Record<number, string>, positions: number[]): boolean {
  const words = phrase.trim().split(/\s+/);
  return positions.every((p) => {
    const want = words[p - 1];
    const got = (answers[p] ?? "").trim().toLowerCase();
    return want !== undefined && got === want.toLowerCase();
  });
}

export function isValidPhrase(phrase: string): boolean {
  return Mnemonic.isValidMnemonic(phrase.trim().toLowerCase().split(/\s+/).join(" "));
}
