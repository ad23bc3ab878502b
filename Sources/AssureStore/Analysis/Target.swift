import AssureModel
import Foundation

/// The audit being prepared for: report type and observation window.
public struct AuditTarget: Equatable, Sendable {
    public var reportType: ReportType
    public var windowStart: String
    /// Length such as `6m`, `3m`, `12m`.
    public var window: String
    public init(reportType: ReportType, windowStart: String, window: String) {
        self.reportType = reportType; self.windowStart = windowStart; self.window = window
    }
}

/// Something that puts the audit date at risk.
public struct AuditThreat: Equatable, Sendable {
    public var ref: String
    public var title: String
    public var reason: String
}

extension Workspace {
    public func auditTarget() throws -> AuditTarget? {
        guard let start = try setting("target.window_start"), let window = try setting("target.window"),
              let type = try setting("target.type").flatMap(ReportType.init(rawValue:)) else { return nil }
        return AuditTarget(reportType: type, windowStart: start, window: window)
    }

    public func setAuditTarget(_ target: AuditTarget) throws {
        guard DueDate.parseDay(target.windowStart) != nil else {
            throw WorkspaceError.invalid("'\(target.windowStart)' is not a date (YYYY-MM-DD)")
        }
        guard target.window.hasSuffix("m"), let months = Int(target.window.dropLast()), (1...12).contains(months) else {
            throw WorkspaceError.invalid("--window must be a number of months from 1m to 12m, e.g. 6m")
        }
        try setSettings([("target.type", target.reportType.rawValue), ("target.window_start", target.windowStart),
                         ("target.window", target.window)])
    }

    /// Open gaps due after the window starts (gaps with no due date are not counted), and periodic controls not implemented whose
    /// first occurrence cannot happen before it (today + one period is past the start).
    public func auditThreats() throws -> [AuditThreat] {
        guard let target = try auditTarget(), let start = DueDate.parseDay(target.windowStart) else { return [] }
        var threats: [AuditThreat] = []
        for gap in try gaps() where gap.status.isOpen {
            if let due = gap.due, due > target.windowStart {
                threats.append(AuditThreat(ref: gap.ref, title: gap.title, reason: "due \(due), after the window starts on \(target.windowStart)"))
            }
        }
        let today = clock()
        for control in try controls() where control.status == .notStarted || control.status == .inProgress {
            guard let days = control.frequency.periodDays else { continue }
            let firstRun = today.addingTimeInterval(Double(days) * 86_400)
            if firstRun > start {
                threats.append(AuditThreat(ref: control.ref, title: control.title,
                                           reason: "\(control.frequency.label) and not implemented: its first run (\(DueDate.format(firstRun))) falls after the window starts"))
            }
        }
        return threats
    }
}
