/// Reduces theme colours to what the terminal can show: truecolor -> 256 -> 16 -> 8.
public enum ColorProfile {
    /// The 16 ANSI colours as xterm draws them, for nearest-colour matching.
    static let ansiRGB: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    public static func reduce(_ color: Color, to depth: ColorDepth) -> Color {
        switch (color, depth) {
        case (_, .monochrome): return .default
        case (.default, _): return .default
        case (_, .trueColor): return color
        case (.rgb(let r, let g, let b), .palette256): return .indexed(nearest256(Int(r), Int(g), Int(b)))
        case (.indexed(let n), .ansi16), (.indexed(let n), .ansi8):
            let ansi = n < 16 ? n : nearest16(rgb(of: n))
            return .ansi(depth == .ansi8 ? ansi % 8 : ansi)
        case (.rgb(let r, let g, let b), .ansi16), (.rgb(let r, let g, let b), .ansi8):
            let ansi = nearest16((Int(r), Int(g), Int(b)))
            return .ansi(depth == .ansi8 ? ansi % 8 : ansi)
        case (.ansi(let n), .ansi8): return .ansi(n % 8)
        default: return color
        }
    }

    /// The xterm-256 entry closest to an RGB colour: the 6x6x6 cube or the grey ramp.
    public static func nearest256(_ r: Int, _ g: Int, _ b: Int) -> UInt8 {
        func level(_ v: Int) -> Int { v < 48 ? 0 : (v < 115 ? 1 : (v - 35) / 40) }
        let steps = [0, 95, 135, 175, 215, 255]
        let (cr, cg, cb) = (level(r), level(g), level(b))
        let cube = 16 + 36 * cr + 6 * cg + cb
        let cubeDistance = distance((steps[cr], steps[cg], steps[cb]), (r, g, b))
        let average = (r + g + b) / 3
        let greyIndex = average > 238 ? 23 : max(0, (average - 3) / 10)
        let grey = 8 + 10 * greyIndex
        let greyDistance = distance((grey, grey, grey), (r, g, b))
        return UInt8(greyDistance < cubeDistance ? 232 + greyIndex : cube)
    }

    static func nearest16(_ c: (Int, Int, Int)) -> UInt8 {
        UInt8(ansiRGB.indices.min { distance(ansiRGB[$0], c) < distance(ansiRGB[$1], c) }!)
    }

    static func rgb(of index: UInt8) -> (Int, Int, Int) {
        let n = Int(index)
        if n < 16 { return ansiRGB[n] }
        if n >= 232 { let v = 8 + 10 * (n - 232); return (v, v, v) }
        let steps = [0, 95, 135, 175, 215, 255]
        let i = n - 16
        return (steps[i / 36], steps[(i / 6) % 6], steps[i % 6])
    }

    static func distance(_ a: (Int, Int, Int), _ b: (Int, Int, Int)) -> Int {
        // Weighted for the eye's sensitivity to green.
        let dr = a.0 - b.0
        let dg = a.1 - b.1
        let db = a.2 - b.2
        return 2 * dr * dr + 4 * dg * dg + 3 * db * db
    }
}
