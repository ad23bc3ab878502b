import Foundation

/// `String(format: "%.Nf", value)` without the format machinery, which was a tenth of
/// exporting the ranked backlog (two calls per gap). The result is the same text: the exact
/// binary value rounded to N decimals, halves to even, as C's printf does. Anything outside the
/// plain case (negative, not finite, very large) still goes through `String(format:)`.
public enum FixedPoint {
    public static func format(_ value: Double, digits: Int) -> String {
        guard (0...3).contains(digits), value.isFinite, value >= 0, value.sign == .plus, value < 1e12 else {
            return String(format: "%.\(digits)f", value)
        }
        let scale = [1.0, 10.0, 100.0, 1000.0][digits]
        // m = floor(value × scale), settled exactly: fma rounds once, so its sign is exact.
        var m = (value * scale).rounded(.down)
        while fma(value, scale, -m) < 0 { m -= 1 }
        while fma(value, scale, -(m + 1)) >= 0 { m += 1 }
        let rest = fma(value, scale, -(m + 0.5))
        if rest > 0 || (rest == 0 && m.truncatingRemainder(dividingBy: 2) != 0) { m += 1 }
        let units = UInt64(m)
        let whole = units / UInt64(scale)
        let fraction = units % UInt64(scale)
        guard digits > 0 else { return String(whole) }
        let decimals = String(fraction)
        return String(whole) + "." + String(repeating: "0", count: digits - decimals.count) + decimals
    }
}
