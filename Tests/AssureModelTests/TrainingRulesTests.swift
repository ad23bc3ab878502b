import AssureModel
import XCTest

/// The training rules on their own: who owes a course, when it falls due, and the state on a day.
final class TrainingRulesTests: XCTestCase {
    let today = "2026-11-20"

    func terms(
        _ cadence: ReviewCadence = .annual, audience: TrainingAudience = .everyone, grace: Int = 30,
        created: String = "2026-01-05"
    ) -> TrainingTerms {
        TrainingTerms(cadence: cadence, audience: audience, graceDays: grace, createdOn: created)
    }

    func testAudienceParsesAllOrTeamsAndMatchesTeamsWithoutCase() throws {
        XCTAssertEqual(try TrainingAudience(parsing: "all"), .everyone)
        XCTAssertEqual(try TrainingAudience(parsing: " ALL "), .everyone)
        let teams = try TrainingAudience(parsing: "Engineering, support,,engineering")
        XCTAssertEqual(teams.teams, ["Engineering", "support"], "blank and repeated teams dropped, first spelling kept")
        XCTAssertEqual(teams.text, "Engineering,support")
        XCTAssertTrue(teams.includes(team: "engineering"))
        XCTAssertTrue(teams.includes(team: "SUPPORT "))
        XCTAssertFalse(teams.includes(team: "sales"))
        XCTAssertFalse(teams.includes(team: ""), "someone with no team is only in an `all` audience")
        XCTAssertTrue(TrainingAudience.everyone.includes(team: ""))
        XCTAssertThrowsError(try TrainingAudience(parsing: "all,engineering")) { error in
            XCTAssertEqual("\(error)", "audience 'all,engineering': 'all' already includes every team; name teams or 'all', not both")
        }
        XCTAssertThrowsError(try TrainingAudience(parsing: " , "))
        XCTAssertThrowsError(try TrainingAudience(parsing: "eng\u{1B}[2J"))
    }

    func testWhoOwesACourse() {
        let all = terms()
        XCTAssertTrue(TrainingRules.owes(all, team: "", startedOn: nil, endedOn: nil, today: today), "an owner with no dates owes it")
        XCTAssertTrue(TrainingRules.owes(all, team: "x", startedOn: today, endedOn: nil, today: today), "a new hire owes it from their first day")
        XCTAssertFalse(TrainingRules.owes(all, team: "x", startedOn: "2026-11-21", endedOn: nil, today: today), "not before they start")
        XCTAssertTrue(TrainingRules.owes(all, team: "x", startedOn: "2020-01-01", endedOn: today, today: today), "still owes it on their last day")
        XCTAssertFalse(TrainingRules.owes(all, team: "x", startedOn: "2020-01-01", endedOn: "2026-11-19", today: today), "a leaver drops out")
        let engineering = terms(audience: TrainingAudience(teams: ["Engineering"]))
        XCTAssertTrue(TrainingRules.owes(engineering, team: "engineering", startedOn: nil, endedOn: nil, today: today))
        XCTAssertFalse(TrainingRules.owes(engineering, team: "sales", startedOn: nil, endedOn: nil, today: today))
    }

    func testFirstDueCountsTheGraceFromTheLaterOfCreationAndStart() {
        XCTAssertEqual(TrainingRules.firstDue(terms(), startedOn: nil), "2026-02-04")
        XCTAssertEqual(
            TrainingRules.firstDue(terms(), startedOn: "2019-06-01"), "2026-02-04", "people already there get the grace from the course's start")
        XCTAssertEqual(TrainingRules.firstDue(terms(), startedOn: "2026-11-02"), "2026-12-02", "a new hire gets the grace from their start")
        XCTAssertEqual(TrainingRules.firstDue(terms(grace: 0), startedOn: "2026-11-02"), "2026-11-02")
        XCTAssertEqual(TrainingRules.firstDue(terms(created: "not a day"), startedOn: nil), nil)
    }

    func testStatesAtTheirBoundaries() {
        XCTAssertEqual(TrainingRules.state(due: "2026-11-19", completed: false, today: today), .overdue)
        XCTAssertEqual(TrainingRules.state(due: "2026-11-19", completed: true, today: today), .overdue)
        XCTAssertEqual(TrainingRules.state(due: today, completed: false, today: today), .due, "due today is due, not overdue")
        XCTAssertEqual(TrainingRules.state(due: "2026-12-20", completed: true, today: today), .due, "30 days ahead is still in the window")
        XCTAssertEqual(TrainingRules.state(due: "2026-12-21", completed: true, today: today), .done)
        XCTAssertEqual(TrainingRules.state(due: "2026-12-21", completed: false, today: today), .notYetDue)
        XCTAssertEqual(TrainingRules.dueWindowDays, 30)
    }

    func testStandingFromTheLatestCompletion() {
        // Never completed: the first due date decides.
        XCTAssertEqual(
            TrainingRules.standing(terms(), startedOn: nil, lastCompleted: nil, today: today),
            TrainingStanding(due: "2026-02-04", state: .overdue))
        XCTAssertEqual(
            TrainingRules.standing(terms(), startedOn: "2026-11-02", lastCompleted: nil, today: today),
            TrainingStanding(due: "2026-12-02", state: .due))
        XCTAssertEqual(
            TrainingRules.standing(terms(grace: 90), startedOn: "2026-11-02", lastCompleted: nil, today: today),
            TrainingStanding(due: "2027-01-31", state: .notYetDue))
        // Completed: one cadence later, in calendar months.
        XCTAssertEqual(
            TrainingRules.standing(terms(), startedOn: nil, lastCompleted: "2026-03-01", today: today),
            TrainingStanding(due: "2027-03-01", state: .done))
        XCTAssertEqual(
            TrainingRules.standing(terms(), startedOn: nil, lastCompleted: "2025-12-01", today: today),
            TrainingStanding(due: "2026-12-01", state: .due), "retake due within the window")
        XCTAssertEqual(
            TrainingRules.standing(terms(), startedOn: nil, lastCompleted: "2025-11-19", today: today),
            TrainingStanding(due: "2026-11-19", state: .overdue))
        XCTAssertEqual(
            TrainingRules.standing(terms(.quarterly), startedOn: nil, lastCompleted: "2026-08-31", today: today),
            TrainingStanding(due: "2026-11-30", state: .due), "a month end clamps")
        XCTAssertEqual(
            TrainingRules.standing(terms(.semiAnnual), startedOn: nil, lastCompleted: "2026-04-30", today: today),
            TrainingStanding(due: "2026-10-30", state: .overdue))
        // A one-off course is done for good, however long ago.
        XCTAssertEqual(
            TrainingRules.standing(terms(.once), startedOn: nil, lastCompleted: "2019-01-01", today: today),
            TrainingStanding(due: nil, state: .done))
        XCTAssertEqual(
            TrainingRules.standing(terms(.once), startedOn: nil, lastCompleted: nil, today: today),
            TrainingStanding(due: "2026-02-04", state: .overdue), "until then it is owed like any other")
    }

    func testAddDaysCrossesMonthsAndYears() {
        XCTAssertEqual(TrainingRules.addDays(30, to: "2026-12-15"), "2027-01-14")
        XCTAssertEqual(TrainingRules.addDays(1, to: "2028-02-28"), "2028-02-29")
        XCTAssertEqual(TrainingRules.addDays(0, to: "2026-11-20"), "2026-11-20")
        XCTAssertNil(TrainingRules.addDays(1, to: "2026-02-30"))
    }
}
