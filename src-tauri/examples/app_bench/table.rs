//! The figures table ([`Row`]s) as aligned text and as Markdown.

use std::fmt::Write as _;

/// One row of the table.
pub(crate) struct Row {
    figure: String,
    result: String,
    target: String,
    ratio: String,
}

/// A row from its four cells.
pub(crate) fn row(
    figure: impl Into<String>,
    result: impl Into<String>,
    target: &str,
    ratio: &str,
) -> Row {
    Row {
        figure: figure.into(),
        result: result.into(),
        target: target.into(),
        ratio: ratio.into(),
    }
}

/// Result ÷ target, to three decimals.
pub(crate) fn ratio(v: f64, target: f64) -> String {
    format!("{:.3}", v / target)
}

/// The rows as a plain-text table with aligned columns.
pub(crate) fn text_table(rows: &[Row]) -> String {
    let heads = ["figure", "result", "target", "ratio"];
    let cells = |r: &Row| {
        [
            r.figure.clone(),
            r.result.clone(),
            r.target.clone(),
            r.ratio.clone(),
        ]
    };
    let mut w = heads.map(|h| h.chars().count());
    for r in rows {
        for (i, c) in cells(r).iter().enumerate() {
            w[i] = w[i].max(c.chars().count());
        }
    }
    let line = |c: [String; 4]| {
        let pad = |s: &str, n: usize| format!("{s}{}", " ".repeat(n - s.chars().count()));
        format!(
            "{} | {} | {} | {}\n",
            pad(&c[0], w[0]),
            pad(&c[1], w[1]),
            pad(&c[2], w[2]),
            c[3]
        )
    };
    let mut out = line(heads.map(str::to_string));
    out.push_str(&format!(
        "{}-+-{}-+-{}-+-{}\n",
        "-".repeat(w[0]),
        "-".repeat(w[1]),
        "-".repeat(w[2]),
        "-".repeat(w[3])
    ));
    for r in rows {
        out.push_str(&line(cells(r)));
    }
    out
}

/// The rows as a Markdown table.
pub(crate) fn md_table(rows: &[Row]) -> String {
    let mut out = String::from("| figure | result | target | ratio |\n|---|---:|---|---:|\n");
    for r in rows {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            r.figure, r.result, r.target, r.ratio
        );
    }
    out
}
