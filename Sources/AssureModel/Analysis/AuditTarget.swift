import Foundation

/// The audit a framework is being prepared for: its kind (SOC 2 Type 1 or 2, an ISO
/// certification) and, for a Type 2, the observation window.
public struct AuditTarget: Equatable, Sendable {
    public var reportType: ReportType
    /// `YYYY-MM-DD`.
    public var windowStart: String
    /// Length such as `6m`, `3m`, `12m`.
    public var window: String
    public init(reportType: ReportType, windowStart: String, window: String) {
        self.reportType = reportType; self.windowStart = windowStart; self.window = window
    }

    /// Checks the dates and the window length; the message names what is wrong.
    public func validate() throws {
        guard DueDate.parseDay(windowStart) != nil else {
            throw RuleViolation("'\(windowStart)' is not a date (YYYY-MM-DD)")
        }
        guard window.hasSuffix("m"), let months = Int(window.dropLast()), (1...12).contains(months) else {
            throw RuleViolation("--window must be a number of months from 1m to 12m, e.g. 6m")
        }
    }
}

/// Something that puts the audit date at risk.
public struct AuditThreat: Equatable, Sendable {
    public var ref: String
    public var title: String
    public var reason: String
    public init(ref: String, title: String, reason: String) { self.ref = ref; self.title = title; self.reason = reason }
}

public enum AuditThreats {
    /// Open gaps due after the window starts (gaps with no due date are not counted), and
    /// periodic controls not implemented whose first occurrence cannot happen before it (today
    /// plus one period is past the start).
    public static func find(target: AuditTarget, gaps: [Gap], controls: [Control], now: Date) -> [AuditThreat] {
        guard let start = DueDate.parseDay(target.windowStart) else { return [] }
        var threats: [AuditThreat] = []
        for gap in gaps where gap.status.isOpen {
            if let due = gap.due, due > target.windowStart {
                threats.append(AuditThreat(ref: gap.ref, title: gap.title, reason: "due \(due), after the window starts on \(target.windowStart)"))
            }
        }
        for control in controls where control.status == .notStarted || control.status == .inProgress {
            guard let days = control.frequency.periodDays else { continue }
            let firstRun = now.addingTimeInterval(Double(days) * 86_400)
            if firstRun > start {
                threats.append(
                    AuditThreat(
                        ref: control.ref, title: control.title,
                        reason:
                            "\(control.frequency.label) and not implemented: its first run (\(DueDate.format(firstRun))) falls after the window starts"
                    ))
            }
        }
        return threats
    }
}
