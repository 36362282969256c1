//! The pool page's candle chart, read from screenshots: candle-coloured
//! pixels inside the chart's plot area.

use super::gui::Gui;

/// CandleChart's up and down candle colours (ui/src/components/CandleChart.tsx).
const CANDLE_UP: [u8; 3] = [0x26, 0xa6, 0x9a];
const CANDLE_DOWN: [u8; 3] = [0xef, 0x53, 0x50];

/// Candle-coloured pixels in a rectangle of a screenshot.
#[derive(Debug, Default)]
pub struct CandlePixels {
    pub up: usize,
    pub down: usize,
    /// Columns with at least 3 candle-coloured pixels: candle bodies and
    /// wicks, not the 1 px last-price line across the pane.
    pub columns: usize,
}

impl CandlePixels {
    pub fn drawn(&self) -> bool {
        self.up + self.down >= 100 && self.columns >= 3
    }
}

/// Counts candle colours (within a small tolerance, for antialiasing) in the
/// `[x, y, width, height]` rectangle (device pixels) of a PNG screenshot.
pub fn candle_pixels(png_bytes: &[u8], rect: [f64; 4]) -> CandlePixels {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().expect("a PNG screenshot");
    let mut buf = vec![0; reader.output_buffer_size().expect("a screenshot's size")];
    let info = reader
        .next_frame(&mut buf)
        .expect("the screenshot's pixels");
    let channels = info.color_type.samples();
    let (w, h) = (info.width as usize, info.height as usize);
    let clamp = |v: f64, max: usize| (v.max(0.0) as usize).min(max);
    let (x0, y0) = (clamp(rect[0].ceil(), w), clamp(rect[1].ceil(), h));
    let (x1, y1) = (
        clamp((rect[0] + rect[2]).floor(), w),
        clamp((rect[1] + rect[3]).floor(), h),
    );
    let near = |p: &[u8], c: [u8; 3]| p.iter().zip(c).all(|(a, b)| a.abs_diff(b) <= 12);
    let mut n = CandlePixels::default();
    for x in x0..x1 {
        let mut in_column = 0;
        for y in y0..y1 {
            let i = (y * w + x) * channels;
            let p = &buf[i..i + 3];
            if near(p, CANDLE_UP) {
                n.up += 1;
                in_column += 1;
            } else if near(p, CANDLE_DOWN) {
                n.down += 1;
                in_column += 1;
            }
        }
        if in_column >= 3 {
            n.columns += 1;
        }
    }
    n
}

/// Waits (up to 10 s) for candles in the pool page's chart, saves the
/// screenshot as `name` and asserts that it shows candles inside the chart's
/// plot area (its largest canvas: the price and time axes, which carry a
/// candle-coloured last-price label, are left out).
pub async fn assert_candles_drawn(gui: &Gui, name: &str) -> CandlePixels {
    wait_for_candles(gui, name, 10, |n| n.drawn()).await
}

/// Like [`assert_candles_drawn`], but waits up to `secs` for the chart to
/// satisfy `enough` (the page follows a chain that is still being indexed),
/// then saves the screenshot and asserts candles are drawn; the caller
/// asserts its own bar on the returned count.
pub async fn wait_for_candles(
    gui: &Gui,
    name: &str,
    secs: u64,
    enough: impl Fn(&CandlePixels) -> bool,
) -> CandlePixels {
    let area = || async {
        let v = gui
            .c
            .execute(
                "const el = document.querySelector(\"[data-testid='pool-chart']\");
                 const canvases = el ? Array.from(el.querySelectorAll('canvas')) : [];
                 if (canvases.length === 0) return null;
                 const pane = canvases.reduce((a, b) => (a.width * a.height >= b.width * b.height ? a : b));
                 const r = pane.getBoundingClientRect();
                 const k = window.devicePixelRatio || 1;
                 return [r.x * k, r.y * k, r.width * k, r.height * k];",
                vec![],
            )
            .await
            .unwrap();
        serde_json::from_value::<Option<[f64; 4]>>(v).unwrap()
    };
    let t = std::time::Instant::now();
    loop {
        let drawn = match (area().await, gui.c.screenshot().await) {
            (Some(rect), Ok(png)) if png.len() > 1000 => enough(&candle_pixels(&png, rect)),
            _ => false,
        };
        if drawn || t.elapsed().as_secs() >= secs {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    let png = gui.shot(name).await.expect("a screenshot of the chart");
    let rect = area().await.expect("the chart's canvas");
    let n = candle_pixels(&png, rect);
    assert!(
        n.drawn(),
        "no candles drawn in the chart's plot area {rect:?} of screenshot {name}: {n:?}"
    );
    let errors = gui
        .c
        .execute("return window.__tidepoolErrors.join(' | ')", vec![])
        .await
        .unwrap();
    assert_eq!(errors, "", "uncaught errors in the page (chart {name})");
    n
}
