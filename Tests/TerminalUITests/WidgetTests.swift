import XCTest

@testable import TerminalUI

/// Every line of the buffer, untrimmed (a wide character's continuation cell adds nothing).
private func lines(_ buffer: ScreenBuffer) -> [String] { (0..<buffer.height).map { buffer.line($0) } }

/// Fails when any line of the buffer is not exactly its width in display columns, which is how
/// a wide character spilling over (or a half-written one) would show.
private func assertExactWidth(_ buffer: ScreenBuffer, file: StaticString = #filePath, line: UInt = #line) {
    for y in 0..<buffer.height {
        XCTAssertEqual(TextWidth.of(buffer.line(y)), buffer.width, "line \(y): \(buffer.line(y))", file: file, line: line)
    }
}

private let reverse = Style(attributes: [.reverse])

final class ScrollStateTests: XCTestCase {
    func testEmptyListStaysAtZero() {
        let empty = ScrollState(selection: 5, offset: 3, count: 0)
        XCTAssertEqual(empty.clamped(), ScrollState(selection: 0, offset: 0, count: 0))
        XCTAssertEqual(empty.ensureVisible(height: 5), ScrollState(selection: 0, offset: 0, count: 0))
        XCTAssertEqual(empty.move(by: 1, height: 5), ScrollState(selection: 0, offset: 0, count: 0))
        XCTAssertEqual(empty.pageDown(height: 5), ScrollState(selection: 0, offset: 0, count: 0))
        XCTAssertEqual(empty.end(height: 5), ScrollState(selection: 0, offset: 0, count: 0))
        XCTAssertEqual(empty.visibleRange(height: 5), 0..<0)
    }

    func testEnsureVisibleMovesTheOffset() {
        // Below the view: the offset follows so the selection is on the bottom line.
        XCTAssertEqual(ScrollState(selection: 9, offset: 0, count: 20).ensureVisible(height: 5).offset, 5)
        // Above the view: the offset comes back to the selection.
        XCTAssertEqual(ScrollState(selection: 2, offset: 8, count: 20).ensureVisible(height: 5).offset, 2)
        // Already visible: nothing moves.
        XCTAssertEqual(ScrollState(selection: 7, offset: 5, count: 20).ensureVisible(height: 5).offset, 5)
        // A list that shrank leaves no blank rows under its last one.
        XCTAssertEqual(ScrollState(selection: 19, offset: 15, count: 4).ensureVisible(height: 5), ScrollState(selection: 3, offset: 0, count: 4))
        XCTAssertEqual(ScrollState(selection: 12, offset: 12, count: 14).ensureVisible(height: 5).offset, 9)
    }

    func testFewerRowsThanHeight() {
        let state = ScrollState(selection: 2, offset: 2, count: 3).ensureVisible(height: 10)
        XCTAssertEqual(state, ScrollState(selection: 2, offset: 0, count: 3))
        XCTAssertEqual(state.visibleRange(height: 10), 0..<3)
        XCTAssertEqual(state.end(height: 10), ScrollState(selection: 2, offset: 0, count: 3))
    }

    func testMoveStopsAtBothEnds() {
        let start = ScrollState(count: 10)
        XCTAssertEqual(start.move(by: -1, height: 4), ScrollState(selection: 0, offset: 0, count: 10))
        XCTAssertEqual(start.move(by: 5, height: 4), ScrollState(selection: 5, offset: 2, count: 10))
        XCTAssertEqual(start.move(by: 20, height: 4), ScrollState(selection: 9, offset: 6, count: 10))
    }

    func testPagingKeepsTheRowOnScreenAndStopsAtTheEnd() {
        var state = ScrollState(selection: 1, offset: 0, count: 20)
        state = state.pageDown(height: 5)
        XCTAssertEqual(state, ScrollState(selection: 6, offset: 5, count: 20))
        state = state.pageDown(height: 5).pageDown(height: 5)
        XCTAssertEqual(state, ScrollState(selection: 16, offset: 15, count: 20))
        state = state.pageDown(height: 5)
        XCTAssertEqual(state, ScrollState(selection: 19, offset: 15, count: 20), "the last page selects the last row")
        XCTAssertEqual(state.visibleRange(height: 5), 15..<20)
        state = state.pageUp(height: 5)
        XCTAssertEqual(state, ScrollState(selection: 14, offset: 10, count: 20))
        XCTAssertEqual(state.pageUp(height: 5).pageUp(height: 5).pageUp(height: 5), ScrollState(selection: 0, offset: 0, count: 20))
    }

    func testHomeAndEnd() {
        let middle = ScrollState(selection: 8, offset: 6, count: 20)
        XCTAssertEqual(middle.end(height: 5), ScrollState(selection: 19, offset: 15, count: 20))
        XCTAssertEqual(middle.home(), ScrollState(selection: 0, offset: 0, count: 20))
    }
}

final class ListViewTests: XCTestCase {
    private let tenRows = (0..<10).map { "row \($0)" }

    func testEmptyListShowsThePlaceholder() {
        var buffer = ScreenBuffer(width: 10, height: 2)
        let shown = ListView(lines: [], placeholder: "nothing to show").render(
            into: &buffer, rect: Rect(x: 0, y: 0, width: 10, height: 2), scroll: ScrollState(selection: 3))
        XCTAssertEqual(lines(buffer), ["nothing to", "          "])
        XCTAssertEqual(buffer[0, 0].style, Style(attributes: [.dim]))
        XCTAssertEqual(shown, ScrollState())
    }

    func testOneRowIsSelectedAcrossTheWidth() {
        var buffer = ScreenBuffer(width: 8, height: 3)
        ListView(lines: ["alpha"]).render(into: &buffer, rect: Rect(x: 0, y: 0, width: 8, height: 3), scroll: ScrollState())
        XCTAssertEqual(lines(buffer), ["alpha   ", "        ", "        "])
        XCTAssertEqual(buffer[0, 0].style, reverse)
        XCTAssertEqual(buffer[7, 0].style, reverse, "the bar spans the whole row")
        XCTAssertEqual(buffer[0, 1].style, .plain)
    }

    func testExactlyFullHasNoScrollBar() {
        var buffer = ScreenBuffer(width: 6, height: 3)
        ListView(lines: ["a", "b", "c"]).render(into: &buffer, rect: Rect(x: 0, y: 0, width: 6, height: 3), scroll: ScrollState(selection: 2))
        XCTAssertEqual(lines(buffer), ["a     ", "b     ", "c     "])
    }

    func testOverflowDrawsAScrollBar() {
        var buffer = ScreenBuffer(width: 8, height: 4)
        ListView(lines: tenRows).render(into: &buffer, rect: Rect(x: 0, y: 0, width: 8, height: 4), scroll: ScrollState())
        XCTAssertEqual(lines(buffer), ["row 0  █", "row 1  │", "row 2  │", "row 3  │"])
        XCTAssertEqual(buffer[6, 0].style, reverse, "the selection bar stops before the scroll bar")
        XCTAssertEqual(buffer[7, 0].style, .plain)
    }

    func testScrolledToTheEnd() {
        var buffer = ScreenBuffer(width: 8, height: 4)
        let scroll = ScrollState(count: 10).end(height: 4)
        let shown = ListView(lines: tenRows, indicator: .ascii).render(into: &buffer, rect: Rect(x: 0, y: 0, width: 8, height: 4), scroll: scroll)
        XCTAssertEqual(shown, ScrollState(selection: 9, offset: 6, count: 10))
        XCTAssertEqual(lines(buffer), ["row 6  |", "row 7  |", "row 8  |", "row 9  #"])
        XCTAssertEqual(buffer[0, 3].style, reverse)
    }

    func testRenderBringsAStaleSelectionIntoView() {
        // The caller forgot ensureVisible: the selected row is still drawn.
        var buffer = ScreenBuffer(width: 8, height: 4)
        let shown = ListView(lines: tenRows).render(
            into: &buffer, rect: Rect(x: 0, y: 0, width: 8, height: 4), scroll: ScrollState(selection: 7, offset: 0, count: 99))
        XCTAssertEqual(shown, ScrollState(selection: 7, offset: 4, count: 10))
        XCTAssertEqual(lines(buffer)[3], "row 7  │")
        XCTAssertEqual(buffer[0, 3].style, reverse)
    }

    func testWideCharactersNeverLeaveTheRect() {
        // The rect sits inside a buffer of "#" so any spill shows.
        var buffer = ScreenBuffer(width: 8, height: 3, fill: Cell("#"))
        ListView(lines: ["東京オフィス", "🔑 keys 🔑", "ab東"], showsSelection: false)
            .render(into: &buffer, rect: Rect(x: 1, y: 0, width: 5, height: 3), scroll: ScrollState())
        XCTAssertEqual(lines(buffer), ["#東京 ##", "#🔑 ke##", "#ab東 ##"])
        assertExactWidth(buffer)
    }

    func testWideCharactersBesideTheScrollBar() {
        var buffer = ScreenBuffer(width: 6, height: 2, fill: Cell("#"))
        ListView(lines: ["東京オフィス", "東京", "x"]).render(into: &buffer, rect: Rect(x: 1, y: 0, width: 4, height: 2), scroll: ScrollState())
        // Content is 3 columns; 京 would straddle the scroll bar, so it becomes a space.
        XCTAssertEqual(lines(buffer), ["#東 █#", "#東 │#"])
        assertExactWidth(buffer)
    }

    func testSpansKeepTheirAttributesOnTheSelectedRow() {
        var buffer = ScreenBuffer(width: 6, height: 1)
        let underline = Style(attributes: [.underline])
        let row = ListView.Row(spans: [ListView.Span("ab", style: underline), ListView.Span("cd")])
        ListView(rows: [row]).render(into: &buffer, rect: Rect(x: 0, y: 0, width: 6, height: 1), scroll: ScrollState())
        XCTAssertEqual(buffer.line(0), "abcd  ")
        XCTAssertEqual(buffer[0, 0].style, Style(attributes: [.reverse, .underline]))
        XCTAssertEqual(buffer[2, 0].style, reverse)
    }

    func testThumbTouchesTheEndsOnlyAtTheEnds() {
        XCTAssertEqual(ListView.thumb(count: 100, height: 10, offset: 0), 0..<1)
        XCTAssertEqual(ListView.thumb(count: 100, height: 10, offset: 1), 1..<2, "scrolled a little: no longer at the top")
        XCTAssertEqual(ListView.thumb(count: 100, height: 10, offset: 89), 8..<9, "one row still hidden: not yet at the bottom")
        XCTAssertEqual(ListView.thumb(count: 100, height: 10, offset: 90), 9..<10)
        XCTAssertEqual(ListView.thumb(count: 12, height: 10, offset: 1), 1..<9)
    }
}

final class TableViewTests: XCTestCase {
    private let columns = [
        TableView.Column("Name", width: .flexible(1)),
        TableView.Column("Site", width: .fixed(6)),
        TableView.Column("N", width: .fixed(3), alignment: .right),
    ]
    private let rows = [["Alpha", "東京オフィス", "7"], ["A very long name", "Oslo", "12"]]

    func testWidthRules() {
        let mixed = [TableView.Column("a", width: .fixed(4)), TableView.Column("b", width: .flexible(1)), TableView.Column("c", width: .flexible(2))]
        XCTAssertEqual(TableView.widths(mixed, width: 20), [4, 5, 9], "14 flexible cells split 1:2, the leftover cell to the left")
        let narrow = [TableView.Column("a", width: .fixed(10)), TableView.Column("b", width: .fixed(10)), TableView.Column("c", width: .flexible(1))]
        XCTAssertEqual(TableView.widths(narrow, width: 15), [10, 3, 0], "fixed columns give way when there is no room")
        XCTAssertEqual(TableView.widths([], width: 10), [])
    }

    func testCellsAreCutWithTheEllipsisAndAligned() {
        XCTAssertEqual(TableView.cell("東京オフィス", width: 6, alignment: .left), "東京… ")
        XCTAssertEqual(TableView.cell("東京オフィス", width: 6, alignment: .left, ellipsis: "..."), "東... ")
        XCTAssertEqual(TableView.cell("12", width: 4, alignment: .right), "  12")
        XCTAssertEqual(TableView.cell("anything", width: 0, alignment: .left), "")
    }

    func testHeaderAndRows() {
        var buffer = ScreenBuffer(width: 20, height: 4)
        TableView(columns: columns, rows: rows).render(into: &buffer, rect: Rect(x: 0, y: 0, width: 20, height: 4), scroll: ScrollState(selection: 1))
        XCTAssertEqual(
            lines(buffer),
            [
                "Name      Site     N",
                "Alpha     東京…    7",
                "A very l… Oslo    12",
                "                    ",
            ])
        XCTAssertEqual(buffer[0, 0].style, Style(attributes: [.bold]))
        XCTAssertEqual(buffer[0, 2].style, reverse)
        assertExactWidth(buffer)
    }

    func testAsciiEllipsis() {
        var buffer = ScreenBuffer(width: 20, height: 3)
        TableView(columns: columns, rows: rows, ellipsis: "...").render(
            into: &buffer, rect: Rect(x: 0, y: 0, width: 20, height: 3), scroll: ScrollState())
        XCTAssertEqual(lines(buffer), ["Name      Site     N", "Alpha     東...    7", "A very... Oslo    12"])
    }

    func testOverflowNarrowsEveryLineForTheScrollBar() {
        var buffer = ScreenBuffer(width: 12, height: 3)
        let table = TableView(
            columns: [TableView.Column("K", width: .fixed(2)), TableView.Column("Value", width: .flexible(1))],
            rows: (1...5).map { ["\($0)", "東京オフィス"] })
        let shown = table.render(into: &buffer, rect: Rect(x: 0, y: 0, width: 12, height: 3), scroll: ScrollState(selection: 4))
        XCTAssertEqual(shown, ScrollState(selection: 4, offset: 3, count: 5))
        XCTAssertEqual(lines(buffer), ["K  Value    ", "4  東京オ… │", "5  東京オ… █"])
        assertExactWidth(buffer)
    }

    func testEmptyTableKeepsItsHeader() {
        var buffer = ScreenBuffer(width: 12, height: 3)
        TableView(columns: columns, rows: [], placeholder: "no rows").render(
            into: &buffer, rect: Rect(x: 0, y: 0, width: 12, height: 3), scroll: ScrollState())
        XCTAssertEqual(lines(buffer), ["… Site     N", "no rows     ", "            "], "a flexible column gives way to fixed ones")
    }
}

final class TreeViewTests: XCTestCase {
    private let roots = [
        TreeNode(
            id: "a", label: "Alpha",
            children: [
                TreeNode(id: "a1", label: "One"),
                TreeNode(id: "a2", label: "Two", children: [TreeNode(id: "a2x", label: "Deep")]),
            ]),
        TreeNode(id: "b", label: "Beta"),
    ]

    func testFlattenShowsChildrenOnlyUnderExpandedParents() {
        XCTAssertEqual(TreeView.flatten(roots, expanded: []).map(\.id), ["a", "b"])
        XCTAssertEqual(TreeView.flatten(roots, expanded: ["a2"]).map(\.id), ["a", "b"], "a child of a folded parent stays hidden")
        let open = TreeView.flatten(roots, expanded: ["a", "a2"])
        XCTAssertEqual(open.map(\.id), ["a", "a1", "a2", "a2x", "b"])
        XCTAssertEqual(open.map(\.depth), [0, 1, 1, 2, 0])
        XCTAssertEqual(open.map(\.hasChildren), [true, false, true, false, false])
        XCTAssertEqual(open.map(\.isExpanded), [true, false, true, false, false])
        XCTAssertEqual(TreeView.flatten([], expanded: ["a"]), [])
    }

    func testRenderWithUnicodeAndAsciiMarkers() {
        var buffer = ScreenBuffer(width: 12, height: 4)
        let tree = TreeView(roots: roots, expanded: ["a"])
        tree.render(into: &buffer, rect: Rect(x: 0, y: 0, width: 12, height: 4), scroll: ScrollState(selection: 2))
        XCTAssertEqual(lines(buffer), ["▾ Alpha     ", "    One     ", "  ▸ Two     ", "  Beta      "], "a leaf gets a blank marker")
        XCTAssertEqual(buffer[2, 2].style, reverse)
        var ascii = ScreenBuffer(width: 12, height: 3)
        TreeView(roots: roots, expanded: ["a", "a2"], markers: .ascii, list: ListView(rows: [], indicator: .ascii)).render(
            into: &ascii, rect: Rect(x: 0, y: 0, width: 12, height: 3), scroll: ScrollState(selection: 3))
        XCTAssertEqual(lines(ascii), ["    One    |", "  - Two    #", "      Deep |"], "the selected deep row scrolls into view")
    }

    func testToggling() {
        XCTAssertEqual(TreeView.toggling("a", in: []), ["a"])
        XCTAssertEqual(TreeView.toggling("a", in: ["a", "b"]), ["b"])
    }

    func testEmptyTreeShowsThePlaceholder() {
        var buffer = ScreenBuffer(width: 8, height: 1)
        TreeView(roots: [], expanded: [], list: ListView(rows: [], placeholder: "empty")).render(
            into: &buffer, rect: Rect(x: 0, y: 0, width: 8, height: 1), scroll: ScrollState())
        XCTAssertEqual(buffer.line(0), "empty   ")
    }
}

final class FormModelTests: XCTestCase {
    private static let isoDate = FormModel.Validator("iso-date") { text in
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts.map(\.count) == [4, 2, 2], let month = Int(parts[1]), (1...12).contains(month) else {
            return "use YYYY-MM-DD"
        }
        return nil
    }

    private func makeForm() -> FormModel {
        FormModel(
            title: "Edit item",
            fields: [
                FormModel.Field(key: "name", label: "Name", required: "required"),
                FormModel.Field(key: "due", label: "Due", kind: .date(Self.isoDate)),
                FormModel.Field(key: "level", label: "Priority", kind: .choice(["low", "medium", "high"]), value: "medium"),
                FormModel.Field(key: "person", label: "Person", kind: .picker(["Dana Kim", "Omar Haddad"], unknown: "not in the list")),
            ])
    }

    private func type(_ text: String, into form: inout FormModel) {
        for c in text { XCTAssertEqual(form.handle(.char(c)), .handled) }
    }

    func testValidationErrorsAndFocus() {
        var form = makeForm()
        form.focus = 3
        XCTAssertEqual(form.handle(.ctrl("s")), .rejected)
        XCTAssertEqual(form.errors, ["name": "required"])
        XCTAssertEqual(form.focus, 0, "focus goes to the first wrong field")
        type("Report", into: &form)
        XCTAssertEqual(form.errors, [:], "editing a field clears its error")
        form.handle(.tab)
        type("2024-13-01", into: &form)
        form.focus = 3
        type("Zed", into: &form)
        XCTAssertEqual(form.validate(), ["due": "use YYYY-MM-DD", "person": "not in the list"])
        XCTAssertNil(form.submit())
        XCTAssertEqual(form.focus, 1)
        XCTAssertEqual(form.errors["due"], "use YYYY-MM-DD")
    }

    func testFocusCyclesWithTabAndShiftTab() {
        var form = makeForm()
        form.handle(.backTab)
        XCTAssertEqual(form.focus, 3, "S-Tab from the first field wraps to the last")
        form.handle(.tab)
        XCTAssertEqual(form.focus, 0)
        form.handle(.tab); form.handle(.tab)
        XCTAssertEqual(form.focus, 2)
    }

    func testChoiceCyclesWithLeftAndRight() {
        var form = makeForm()
        form.focus = 2
        XCTAssertEqual(form.fields[2].value, "medium")
        form.handle(.right)
        XCTAssertEqual(form.fields[2].value, "high")
        form.handle(.right)
        XCTAssertEqual(form.fields[2].value, "low", "wraps around")
        form.handle(.left)
        XCTAssertEqual(form.fields[2].value, "high")
        XCTAssertEqual(form.handle(.char("x")), .ignored, "a choice cannot be typed into")
    }

    func testPickerSuggestsAndEnterAcceptsThenSubmits() {
        var form = makeForm()
        type("Report", into: &form)
        form.focus = 3
        type("a", into: &form)
        XCTAssertEqual(form.fields[3].suggestions, ["Dana Kim", "Omar Haddad"])
        form.handle(.down)
        XCTAssertEqual(form.fields[3].suggestion.selection, 1)
        XCTAssertEqual(form.focus, 3, "↓ moves among suggestions, not fields")
        XCTAssertEqual(form.handle(.enter), .submitted(["name": "Report", "due": "", "level": "medium", "person": "Omar Haddad"]))
        XCTAssertEqual(form.fields[3].suggestions, [], "an accepted value stops suggesting itself")
    }

    func testLongInputScrollsInsideTheField() {
        var field = TextField(text: "abcdefghijklmnopqrstuvwxyz0123")
        XCTAssertEqual(field.window(width: 10).visible, "z0123")
        XCTAssertEqual(field.window(width: 10).caretColumn, 5)
        field.handle(.home)
        XCTAssertEqual(field.window(width: 10).visible, "abcdefghij")
        XCTAssertEqual(field.window(width: 10).caretColumn, 0)
        let wide = TextField(text: "東京オフィス東京")
        XCTAssertEqual(wide.window(width: 6).visible, "東京")
        XCTAssertEqual(wide.window(width: 6).caretColumn, 4)
        XCTAssertEqual(TextField(text: "東京").window(width: 1).visible, "")
    }

    func testRenderedPopup() {
        var form = makeForm()
        XCTAssertEqual(form.handle(.enter), .handled)
        form.focus = 0
        _ = form.submit()
        var buffer = ScreenBuffer(width: 30, height: form.preferredHeight)
        form.render(into: &buffer, rect: Rect(x: 0, y: 0, width: 30, height: form.preferredHeight))
        XCTAssertEqual(
            lines(buffer),
            [
                "┌─ Edit item ────────────────┐",
                "│ Name                       │",
                "│          required          │",
                "│ Due                        │",
                "│ Priority ‹ medium ›        │",
                "│ Person                     │",
                "└────────────────────────────┘",
            ])
        XCTAssertEqual(buffer.cursor?.x, 11)
        XCTAssertEqual(buffer.cursor?.y, 1)
        XCTAssertEqual(buffer[11, 1].style, reverse, "the focused input")
        XCTAssertEqual(buffer[11, 3].style, Style(attributes: [.underline]), "an empty input is still visible")
    }

    func testRenderedPopupScrollsLongAndWideInput() {
        var form = makeForm()
        type("東京オフィス東京オフィス東京オフィス", into: &form)
        form.handle(.tab); form.handle(.tab); form.handle(.tab)
        type("a", into: &form)
        var buffer = ScreenBuffer(width: 30, height: 9)
        form.render(into: &buffer, rect: Rect(x: 0, y: 0, width: 30, height: 9), appearance: FormModel.Appearance(glyphs: .ascii))
        XCTAssertEqual(
            lines(buffer),
            [
                "+- Edit item ----------------+",
                "| Name     東京オフィス東... |",
                "| Due                        |",
                "| Priority < medium >        |",
                "| Person   a                 |",
                "|          Dana Kim          |",
                "|          Omar Haddad       |",
                "|                            |",
                "+----------------------------+",
            ])
        XCTAssertEqual(buffer.cursor?.x, 12)
        XCTAssertEqual(buffer.cursor?.y, 4)
        assertExactWidth(buffer)
        // Back on the long field with the caret at its end, the field shows the tail.
        form.focus = 0
        form.render(into: &buffer, rect: Rect(x: 0, y: 0, width: 30, height: 9), appearance: FormModel.Appearance(glyphs: .ascii))
        XCTAssertEqual(buffer.line(1), "| Name     東京オフィス      |", "the tail, with the caret after it")
        XCTAssertEqual(buffer.cursor?.x, 11 + 12)
        assertExactWidth(buffer)
    }

    func testPopupKeepsTheFocusedFieldInViewWhenShort() {
        var form = makeForm()
        form.focus = 3
        var buffer = ScreenBuffer(width: 30, height: 4)
        form.render(into: &buffer, rect: Rect(x: 0, y: 0, width: 30, height: 4))
        XCTAssertEqual(lines(buffer)[1...2], ["│ Person                     │", "│          Dana Kim          │"])
    }
}

final class PickerTests: XCTestCase {
    private let options = ["Dana Kim", "Omar Haddad", "Zoë Park"]

    func testCreateRowOnlyWhenNothingMatchesExactly() {
        var picker = Picker(options: options, createLabel: "create new: ")
        XCTAssertEqual(picker.entries, [.option(0), .option(1), .option(2)], "an empty query lists everything in order")
        for c in "zz" { picker.handle(.char(c), height: 5) }
        XCTAssertEqual(picker.entries, [.create("zz")])
        XCTAssertEqual(picker.label(.create("zz")), "create new: zz")
        XCTAssertEqual(picker.handle(.enter, height: 5), .chosen(.create("zz")))
        picker.query = TextField(text: "dan")
        XCTAssertEqual(picker.entries, [.option(0), .create("dan")])
        picker.query = TextField(text: " dana kim ")
        XCTAssertEqual(picker.entries, [.option(0)], "an exact match, ignoring case and blanks, offers no create row")
        XCTAssertEqual(Picker(options: options, query: "zz").entries, [], "no create label, no create row")
    }

    func testKeysMoveChooseAndResetOnTyping() {
        var picker = Picker(options: options)
        XCTAssertEqual(picker.handle(.down, height: 2), .handled)
        XCTAssertEqual(picker.handle(.down, height: 2), .handled)
        XCTAssertEqual(picker.scroll, ScrollState(selection: 2, offset: 1, count: 3))
        XCTAssertEqual(picker.handle(.enter, height: 2), .chosen(.option(2)))
        picker.handle(.char("a"), height: 2)
        XCTAssertEqual(picker.scroll.selection, 0, "a new query starts at the best match")
        XCTAssertEqual(picker.handle(.escape, height: 2), .cancelled)
        XCTAssertEqual(picker.handle(.function(5), height: 2), .ignored)
    }

    func testRenderHighlightsMatchesAndShowsTheCreateRow() {
        let picker = Picker(options: options, query: "dan", createLabel: "create new: ")
        var buffer = ScreenBuffer(width: 16, height: 4)
        picker.render(into: &buffer, rect: Rect(x: 0, y: 0, width: 16, height: 4))
        XCTAssertEqual(lines(buffer), ["> dan           ", "Dana Kim        ", "create new: dan ", "                "])
        XCTAssertEqual(buffer.cursor?.x, 5)
        XCTAssertEqual(buffer[0, 1].style, Style(attributes: [.reverse, .underline]), "a matched character on the selected row")
        XCTAssertEqual(buffer[3, 1].style, reverse)
        XCTAssertEqual(buffer[0, 2].style, .plain)
    }

    func testRenderWithoutMatchesShowsThePlaceholder() {
        let picker = Picker(options: options, query: "東京オフィス東京オフィス")
        var buffer = ScreenBuffer(width: 12, height: 2)
        picker.render(into: &buffer, rect: Rect(x: 0, y: 0, width: 12, height: 2), list: ListView(rows: [], placeholder: "no match"))
        XCTAssertEqual(lines(buffer), ["> オフィス  ", "no match    "])
        XCTAssertEqual(buffer.cursor?.x, 10)
        assertExactWidth(buffer)
    }
}

final class MenuTests: XCTestCase {
    private let menu = Menu(items: [
        Menu.Item("Open", key: "o"),
        Menu.Item("Delete", key: "d", disabledReason: "read-only"),
        Menu.Item("Close"),
    ])

    func testAcceleratorsAndDisabledReason() {
        var menu = self.menu
        XCTAssertEqual(menu.handle(.char("o"), height: 3), .chosen(0))
        XCTAssertEqual(menu.handle(.char("d"), height: 3), .refused("read-only"))
        XCTAssertEqual(menu.scroll.selection, 1, "the refused item is selected so its reason shows")
        XCTAssertEqual(menu.selectedReason, "read-only")
        XCTAssertEqual(menu.handle(.enter, height: 3), .refused("read-only"))
        XCTAssertEqual(menu.handle(.down, height: 3), .handled)
        XCTAssertNil(menu.selectedReason)
        XCTAssertEqual(menu.handle(.enter, height: 3), .chosen(2))
        XCTAssertEqual(menu.handle(.char("x"), height: 3), .ignored)
        XCTAssertEqual(menu.handle(.escape, height: 3), .cancelled)
        XCTAssertEqual(menu.handle(.home, height: 3), .handled)
        XCTAssertEqual(menu.scroll.selection, 0)
    }

    func testRender() {
        var buffer = ScreenBuffer(width: 16, height: 3)
        menu.render(into: &buffer, rect: Rect(x: 0, y: 0, width: 16, height: 3))
        XCTAssertEqual(lines(buffer), ["o Open          ", "d Delete (read-o", "  Close         "])
        XCTAssertEqual(buffer[0, 0].style, Style(attributes: [.reverse, .bold]))
        XCTAssertEqual(buffer[2, 1].style, Style(attributes: [.dim]))
        XCTAssertEqual(Menu(items: []).rows(), [])
        XCTAssertEqual(Menu(items: [Menu.Item("Only")]).rows().map(\.text), ["Only"], "no key column when no item has a key")
    }
}

final class ToastTests: XCTestCase {
    func testExpiry() {
        let toast = ToastMessage("Saved", kind: .success, ticks: 2)
        XCTAssertEqual(toast.ticked(), ToastMessage("Saved", kind: .success, ticks: 1))
        XCTAssertNil(toast.ticked()?.ticked())
        XCTAssertTrue(ToastMessage("x", ticks: 0).isExpired)
    }

    func testRenderClipsToTheWidth() {
        var buffer = ScreenBuffer(width: 12, height: 1, fill: Cell("#"))
        ToastMessage("Saved 東京\nオフィス", kind: .error).render(into: &buffer, rect: Rect(x: 1, y: 0, width: 10, height: 1))
        XCTAssertEqual(buffer.line(0), "#Saved 東… #")
        XCTAssertEqual(buffer[1, 0].style, Style(attributes: [.bold, .underline]))
        assertExactWidth(buffer)
        ToastMessage("a\nb").render(into: &buffer, rect: Rect(x: 1, y: 0, width: 10, height: 1), prefix: "i ")
        XCTAssertEqual(buffer.line(0), "#i a b     #")
    }
}
