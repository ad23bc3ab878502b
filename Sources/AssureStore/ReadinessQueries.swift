import AssureModel

extension Workspace {
    /// Readiness of the workspace as it is now (rule: `Readiness` in AssureModel).
    public func readiness() throws -> Readiness {
        let criteria = try criteria()
        return Readiness.compute(
            criteria: criteria.map {
                ReadinessCriterion(ref: $0.requirement.ref, series: $0.requirement.parentRef ?? $0.requirement.ref,
                                   category: $0.requirement.category, inScope: $0.inScope, controls: $0.controls)
            },
            controls: try controls(), gaps: try gaps())
    }
}
