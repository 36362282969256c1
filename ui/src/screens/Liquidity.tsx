import { useState } from "react";
import { AddLiquidity } from "./liquidity/AddLiquidity";
import { Positions } from "./liquidity/Positions";

export function Liquidity() {
  const [tab, setTab] = useState<"add" | "positions">("add");
  return (
    <section aria-labelledby="liq-title">
      <h1 id="liq-title">Liquidity</h1>
      <div className="subtabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === "add"} className={tab === "add" ? "tab active" : "tab"} data-testid="liq-tab-add" onClick={() => setTab("add")}>
          Add
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === "positions"}
          className={tab === "positions" ? "tab active" : "tab"}
          data-testid="liq-tab-positions"
          onClick={() => setTab("positions")}
        >
          Positions
        </button>
      </div>
      {tab === "add" ? <AddLiquidity /> : <Positions />}
    </section>
  );
}
