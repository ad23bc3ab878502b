import AssureModel
import AssureStore
import Foundation
import Workbench

/// What the Programme set's panes show (open risks, policies, training past due, active
/// vendors, collectors, open drift and open data subject requests), read on the snapshot's
/// main thread beside the frameworks (the gaps' thread is the longer one) and then put into
/// the snapshot.
struct ProgrammeRead: Sendable {
    var risks: [RiskLoad]
    var policies: [PolicyLoad]
    var trainingOverdue: [TrainingDueLoad]
    var vendors: [VendorLoad]
    var collectors: [CollectorLoad]
    var drift: [DriftLoad]
    var openRequests: [SubjectRequestLoad]

    init(_ r: WorkspaceReader, today: String, now: Date) throws {
        risks = try r.risks(today: today).filter { $0.risk.status == .open }.map { s in
            let risk = s.risk
            return RiskLoad(
                ref: risk.ref, title: risk.title, description: risk.description, likelihood: risk.likelihood, impact: risk.impact,
                residualLikelihood: risk.currentLikelihood, residualImpact: risk.currentImpact, cia: risk.cia.map(\.rawValue),
                treatment: risk.treatment.rawValue, controls: risk.controls, owner: risk.owner, justification: risk.justification,
                approver: risk.approver, reviewCadence: risk.reviewCadence.rawValue, reviewedOn: risk.reviewedOn,
                nextReview: s.nextReview, overdue: s.overdue)
        }
        policies = try r.policies(today: today).map { p in
            PolicyLoad(
                ref: p.ref, title: p.title, owner: p.owner, approver: p.approver, cadence: p.cadence.rawValue, status: p.status.rawValue,
                liveVersion: p.liveVersion, approvedOn: p.liveApprovedOn, nextReview: p.nextReview, overdue: p.status == .reviewOverdue,
                acknowledged: p.coverage?.acknowledged.count ?? 0, people: p.coverage?.total ?? 0)
        }
        trainingOverdue = try r.trainingStatus(today: today).filter { $0.state == .overdue }
            .map { TrainingDueLoad(course: $0.course, person: $0.person, due: $0.due ?? today) }
            .sorted { ($0.due, $0.person) < ($1.due, $1.person) }
        // Active vendors, most critical first.
        vendors = try r.vendors(today: today).filter { $0.vendor.isActive }
            .sorted { a, b in
                a.vendor.criticality != b.vendor.criticality
                    ? a.vendor.criticality > b.vendor.criticality
                    : a.vendor.name.lowercased() < b.vendor.name.lowercased()
            }
            .map { s in
                let v = s.vendor
                let agreements = VendorAgreementKind.allCases.filter { v.currentAgreement($0, today: today) != nil }.map(\.rawValue)
                return VendorLoad(
                    ref: v.ref, name: v.name, criticality: v.criticality.rawValue, data: v.data.rawValue, service: v.service,
                    subprocessor: v.subprocessor, owner: v.owner, nextReview: s.nextReview, overdue: s.overdue,
                    coverage: s.coverageText, uncoveredDays: s.uncoveredDays, reports: v.reports.count,
                    cuecs: s.cuecCount, unmappedCuecs: s.unmappedCUECCount, agreements: agreements, findings: s.findings)
            }
        collectors = try r.collectors(today: today, now: now).map { c in
            CollectorLoad(
                name: c.name, control: c.control, every: c.every?.rawValue, lastOutcome: c.lastRun?.outcome.rawValue,
                lastRunAt: c.lastRun?.started, lastReason: c.lastRun?.reason ?? "", due: c.due)
        }
        drift = try r.driftEvents(openOnly: true).map {
            DriftLoad(
                ref: $0.ref, collector: $0.collector, control: $0.control, runID: $0.runID, detectedAt: $0.detectedAt,
                changed: $0.changedCount, diff: $0.diff)
        }
        // Open data subject requests, by due date.
        openRequests = try r.dsrs(today: today).filter { $0.dsr.status == .open }
            .map { SubjectRequestLoad(ref: $0.dsr.ref, kind: $0.dsr.kind.rawValue, due: $0.due, daysLeft: $0.daysLeft ?? 0) }
            .sorted { ($0.due, $0.ref) < ($1.due, $1.ref) }
    }

    func fill(_ snapshot: inout WorkspaceSnapshot) {
        snapshot.risks = risks; snapshot.policies = policies; snapshot.trainingOverdue = trainingOverdue
        snapshot.vendors = vendors; snapshot.collectors = collectors; snapshot.drift = drift; snapshot.openRequests = openRequests
    }
}
