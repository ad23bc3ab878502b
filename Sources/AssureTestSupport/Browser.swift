import Foundation
import XCTest

/// Headless Chromium for tests of generated HTML: loads a page, runs its scripts and returns
/// the DOM as the browser built it, with the browser's log (console messages included).
public enum Browser {
    /// What the browser made of the page.
    public struct Dump: Sendable {
        public var dom: String
        /// Chromium's log: console messages appear as `INFO:CONSOLE…] "message", source: …`.
        public var log: String
        public var exitCode: Int32

        /// Lines of the page's console output and uncaught errors; the log's other noise (no
        /// display, no D-Bus, no GPU) is left out.
        public var consoleLines: [String] {
            log.components(separatedBy: "\n").filter { $0.contains(":CONSOLE") || $0.contains("Uncaught") }
        }
    }

    /// $CHROMIUM, then the usual install paths.
    public static func locate() -> String? {
        let candidates =
            [ProcessInfo.processInfo.environment["CHROMIUM"]].compactMap { $0 } + [
                "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable",
                "/snap/bin/chromium", "/Applications/Chromium.app/Contents/MacOS/Chromium",
                "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
            ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// The browser, or a skip; under CI=true a missing browser is a failure, so a broken CI
    /// image cannot turn the browser tests into silent skips.
    public static func require() throws -> String {
        if let found = locate() { return found }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            throw ProcessError(description: "CI=true but no Chromium was found (set CHROMIUM or install /usr/bin/chromium)")
        }
        throw XCTSkip("no Chromium found (set CHROMIUM to run the browser tests)")
    }

    /// Loads `page` (a file URL) headless and dumps its DOM once it has loaded. The timeout is
    /// only there so a wedged browser cannot hang the suite; coreutils' `timeout` kills the
    /// browser's whole process group.
    public static func dumpDOM(_ page: URL, browser: String, timeoutSeconds: Int = 300) throws -> Dump {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("assure-chromium-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: profile) }
        let arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--no-first-run", "--no-default-browser-check", "--disable-extensions",
            "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0",
            "--dump-dom", page.absoluteString,
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["DBUS_SESSION_BUS_ADDRESS"] = "disabled:"  // no session bus: fewer retries, less noise
        environment["HOME"] = profile.path
        let timeout = ["/usr/bin/timeout", "/bin/timeout"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let result =
            try timeout.map { try runProcess($0, ["-k", "10", "\(timeoutSeconds)", browser] + arguments, environment: environment) }
            ?? runProcess(browser, arguments, environment: environment)
        if result.exitCode == 124 || result.exitCode == 137 {
            throw ProcessError(description: "\(browser) did not finish within \(timeoutSeconds) s:\n\(result.stderr)")
        }
        return Dump(dom: result.stdout, log: result.stderr, exitCode: result.exitCode)
    }
}
