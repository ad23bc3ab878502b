import AssureModel
import Foundation

/// The optional `vendors:` and `privacy:` sections of a workspace YAML.
///
///     vendors:
///       - {name: "...", criticality: critical, data: phi, service: "...", subprocessor: true, owner: "...",
///          created: 2024-01-15, reviewed: 2026-02-02,
///          reports: [{type: 2, period: FROM..TO, opinion: unqualified, exceptions: 0, carve_outs: [...],
///                     bridge_until: DATE, review_note: "...", reviewed: DATE}],
///          cuecs: [{text: "...", control: AC-02}],
///          agreements: [{kind: baa, signed: DATE, expires: DATE}]}
///     privacy:
///       processing: [{name, purpose, basis, data: [...], subjects: [...], recipients: [...], retention,
///                     transfer: COUNTRY, mechanism: scc, high_risk: true, created: DATE}]
///       dpias: [{processing: NAME, outcome, summary, date, next_review, risks: [RISK-1]}]
///       requests: [{kind, received, subject_ref, extend: {months, reason}, close: {status, date, note}}]
struct SampleVendors {
    struct Report { var draft: VendorReportDraft, reviewNote: String?, reviewed: String?, line: Int }
    struct Entry {
        var draft: VendorDraft
        var reviewed: String?
        var reports: [Report]
        var cuecs: [(text: String, control: String?, line: Int)]
        var agreements: [(draft: VendorAgreementDraft, line: Int)]
        var line: Int
    }
    struct DPIAEntry { var draft: DPIADraft, line: Int }
    struct Request { var draft: DSRDraft, extend: (months: Int, reason: String)?, close: DSRClosing?, line: Int }

    var vendors: [Entry] = []
    var processing: [(draft: ProcessingDraft, line: Int)] = []
    var dpias: [DPIAEntry] = []
    var requests: [Request] = []

    static func parse(vendors vendorsNode: YAMLNode?, privacy privacyNode: YAMLNode?) throws -> SampleVendors {
        var result = SampleVendors()
        result.vendors = try (try vendorsNode?.sequence() ?? []).map(parseVendor)
        if let privacy = privacyNode {
            try privacy.checkKeys(["processing", "dpias", "requests"])
            result.processing = try (try privacy.optional("processing")?.sequence() ?? []).map { (try parseProcessing($0), $0.line) }
            result.dpias = try (try privacy.optional("dpias")?.sequence() ?? []).map(parseDPIA)
            result.requests = try (try privacy.optional("requests")?.sequence() ?? []).map(parseRequest)
        }
        return result
    }

    private static func day(_ node: YAMLNode) throws -> String {
        let text = try node.string().trimmingCharacters(in: .whitespaces)
        guard DueDate.parseDay(text) != nil else { throw node.error("'\(text)' is not a date (YYYY-MM-DD)") }
        return text
    }

    private static func choice<E: RawRepresentable & CaseIterable>(_ node: YAMLNode, _ what: String, _ type: E.Type) throws -> E
    where E.RawValue == String {
        let text = try node.string()
        guard let value = E(rawValue: text.lowercased()) else {
            throw node.error("unknown \(what) '\(text)'; use \(E.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    private static func flag(_ node: YAMLNode?, _ what: String) throws -> Bool {
        guard let node else { return false }
        switch try node.string().lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: throw node.error("\(what) must be true or false")
        }
    }

    private static func period(_ node: YAMLNode) throws -> (String, String) {
        let parts = try node.string().components(separatedBy: "..")
        guard (1...2).contains(parts.count), parts.allSatisfy({ DueDate.parseDay($0) != nil }), parts[0] <= parts[parts.count - 1] else {
            throw node.error("period must be a date or FROM..TO, dates (YYYY-MM-DD) in order")
        }
        return (parts[0], parts[parts.count - 1])
    }

    private static func parseVendor(_ node: YAMLNode) throws -> Entry {
        try node.checkKeys([
            "name", "criticality", "data", "service", "subprocessor", "owner", "created", "reviewed", "reports", "cuecs", "agreements",
        ])
        let draft = VendorDraft(
            name: try node.required("name").nonEmptyString("name"),
            criticality: try node.optional("criticality").map { try choice($0, "criticality", VendorCriticality.self) } ?? .medium,
            data: try node.optional("data").map { try choice($0, "data", VendorData.self) } ?? VendorData.none,
            service: try node.optional("service")?.string() ?? "", subprocessor: try flag(try node.optional("subprocessor"), "subprocessor"),
            owner: try node.optional("owner")?.nonEmptyString("owner"), createdOn: try node.optional("created").map(day))
        let reports = try (try node.optional("reports")?.sequence() ?? []).map { item -> Report in
            try item.checkKeys(["type", "period", "opinion", "exceptions", "carve_outs", "bridge_until", "review_note", "reviewed"])
            let (from, to) = try period(try item.required("period"))
            let exceptionsNode = try item.optional("exceptions")
            let exceptions = try exceptionsNode?.int() ?? 0
            if exceptions < 0 { throw exceptionsNode!.error("exceptions must be 0 or more") }
            let report = VendorReportDraft(
                type: try choice(try item.required("type"), "report type", VendorReportType.self), periodFrom: from, periodTo: to,
                opinion: try choice(try item.required("opinion"), "opinion", VendorOpinion.self), exceptions: exceptions,
                carveOuts: try item.optional("carve_outs")?.stringList() ?? [], bridgeUntil: try item.optional("bridge_until").map(day))
            return Report(
                draft: report, reviewNote: try item.optional("review_note")?.nonEmptyString("review_note"),
                reviewed: try item.optional("reviewed").map(day), line: item.line)
        }
        let cuecs = try (try node.optional("cuecs")?.sequence() ?? []).map { item -> (text: String, control: String?, line: Int) in
            try item.checkKeys(["text", "control"])
            return (try item.required("text").nonEmptyString("text"), try item.optional("control")?.nonEmptyString("control"), item.line)
        }
        let agreements = try (try node.optional("agreements")?.sequence() ?? []).map { item -> (draft: VendorAgreementDraft, line: Int) in
            try item.checkKeys(["kind", "signed", "expires"])
            return (
                VendorAgreementDraft(
                    kind: try choice(try item.required("kind"), "agreement kind", VendorAgreementKind.self),
                    signedOn: try day(try item.required("signed")), expiresOn: try item.optional("expires").map(day)), item.line
            )
        }
        return Entry(
            draft: draft, reviewed: try node.optional("reviewed").map(day), reports: reports, cuecs: cuecs, agreements: agreements,
            line: node.line)
    }

    private static func parseProcessing(_ node: YAMLNode) throws -> ProcessingDraft {
        try node.checkKeys([
            "name", "purpose", "basis", "data", "subjects", "recipients", "retention", "transfer", "mechanism", "high_risk", "created",
        ])
        return ProcessingDraft(
            name: try node.required("name").nonEmptyString("name"), purpose: try node.required("purpose").nonEmptyString("purpose"),
            basis: try choice(try node.required("basis"), "basis", LawfulBasis.self),
            dataCategories: try node.required("data").stringList(), subjects: try node.required("subjects").stringList(),
            recipients: try node.optional("recipients")?.stringList() ?? [], retention: try node.required("retention").nonEmptyString("retention"),
            transferCountry: try node.optional("transfer")?.nonEmptyString("transfer"),
            mechanism: try node.optional("mechanism").map { try choice($0, "mechanism", TransferMechanism.self) },
            highRisk: try flag(try node.optional("high_risk"), "high_risk"), createdOn: try node.optional("created").map(day))
    }

    private static func parseDPIA(_ node: YAMLNode) throws -> DPIAEntry {
        try node.checkKeys(["processing", "outcome", "summary", "date", "next_review", "risks"])
        return DPIAEntry(
            draft: DPIADraft(
                processing: try node.required("processing").nonEmptyString("processing"),
                outcome: try choice(try node.required("outcome"), "outcome", DPIAOutcome.self), summary: try node.optional("summary")?.string() ?? "",
                assessedOn: try node.optional("date").map(day), nextReview: try node.optional("next_review").map(day),
                risks: try node.optional("risks")?.stringList() ?? []), line: node.line)
    }

    private static func parseRequest(_ node: YAMLNode) throws -> Request {
        try node.checkKeys(["kind", "received", "subject_ref", "extend", "close"])
        let extend = try node.optional("extend").map { n -> (months: Int, reason: String) in
            try n.checkKeys(["months", "reason"])
            return (try n.required("months").int(), try n.required("reason").nonEmptyString("reason"))
        }
        let close = try node.optional("close").map { n -> DSRClosing in
            try n.checkKeys(["status", "date", "note"])
            return DSRClosing(
                status: try choice(try n.required("status"), "status", DSRStatus.self), note: try n.required("note").nonEmptyString("note"),
                closedOn: try n.optional("date").map(day))
        }
        return Request(
            draft: DSRDraft(
                kind: try choice(try node.required("kind"), "request kind", DSRKind.self),
                receivedOn: try day(try node.required("received")),
                subjectRef: try node.optional("subject_ref")?.string() ?? ""),
            extend: extend, close: close, line: node.line)
    }
}

extension SampleWorkspace {
    func applyVendors(_ v: SampleVendors, _ w: WorkspaceWriter) throws {
        for vendor in v.vendors {
            var ref = ""
            try at(vendor.line) {
                ref = try w.addVendor(vendor.draft)
                if let reviewed = vendor.reviewed { _ = try w.reviewVendor(ref, on: reviewed) }
            }
            for report in vendor.reports {
                try at(report.line) {
                    let number = try w.addVendorReport(ref, report.draft)
                    if let note = report.reviewNote { try w.reviewVendorReport(ref, report: number, note: note, on: report.reviewed) }
                }
            }
            for cuec in vendor.cuecs { try at(cuec.line) { _ = try w.addVendorCUEC(ref, text: cuec.text, control: cuec.control) } }
            for agreement in vendor.agreements { try at(agreement.line) { _ = try w.addVendorAgreement(ref, agreement.draft) } }
        }
        for activity in v.processing { try at(activity.line) { _ = try w.addProcessing(activity.draft) } }
        for dpia in v.dpias { try at(dpia.line) { _ = try w.addDPIA(dpia.draft) } }
        for request in v.requests {
            try at(request.line) {
                let ref = try w.openDSR(request.draft)
                if let extend = request.extend {
                    _ = try w.extendDSR(ref, months: extend.months, reason: extend.reason, on: request.draft.receivedOn)
                }
                if let close = request.close { _ = try w.closeDSR(ref, close) }
            }
        }
    }
}
