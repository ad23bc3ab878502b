import AssureModel
import AssureTestSupport
import Foundation
import XCTest

@testable import AssureStore

/// The Larkspur sample's `vendors:` and `privacy:` sections: the cloud provider whose report and
/// bridge letter leave June uncovered, the identity provider with its CUECs, the agreements, the
/// processing register with its DPIA, and the data subject requests; and the gaps they derive.
final class SampleVendorsTests: XCTestCase {
    func testLarkspurHasItsVendorsAndPrivacyRecords() throws {
        let workspace = try Fixtures.larkspur()
        let today = Fixtures.today
        try workspace.read { r in
            let vendors = Dictionary(uniqueKeysWithValues: try r.vendors(today: today).map { ($0.vendor.name, $0) })
            let aws = try XCTUnwrap(vendors["Amazon Web Services"])
            XCTAssertEqual(aws.uncoveredDays, 30, "the report ends 2026-03-31, the bridge letter 2026-05-31, the window 2026-06-30")
            XCTAssertNotNil(aws.vendor.currentAgreement(.baa, today: today))
            let okta = try XCTUnwrap(vendors["Okta"])
            XCTAssertEqual(okta.uncoveredDays, 0)
            XCTAssertEqual(okta.cuecCount, 4)
            XCTAssertEqual(okta.unmappedCUECCount, 1)
            XCTAssertEqual(try r.vendorCUECs(vendor: "Okta", today: today).compactMap(\.control), ["AC-02", "AC-03", "AC-05"])
            XCTAssertTrue(try XCTUnwrap(vendors["Zendesk"]).findings.contains("holds PHI without a BAA"))

            let register = try r.processingActivities()
            XCTAssertEqual(register.map(\.activity.name), ["Appointment booking", "Staff accounts", "Payroll"])
            XCTAssertEqual(register[0].dpia?.outcome, .acceptableWithMeasures)
            XCTAssertFalse(register[0].needsDPIA)
            XCTAssertEqual(register[2].activity.mechanism, .scc)

            let requests = try r.dsrs(today: today)
            XCTAssertEqual(requests.map(\.dsr.status), [.completed, .open])
            XCTAssertEqual(requests[1].due, "2026-12-09", "one calendar month after 2026-11-09")
            XCTAssertEqual(requests[1].daysLeft, 19)

            // Each vendor rule that applies to Larkspur is proposed as a gap.
            let keys = Set(try r.proposeGaps(today: today).map(\.key))
            for key in ["vendor-uncovered:VEN-1:2026-01-01", "vendor-cuec:VEN-2:4", "vendor-agreement:VEN-3:baa", "vendor-review:VEN-1:2026-10-06"] {
                XCTAssertTrue(keys.contains(key), "\(key) in \(keys.filter { $0.hasPrefix("vendor") }.sorted())")
            }
            XCTAssertFalse(keys.contains { $0.hasPrefix("vendor-report-review:") }, "both qualified and exception reports were reviewed")
        }
    }
}
