import AssureModel
import Foundation

/// The optional `programme:` section of a workspace YAML: the personnel list, the policies'
/// owners and approved versions, acknowledgements, training, and the risk register's settings.
///
///     programme:
///       people: dir/people.csv              # name, email, team, start, end
///       policies:
///         - {policy: POL-IS, owner: "Aisha Bello", approver: "Priya Raman", [cadence: annual,]
///            approvals: [{date: 2025-02-06}, {date: 2026-02-10, change: "What the new version adds."}]}
///       acknowledgements:                   # everyone active that day acknowledges the version live then
///         - {policy: POL-IS, date: 2026-02-20, except: ["Rafael Costa"]}
///       training:
///         - {course: "Security basics", cadence: annual, audience: all, created: 2026-01-05, grace_days: 30,
///            completed: {date: 2026-03-15, except: [...]}, records: [{person: "...", date: 2026-04-16}]}
///       risks:                              # the starter risks by ref, or a new one by title
///         - {risk: RISK-1, owner: "Dana Kim", reviewed: 2026-03-16, residual: [2, 4]}
///         - {title: "...", likelihood: 2, impact: 3, treatment: accept, justification: "...", approver: "..."}
///
/// A version after the first needs a `change`: it is added to the draft as the revision's note,
/// so each approved version differs from the one before, as a real revision does.
struct SampleProgramme {
    struct Approval { var date: String, change: String?, line: Int }
    struct PolicyEntry { var policy: String, owner: String?, approver: String?, cadence: ReviewCadence?, approvals: [Approval], line: Int }
    struct AckEntry { var policy: String, date: String, except: [String], line: Int }
    struct Completion { var person: String, date: String, line: Int }
    struct CourseEntry {
        var course: String
        var cadence: ReviewCadence
        var audience: TrainingAudience
        var created: String?
        var graceDays: Int?
        var completedBy: (date: String, except: [String])?
        var records: [Completion]
        var line: Int
    }
    struct RiskEntry {
        var ref: String?
        var title: String?
        var likelihood: Int?
        var impact: Int?
        var description: String
        var cia: [CIAProperty]?
        var treatment: RiskTreatment?
        var owner: String?
        var controls: [String]?
        var residual: (Int, Int)?
        var justification: String?
        var approver: String?
        var reviewed: String?
        var line: Int
    }

    var people: SampleType2.FileRef?
    var policies: [PolicyEntry]
    var acknowledgements: [AckEntry]
    var training: [CourseEntry]
    var risks: [RiskEntry]

    static func parse(_ root: YAMLNode) throws -> SampleProgramme {
        try root.checkKeys(["people", "policies", "acknowledgements", "training", "risks"])
        let people = try root.optional("people").map { SampleType2.FileRef(name: try $0.nonEmptyString("people"), line: $0.line) }
        let policies = try (try root.optional("policies")?.sequence() ?? []).map(parsePolicy)
        let acks = try (try root.optional("acknowledgements")?.sequence() ?? []).map { node -> AckEntry in
            try node.checkKeys(["policy", "date", "except"])
            return AckEntry(
                policy: try node.required("policy").nonEmptyString("policy"), date: try day(try node.required("date")),
                except: try node.optional("except")?.stringList() ?? [], line: node.line)
        }
        let training = try (try root.optional("training")?.sequence() ?? []).map(parseCourse)
        let risks = try (try root.optional("risks")?.sequence() ?? []).map(parseRisk)
        return SampleProgramme(people: people, policies: policies, acknowledgements: acks, training: training, risks: risks)
    }

    private static func day(_ node: YAMLNode) throws -> String {
        let text = try node.string().trimmingCharacters(in: .whitespaces)
        guard DueDate.parseDay(text) != nil else { throw node.error("'\(text)' is not a date (YYYY-MM-DD)") }
        return text
    }

    private static func cadence(_ node: YAMLNode) throws -> ReviewCadence {
        let text = try node.string()
        guard let cadence = ReviewCadence(text: text) else {
            throw node.error("unknown cadence '\(text)'; use \(ReviewCadence.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return cadence
    }

    private static func score(_ node: YAMLNode, _ what: String) throws -> Int {
        let value = try node.int()
        guard Risk.scale.contains(value) else { throw node.error("\(what) must be 1 to 5") }
        return value
    }

    private static func parsePolicy(_ node: YAMLNode) throws -> PolicyEntry {
        try node.checkKeys(["policy", "owner", "approver", "cadence", "approvals"])
        let approvals = try (try node.optional("approvals")?.sequence() ?? []).enumerated().map { index, item -> Approval in
            try item.checkKeys(["date", "change"])
            let change = try item.optional("change")?.nonEmptyString("change")
            if index > 0 && change == nil { throw item.error("a version after the first needs a change: what the revision says differently") }
            return Approval(date: try day(try item.required("date")), change: change, line: item.line)
        }
        return PolicyEntry(
            policy: try node.required("policy").nonEmptyString("policy"),
            owner: try node.optional("owner")?.nonEmptyString("owner"),
            approver: try node.optional("approver")?.nonEmptyString("approver"),
            cadence: try node.optional("cadence").map(cadence), approvals: approvals, line: node.line)
    }

    private static func parseCourse(_ node: YAMLNode) throws -> CourseEntry {
        try node.checkKeys(["course", "cadence", "audience", "created", "grace_days", "completed", "records"])
        let audienceNode = try node.optional("audience")
        let audience =
            try audienceNode.map { n -> TrainingAudience in
                do { return try TrainingAudience(parsing: try n.string()) } catch { throw n.error("\(error)") }
            } ?? .everyone
        let graceNode = try node.optional("grace_days")
        let grace = try graceNode?.int()
        if let grace, grace < 0 { throw graceNode!.error("grace_days must be 0 or more") }
        let completed = try node.optional("completed").map { n -> (date: String, except: [String]) in
            try n.checkKeys(["date", "except"])
            return (try day(try n.required("date")), try n.optional("except")?.stringList() ?? [])
        }
        let records = try (try node.optional("records")?.sequence() ?? []).map { item -> Completion in
            try item.checkKeys(["person", "date"])
            return Completion(person: try item.required("person").nonEmptyString("person"), date: try day(try item.required("date")), line: item.line)
        }
        return CourseEntry(
            course: try node.required("course").nonEmptyString("course"),
            cadence: try node.optional("cadence").map(cadence) ?? .annual, audience: audience,
            created: try node.optional("created").map(day), graceDays: grace, completedBy: completed, records: records, line: node.line)
    }

    private static func parseRisk(_ node: YAMLNode) throws -> RiskEntry {
        try node.checkKeys([
            "risk", "title", "description", "likelihood", "impact", "cia", "treatment", "owner", "controls", "residual",
            "justification", "approver", "reviewed",
        ])
        let ref = try node.optional("risk")?.nonEmptyString("risk")
        let title = try node.optional("title")?.nonEmptyString("title")
        if (ref == nil) == (title == nil) { throw node.error("name a starter risk (risk: RISK-1) or give a new one's title, not both") }
        let likelihood = try node.optional("likelihood").map { try score($0, "likelihood") }
        let impact = try node.optional("impact").map { try score($0, "impact") }
        if title != nil && (likelihood == nil || impact == nil) { throw node.error("a new risk needs likelihood and impact (1 to 5)") }
        let residual = try node.optional("residual").map { n -> (Int, Int) in
            let values = try n.sequence()
            guard values.count == 2 else { throw n.error("residual is [likelihood, impact], each 1 to 5") }
            return (try score(values[0], "residual likelihood"), try score(values[1], "residual impact"))
        }
        let cia = try node.optional("cia").map { n -> [CIAProperty] in
            do { return try CIAProperty.parseList(try n.string()) } catch { throw n.error("\(error)") }
        }
        let treatment = try node.optional("treatment").map { n -> RiskTreatment in
            let text = try n.string()
            guard let value = RiskTreatment(rawValue: text) else {
                throw n.error("unknown treatment '\(text)'; use \(RiskTreatment.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return value
        }
        return RiskEntry(
            ref: ref, title: title, likelihood: likelihood, impact: impact,
            description: try node.optional("description")?.string() ?? "", cia: cia, treatment: treatment,
            owner: try node.optional("owner")?.nonEmptyString("owner"), controls: try node.optional("controls")?.stringList(),
            residual: residual, justification: try node.optional("justification")?.string(),
            approver: try node.optional("approver")?.string(), reviewed: try node.optional("reviewed").map(day), line: node.line)
    }
}

extension SampleWorkspace {
    func applyProgramme(_ p: SampleProgramme, _ w: WorkspaceWriter) throws {
        let files = SampleFiles(yamlPath: path)
        if let people = p.people {
            let (text, csvPath) = try files.text(people)
            try at(people.line) {
                let parsed = try PeopleCSV.parse(text, path: csvPath, map: [])
                _ = try w.importPeople(parsed.rows, source: URL(fileURLWithPath: csvPath).lastPathComponent)
            }
        }
        for entry in p.policies {
            try at(entry.line) {
                try w.setPolicy(entry.policy, owner: entry.owner, approver: entry.approver, cadence: entry.cadence)
            }
            for approval in entry.approvals {
                try at(approval.line) {
                    if let change = approval.change {
                        let draft = try w.reader.policyDraft(entry.policy).text
                        let revised = draft.trimmingCharacters(in: .newlines) + "\n\nRevised \(approval.date): \(change)\n"
                        try w.replacePolicyDraft(entry.policy, text: revised, source: path)
                    }
                    _ = try w.approvePolicy(entry.policy, on: approval.date)
                }
            }
        }
        for ack in p.acknowledgements {
            try at(ack.line) {
                let skipped = Set(try ack.except.map { try Lookup.person(w.db, $0).lowercased() })
                for person in try w.reader.people(activeOn: ack.date) where !skipped.contains(person.name.lowercased()) {
                    try w.acknowledgePolicy(ack.policy, person: person.name, on: ack.date)
                }
            }
        }
        for course in p.training {
            var ref = ""
            try at(course.line) {
                ref = try w.addTrainingCourse(
                    TrainingCourseDraft(
                        title: course.course, cadence: course.cadence, audience: course.audience,
                        graceDays: course.graceDays ?? 30, createdOn: course.created))
                guard let completed = course.completedBy else { return }
                let skipped = Set(try completed.except.map { try Lookup.person(w.db, $0).lowercased() })
                for person in try w.reader.people(activeOn: completed.date)
                where !skipped.contains(person.name.lowercased()) && course.audience.includes(team: person.team) {
                    _ = try w.recordTraining(course: ref, person: person.name, completedOn: completed.date)
                }
            }
            for record in course.records {
                try at(record.line) { _ = try w.recordTraining(course: ref, person: record.person, completedOn: record.date) }
            }
        }
        for entry in p.risks {
            try at(entry.line) {
                var ref = entry.ref ?? ""
                if let title = entry.title {
                    ref = try w.addRisk(
                        RiskDraft(
                            title: title, description: entry.description, likelihood: entry.likelihood!, impact: entry.impact!,
                            cia: entry.cia ?? [], treatment: entry.treatment ?? .mitigate, owner: entry.owner,
                            controls: entry.controls ?? [], residualLikelihood: entry.residual?.0,
                            residualImpact: entry.residual?.1, justification: entry.justification ?? "",
                            approver: entry.approver ?? ""))
                } else {
                    var edit = RiskEdit()
                    edit.owner = entry.owner; edit.controls = entry.controls; edit.cia = entry.cia; edit.treatment = entry.treatment
                    edit.likelihood = entry.likelihood; edit.impact = entry.impact
                    edit.residualLikelihood = entry.residual?.0; edit.residualImpact = entry.residual?.1
                    edit.justification = entry.justification; edit.approver = entry.approver
                    if !entry.description.isEmpty { edit.description = entry.description }
                    _ = try w.editRisk(ref, edit)
                }
                if let reviewed = entry.reviewed { _ = try w.reviewRisk(ref, on: reviewed) }
            }
        }
    }
}
