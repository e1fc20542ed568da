/// A small SVG chart writer: line charts with axes and ticks, and labelled
/// scatter plots. No plotting library needed.
struct SVGChart {
    /// A labelled point of a scatter plot.
    struct Point {
        let x: Double
        let y: Double
        let label: String
        /// Drawn larger and in the accent colour.
        let highlighted: Bool
    }

    let title: String
    let xLabel: String
    let yLabel: String
    private let width = 720.0, height = 480.0
    private let left = 80.0, right = 30.0, top = 50.0, bottom = 60.0

    init(title: String, xLabel: String, yLabel: String) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    /// A line chart of `values` at x = 1, 2, ….
    func line(_ values: [Double]) -> String {
        let xs = values.indices.map { Double($0 + 1) }
        let (x0, x1) = (1.0, Double(max(values.count, 2)))
        let (y0, y1) = padded(values.min() ?? 0, values.max() ?? 1)
        var body = axes(x0, x1, y0, y1, integerX: true)
        let points = zip(xs, values).map { "\(fmt(sx($0, x0, x1))),\(fmt(sy($1, y0, y1)))" }.joined(separator: " ")
        body += "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2.5\" points=\"\(points)\"/>\n"
        for (x, y) in zip(xs, values) {
            body += "<circle cx=\"\(fmt(sx(x, x0, x1)))\" cy=\"\(fmt(sy(y, y0, y1)))\" r=\"3.5\" fill=\"#1f77b4\"/>\n"
        }
        return document(body)
    }

    /// A scatter plot with a text label beside each point.
    func scatter(_ points: [Point]) -> String {
        let (x0, x1) = padded(points.map(\.x).min() ?? 0, points.map(\.x).max() ?? 1)
        let (y0, y1) = padded(points.map(\.y).min() ?? 0, points.map(\.y).max() ?? 1)
        var body = axes(x0, x1, y0, y1, integerX: false)
        for p in points {
            let (x, y) = (sx(p.x, x0, x1), sy(p.y, y0, y1))
            let colour = p.highlighted ? "#d62728" : "#1f77b4"
            body += "<circle cx=\"\(fmt(x))\" cy=\"\(fmt(y))\" r=\"\(p.highlighted ? 6 : 4)\" fill=\"\(colour)\" fill-opacity=\"0.8\"/>\n"
            body += "<text x=\"\(fmt(x + 8))\" y=\"\(fmt(y + 4))\" font-size=\"\(p.highlighted ? 15 : 12)\" fill=\"\(colour)\""
                + (p.highlighted ? " font-weight=\"bold\"" : "") + ">\(escape(p.label))</text>\n"
        }
        return document(body)
    }

    private func padded(_ low: Double, _ high: Double) -> (Double, Double) {
        let span = high - low
        if span <= 0 { return (low - 1, high + 1) }
        return (low - 0.08 * span, high + 0.08 * span)
    }

    private func sx(_ x: Double, _ x0: Double, _ x1: Double) -> Double { left + (x - x0) / (x1 - x0) * (width - left - right) }
    private func sy(_ y: Double, _ y0: Double, _ y1: Double) -> Double { height - bottom - (y - y0) / (y1 - y0) * (height - top - bottom) }

    private func axes(_ x0: Double, _ x1: Double, _ y0: Double, _ y1: Double, integerX: Bool) -> String {
        let (plotLeft, plotRight, plotTop, plotBottom) = (left, width - right, top, height - bottom)
        var s = "<rect x=\"\(fmt(plotLeft))\" y=\"\(fmt(plotTop))\" width=\"\(fmt(plotRight - plotLeft))\" height=\"\(fmt(plotBottom - plotTop))\" fill=\"#fafafa\" stroke=\"#333\"/>\n"
        for t in ticks(x0, x1, integer: integerX) {
            let x = sx(t, x0, x1)
            s += "<line x1=\"\(fmt(x))\" y1=\"\(fmt(plotBottom))\" x2=\"\(fmt(x))\" y2=\"\(fmt(plotBottom + 5))\" stroke=\"#333\"/>\n"
            s += "<text x=\"\(fmt(x))\" y=\"\(fmt(plotBottom + 20))\" font-size=\"12\" text-anchor=\"middle\">\(label(t))</text>\n"
        }
        for t in ticks(y0, y1, integer: false) {
            let y = sy(t, y0, y1)
            s += "<line x1=\"\(fmt(plotLeft - 5))\" y1=\"\(fmt(y))\" x2=\"\(fmt(plotRight))\" y2=\"\(fmt(y))\" stroke=\"#ddd\"/>\n"
            s += "<text x=\"\(fmt(plotLeft - 8))\" y=\"\(fmt(y + 4))\" font-size=\"12\" text-anchor=\"end\">\(label(t))</text>\n"
        }
        s += "<text x=\"\(fmt((plotLeft + plotRight) / 2))\" y=\"\(fmt(height - 15))\" font-size=\"14\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        s += "<text x=\"20\" y=\"\(fmt((plotTop + plotBottom) / 2))\" font-size=\"14\" text-anchor=\"middle\" transform=\"rotate(-90 20 \(fmt((plotTop + plotBottom) / 2)))\">\(escape(yLabel))</text>\n"
        return s
    }

    /// About six round tick values covering [low, high].
    private func ticks(_ low: Double, _ high: Double, integer: Bool) -> [Double] {
        var step = 1.0
        let raw = (high - low) / 6
        guard raw.isFinite, raw > 0 else { return low.isFinite ? [low] : [] }  // one value, or a span too wide to tick
        while step > raw { step /= 10 }
        while step * 10 <= raw { step *= 10 }
        if step * 5 <= raw { step *= 5 } else if step * 2 <= raw { step *= 2 }
        if integer { step = max(1, step.rounded()) }
        var t = (low / step).rounded(.up) * step
        var out: [Double] = []
        while t <= high + step * 1e-9 && out.count < 50 {
            out.append(t)
            t += step
        }
        return out
    }

    private func label(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e9 { return String(Int(value)) }
        var text = String(value)
        if let dot = text.firstIndex(of: "."), text.distance(from: dot, to: text.endIndex) > 5 {
            text = String((value * 10_000).rounded() / 10_000)
        }
        return text
    }

    private func document(_ body: String) -> String {
        """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="sans-serif">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(fmt(width / 2))" y="30" font-size="18" text-anchor="middle">\(escape(title))</text>
        \(body)</svg>

        """
    }

    private func fmt(_ v: Double) -> String { String((v * 10).rounded() / 10) }

    private func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
