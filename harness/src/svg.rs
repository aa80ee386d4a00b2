//! A schedule drawn as swimlanes: one lane per thread, one column per
//! event, lock hold spans as bars, the failing step in red.

use model::trace::{Event, ObjName, Op};
use std::collections::BTreeMap;
use std::fmt::Write;

const COL: usize = 14;
const LANE: usize = 40;
const LEFT: usize = 120;
const TOP: usize = 30;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Renders `events` (the failing one last) as an SVG document.
pub fn render(title: &str, events: &[Event]) -> String {
    let lanes = events.iter().map(|e| e.tid).max().map_or(1, |m| m + 1);
    let width = LEFT + COL * (events.len() + 2);
    let height = TOP + LANE * lanes + 20;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="monospace" font-size="11">"#
    );
    let _ = writeln!(
        s,
        r#"<text x="4" y="16" font-weight="bold">{}</text>"#,
        esc(title)
    );
    for t in 0..lanes {
        let y = TOP + t * LANE;
        let _ = writeln!(
            s,
            r##"<rect x="0" y="{y}" width="{width}" height="{LANE}" fill="{}"/><text x="4" y="{}">thread {t}</text>"##,
            if t % 2 == 0 { "#f6f6f6" } else { "#ffffff" },
            y + LANE / 2 + 4
        );
    }
    // Lock hold spans: from acquisition to release (or the end).
    let mut open: BTreeMap<(usize, ObjName), usize> = BTreeMap::new();
    let mut spans = Vec::new();
    for (i, e) in events.iter().enumerate() {
        match e.op {
            Op::Enter | Op::TryEnterOk => {
                open.insert((e.tid, e.obj), i);
            }
            Op::Exit | Op::CvWait => {
                if let Some(start) = open.remove(&(e.tid, e.obj)) {
                    spans.push((e.tid, e.obj, start, i));
                }
            }
            _ => {}
        }
    }
    spans.extend(
        open.into_iter()
            .map(|((t, o), start)| (t, o, start, events.len())),
    );
    for (t, obj, a, b) in spans {
        let x = LEFT + a * COL + COL / 2;
        let w = (b - a).max(1) * COL;
        let y = TOP + t * LANE + LANE - 10;
        let _ = writeln!(
            s,
            r##"<rect x="{x}" y="{y}" width="{w}" height="6" fill="#7aa6da"><title>holds {}</title></rect>"##,
            esc(&obj.to_string())
        );
    }
    let last = events.len().saturating_sub(1);
    for (i, e) in events.iter().enumerate() {
        let x = LEFT + i * COL + COL / 2;
        let y = TOP + e.tid * LANE + LANE / 2 - 2;
        let color = if i == last { "#d00000" } else { "#333333" };
        let r = if i == last { 5 } else { 3 };
        let _ = writeln!(
            s,
            r#"<circle cx="{x}" cy="{y}" r="{r}" fill="{color}"><title>{i}: thread {} {}</title></circle>"#,
            e.tid,
            esc(&e.to_string())
        );
    }
    s.push_str("</svg>\n");
    s
}
