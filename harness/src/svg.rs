//! A failing execution drawn as swimlanes, readable without hovering: a
//! lane per thread, one column per event; seed functions as labelled bars
//! (nested ones below their caller), lock holds as labelled bars named by
//! lock instance, the events as dots (blocking ones labelled), decisive
//! steps ringed, preemptions as dashed lines, wakeups as arrows, the
//! failing step in red and named; a legend at the top.

use crate::explain::{blocking, Reading, Span};
use model::trace::Event;
use std::fmt::Write;

const COL: usize = 16;
const ROW: usize = 16;
const LEFT: usize = 110;
const TOP: usize = 78;
/// Roughly the width of one character at the bars' font size.
const CHAR: usize = 6;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// `text`, cut to fit `width` pixels.
fn fit(text: &str, width: usize) -> String {
    let n = width.saturating_sub(4) / CHAR;
    if text.chars().count() <= n {
        text.to_string()
    } else if n >= 2 {
        text.chars().take(n - 1).collect::<String>() + "…"
    } else {
        String::new()
    }
}

fn x(i: usize) -> usize {
    LEFT + i * COL + COL / 2
}

/// Rows of lock holds per thread: each hold in the first row free at its
/// start.
fn lock_rows(holds: &[Span], tid: usize, end: usize) -> Vec<(Span, usize)> {
    let mut rows: Vec<usize> = Vec::new();
    let mut out = Vec::new();
    for h in holds.iter().filter(|h| h.tid == tid) {
        let stop = h.end.unwrap_or(end);
        let row = match rows.iter().position(|&free| free <= h.start) {
            Some(r) => r,
            None => {
                rows.push(0);
                rows.len() - 1
            }
        };
        rows[row] = stop + 1;
        out.push((*h, row));
    }
    out
}

fn short(e: &Event) -> String {
    format!("{} {}", e.op.name(), e.obj.class)
}

/// Renders `r` (the failing event last, named `check`) as an SVG document.
pub fn render(title: &str, r: &Reading, check: &str) -> String {
    let events = r.events;
    let n = events.len();
    let threads = r.threads();
    // Per thread: call rows (max depth + 1), lock rows, one event row.
    let mut lanes = Vec::new();
    let mut y = TOP;
    for t in 0..threads {
        let calls = r
            .calls
            .iter()
            .filter(|c| c.tid == t)
            .map(|c| c.depth + 1)
            .max()
            .unwrap_or(0);
        let locks = lock_rows(&r.holds, t, n);
        let lock_n = locks.iter().map(|(_, row)| row + 1).max().unwrap_or(0);
        let height = (calls + lock_n + 4) * ROW + 8;
        lanes.push((y, calls, locks, height));
        y += height;
    }
    let width = LEFT + COL * n + 420;
    let height = y + 90;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="monospace" font-size="10">"#
    );
    let _ = writeln!(
        s,
        r##"<rect width="{width}" height="{height}" fill="#ffffff"/><text x="4" y="16" font-size="13" font-weight="bold">{}</text>"##,
        esc(title)
    );
    legend(&mut s);
    for (t, (ly, calls, locks, h)) in lanes.iter().enumerate() {
        let _ = writeln!(
            s,
            r##"<rect x="0" y="{ly}" width="{width}" height="{h}" fill="{}"/><text x="4" y="{}" font-size="11" font-weight="bold">{}</text>"##,
            if t % 2 == 0 { "#f4f4f4" } else { "#ffffff" },
            ly + 14,
            esc(&r.thread(t))
        );
        for c in r.calls.iter().filter(|c| c.tid == t) {
            let stop = c.end.unwrap_or(n);
            let bx = x(c.start) - COL / 2;
            let w = (stop - c.start).max(1) * COL;
            let by = ly + 4 + c.depth * ROW;
            let label = format!("{}  {}", c.name, events[c.start].seed.unwrap_or(""));
            let _ = writeln!(
                s,
                r##"<rect x="{bx}" y="{by}" width="{w}" height="{}" rx="3" fill="#b8e0b0" stroke="#5a9a50"><title>{}</title></rect><text x="{}" y="{}">{}</text>"##,
                ROW - 2,
                esc(&label),
                bx + 3,
                by + ROW - 5,
                esc(&fit(&label, w))
            );
        }
        for (hold, row) in locks {
            let stop = hold.end.unwrap_or(n);
            let bx = x(hold.start);
            let w = (stop - hold.start).max(1) * COL;
            let by = ly + 4 + (calls + row) * ROW;
            let label = format!("{}#{}", hold.name.class, hold.name.index);
            let _ = writeln!(
                s,
                r##"<rect x="{bx}" y="{by}" width="{w}" height="{}" rx="3" fill="#a9c8ee" stroke="#4a78b0"><title>holds {} {}</title></rect><text x="{}" y="{}">{}</text>"##,
                ROW - 2,
                hold.name.kind,
                esc(&label),
                bx + 3,
                by + ROW - 5,
                esc(&fit(&label, w))
            );
        }
    }
    let dot_y = |t: usize| {
        let (ly, calls, locks, _) = &lanes[t];
        let lock_n = locks.iter().map(|(_, row)| row + 1).max().unwrap_or(0);
        ly + 4 + (calls + lock_n) * ROW + ROW / 2
    };
    for p in &r.preemptions {
        let px = x(p.at) - COL / 2;
        let _ = writeln!(
            s,
            r##"<line x1="{px}" y1="{}" x2="{px}" y2="{height}" stroke="#e08000" stroke-width="2" stroke-dasharray="5,3"/><text x="{}" y="{}" fill="#b06000" font-weight="bold">preempt t{}→t{}</text>"##,
            TOP - 12,
            px + 3,
            TOP - 3,
            p.from,
            p.to
        );
    }
    for &(sig, woke) in &r.wakeups {
        let _ = writeln!(
            s,
            r##"<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#8040c0" stroke-width="1.5" marker-end="url(#arrow)"/>"##,
            x(sig),
            dot_y(events[sig].tid),
            x(woke),
            dot_y(events[woke].tid)
        );
    }
    let last = n.saturating_sub(1);
    for (i, e) in events.iter().enumerate() {
        let cx = x(i);
        let cy = dot_y(e.tid);
        let (color, radius) = if i == last {
            ("#d00000", 6)
        } else if blocking(e.op) {
            ("#202020", 4)
        } else {
            ("#909090", 2)
        };
        if r.decisive.contains_key(&i) {
            let _ = writeln!(
                s,
                r##"<circle cx="{cx}" cy="{cy}" r="7" fill="none" stroke="#e08000" stroke-width="2"/>"##
            );
        }
        let _ = writeln!(
            s,
            r#"<circle cx="{cx}" cy="{cy}" r="{radius}" fill="{color}"><title>{i}: {}</title></circle>"#,
            esc(&format!("{} {e}", r.thread(e.tid)))
        );
        if blocking(e.op) && i != last {
            let _ = writeln!(
                s,
                r##"<text x="{}" y="{}" fill="#202020" transform="rotate(35 {} {})">{}</text>"##,
                cx + 5,
                cy + 10,
                cx + 5,
                cy + 10,
                esc(&short(e))
            );
        }
    }
    if let Some(e) = events.last() {
        let cx = x(last);
        let _ = writeln!(
            s,
            r##"<line x1="{cx}" y1="{}" x2="{cx}" y2="{height}" stroke="#d00000" stroke-width="1.5"/><text x="{}" y="{}" fill="#d00000" font-size="12" font-weight="bold">✗ {} at step {last}: {}</text>"##,
            TOP - 12,
            cx + 8,
            dot_y(e.tid) + 4,
            esc(check),
            esc(&short(e))
        );
    }
    s.push_str("</svg>\n");
    s
}

fn legend(s: &mut String) {
    let _ = writeln!(
        s,
        r##"<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="7" refY="4" orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#8040c0"/></marker></defs>"##
    );
    let items: [(&str, &str); 6] = [
        (
            r##"<rect width="22" height="10" rx="3" fill="#b8e0b0" stroke="#5a9a50"/>"##,
            "seed function",
        ),
        (
            r##"<rect width="22" height="10" rx="3" fill="#a9c8ee" stroke="#4a78b0"/>"##,
            "lock held",
        ),
        (
            r##"<circle cx="11" cy="5" r="4" fill="#202020"/>"##,
            "blocking event (small: other steps)",
        ),
        (
            r##"<circle cx="11" cy="5" r="6" fill="none" stroke="#e08000" stroke-width="2"/>"##,
            "decisive step",
        ),
        (
            r##"<line x1="11" y1="-2" x2="11" y2="12" stroke="#e08000" stroke-width="2" stroke-dasharray="4,2"/>"##,
            "preemption",
        ),
        (
            r##"<line x1="0" y1="5" x2="22" y2="5" stroke="#8040c0" stroke-width="1.5" marker-end="url(#arrow)"/>"##,
            "wakeup",
        ),
    ];
    let mut lx = 4;
    for (shape, text) in items {
        let _ = writeln!(
            s,
            r#"<g transform="translate({lx},28)">{shape}<text x="28" y="9">{text}</text></g>"#
        );
        lx += 40 + text.len() * CHAR;
    }
    let _ = writeln!(
        s,
        r##"<g transform="translate({lx},28)"><circle cx="6" cy="5" r="5" fill="#d00000"/><text x="16" y="9">failing step</text></g>"##
    );
}
