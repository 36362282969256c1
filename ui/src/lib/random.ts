import { Mnemonic, randomBytes } from "ethers";

export { Mnemonic, randomBytes };

/** Uniform integer in [0, n) from the CSPRNG (rejection sampling, no modulo bias). */
export function randomInt(n: number): number {
  if (n <= 0 || n > 256) throw new Error("randomInt: 1..256");
  const limit = 256 - (256 % n);
  for (;;) {
    const b = randomBytes(1)[0] ?? 0;
    if (b < limit) return b % n;
  }
}
