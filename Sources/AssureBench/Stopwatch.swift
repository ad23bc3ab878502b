import Foundation

struct BenchSettings {
    var controls = 5000, owners = 200, gaps = 20000, logRows = 1_000_000, iterations = 30
    /// How long the ten writers of the team run write, on each store.
    var teamSeconds = 60.0
    var keep: String?
    /// `--json FILE`: the figures the README's table is made from.
    var json: String?
    /// `--markdown FILE`: the README's performance table from the same run.
    var markdown: String?
    /// `--reuse`: with `--keep PATH`, time the workspace already at PATH instead of building one
    /// (profiling one part again without waiting a minute for the synthetic build).
    var reuse = false
    /// `--only store,workbench,cli,oscal,typeII,team`: run only these parts.
    var only: Set<String>?
    /// `--samples FILE`: write every measurement's samples there (the workbench part run in a
    /// child process hands them back this way); the part runs in this process.
    var samples: String?

    func runs(_ part: String) -> Bool { only?.contains(part) ?? true }

    static func parse(_ arguments: ArraySlice<String>) -> BenchSettings {
        var settings = BenchSettings()
        var iterator = arguments.makeIterator()
        while let flag = iterator.next() {
            if flag == "--reuse" { settings.reuse = true; continue }
            let value = iterator.next() ?? ""
            switch flag {
            case "--controls": settings.controls = Int(value) ?? settings.controls
            case "--owners": settings.owners = Int(value) ?? settings.owners
            case "--gaps": settings.gaps = Int(value) ?? settings.gaps
            case "--log": settings.logRows = Int(value) ?? settings.logRows
            case "--iterations": settings.iterations = Int(value) ?? settings.iterations
            case "--team-seconds": settings.teamSeconds = Double(value) ?? settings.teamSeconds
            case "--keep": settings.keep = value
            case "--json": settings.json = value
            case "--markdown": settings.markdown = value
            case "--samples": settings.samples = value
            case "--only": settings.only = Set(value.split(separator: ",").map(String.init))
            default: FileHandle.standardError.write(Data("unknown option \(flag)\n".utf8)); exit(2)
            }
        }
        return settings
    }
}

enum Stopwatch {
    /// Milliseconds taken by `body`, on the monotonic clock.
    static func time(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
    }
}

struct Measurement {
    var median: Double { percentile(0.5) }
    var name: String
    var samples: [Double]

    func percentile(_ p: Double) -> Double {
        let sorted = samples.sorted()
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded(.up)))]
    }

    static func printTable(_ results: [Measurement]) {
        let width = results.map(\.name.count).max() ?? 10
        print("\("operation".padding(toLength: width, withPad: " ", startingAt: 0))    median       p99       min   runs")
        for r in results {
            print(
                String(
                    format: "%@  %8.2f  %8.2f  %8.2f  %5d", r.name.padding(toLength: width, withPad: " ", startingAt: 0),
                    r.percentile(0.5), r.percentile(0.99), r.samples.min() ?? 0, r.samples.count))
        }
    }
}

func measure(_ name: String, _ iterations: Int, _ body: () -> Void) -> Measurement {
    body()  // warm-up
    return Measurement(name: name, samples: (0..<iterations).map { _ in Stopwatch.time(body) })
}
