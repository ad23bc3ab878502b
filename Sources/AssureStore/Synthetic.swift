import AssureModel
import Foundation
import GRDB

/// Large, realistic workspaces for the benchmark, built in one transaction with prepared
/// statements. The change log it writes is a valid hash chain, so `verify` can be timed on it.
extension Workspace {
    public static func synthetic(
        path: String, controls: Int, owners: Int, gaps: Int, logRows: Int, seed: UInt64 = 42,
        now: Date = Date(timeIntervalSince1970: 1_795_165_200)
    ) throws -> Workspace {
        let actor = Actor("bench", now: now)
        let workspace = try create(
            path: path, scope: Scope(company: "Synthetic Co", system: "Bench", categories: [.security, .availability, .confidentiality]),
            by: actor)
        var random = SplitMix(seed: seed)
        try workspace.write(actor) { w in
            let db = w.db
            let criteria = try Int64.fetchAll(db, sql: "SELECT id FROM requirement WHERE role = 'criterion' ORDER BY sort_order")
            let insertOwner = try db.makeStatement(sql: "INSERT INTO owner (name, handle, role) VALUES (?, ?, ?)")
            for i in 1...max(1, owners) {
                try insertOwner.execute(arguments: ["Owner \(i)", "owner\(i)@synthetic.example", "Role \(i % 12)"])
            }
            let insertControl = try db.makeStatement(
                sql: """
                    INSERT INTO control (ref, title, description, status, justification, frequency, owner_id, backup_owner_id, evidence_hint, tags)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let insertMapping = try db.makeStatement(sql: "INSERT OR IGNORE INTO control_requirement (control_id, requirement_id) VALUES (?, ?)")
            let statuses = ["implemented", "implemented", "in-progress", "not-started"]
            let frequencies = Frequency.allCases.map(\.rawValue)
            for i in 1...max(1, controls) {
                let owner: Int64? = random.next(10) == 0 ? nil : Int64(1 + random.next(owners))
                try insertControl.execute(arguments: [
                    String(format: "SYN-%05d", i), "Synthetic control \(i) for \(["access", "change", "logging", "backup", "vendor"][i % 5])",
                    "Generated for the benchmark.", statuses[random.next(4)], "", frequencies[random.next(frequencies.count)],
                    owner, random.next(2) == 0 ? nil : Int64(1 + random.next(owners)), "Evidence \(i)", "synthetic",
                ])
                let id = db.lastInsertedRowID
                for _ in 0..<(1 + random.next(3)) { try insertMapping.execute(arguments: [id, criteria[random.next(criteria.count)]]) }
            }
            let insertGap = try db.makeStatement(
                sql: """
                    INSERT INTO gap (number, ref, title, severity, effort, control_id, requirement_id, owner_id, due, status,
                                     remediation_note, justification, created_at, created_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            let severities = Severity.allCases.map(\.rawValue)
            let efforts = Effort.allCases.map(\.rawValue)
            for i in 1...max(1, gaps) {
                let status = ["open", "open", "in-progress", "remediated", "risk-accepted"][random.next(5)]
                let day = String(format: "2026-%02d-%02d", 1 + random.next(12), 1 + random.next(28))
                try insertGap.execute(arguments: [
                    i, "GAP-\(i)", "Synthetic gap \(i)", severities[random.next(4)], efforts[random.next(5)],
                    Int64(1 + random.next(controls)), criteria[random.next(criteria.count)], Int64(1 + random.next(owners)),
                    day, status, status == "remediated" ? "fixed" : "", status == "risk-accepted" ? "accepted" : "", w.log.at, "bench",
                ])
            }
            // Pad the change log to the requested size with plausible field changes.
            let needed = logRows - w.log.count - 1
            for i in 0..<max(0, needed) {
                let control = String(format: "SYN-%05d", 1 + random.next(controls))
                try w.log.record(
                    db, entity: "control", ref: control, field: i % 2 == 0 ? "status" : "owner",
                    before: "v\(i)", after: "v\(i + 1)")
            }
            try w.log.record(
                db, entity: "workspace", ref: "synthetic", field: "generated", before: nil,
                after: "\(controls) controls, \(owners) owners, \(gaps) gaps")
        }
        return workspace
    }
}

/// A small deterministic generator, so every benchmark run builds the same workspace.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(max(1, bound)))
    }
}
