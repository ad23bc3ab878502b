/// Values by SQLite row id. Row ids are nearly always dense (1, 2, 3, ... with a few gaps
/// where rows were deleted), so when the largest id is within a few times the row count the
/// values sit in an array indexed by id: 20,000 gaps each looking up their control, owner and
/// requirement then cost an index each, not a hash of an integer. Any other id (negative,
/// beyond the array) goes to a dictionary, so the table holds every id whatever its shape.
struct RowIDTable<Value> {
    private var dense: [Value?]
    private var sparse: [Int64: Value] = [:]

    /// `largestID`: the largest id that will be stored (a guess is fine: others go to the
    /// dictionary); `count`: about how many values.
    init(largestID: Int64, count: Int) {
        let limit = Int64(count) * 4 + 1024
        dense = largestID >= 0 && largestID < limit ? Array(repeating: nil, count: Int(largestID) + 1) : []
    }

    subscript(id: Int64) -> Value? {
        @inline(__always) get { id >= 0 && id < dense.count ? dense[Int(id)] : sparse[id] }
        set {
            if id >= 0 && id < dense.count { dense[Int(id)] = newValue } else { sparse[id] = newValue }
        }
    }

    /// Changes the value of `id` in place (`initial` when it has none): appending to a list
    /// held here does not copy it.
    mutating func modify(_ id: Int64, initial: @autoclosure () -> Value, _ change: (inout Value) -> Void) {
        if id >= 0 && id < dense.count {
            let i = Int(id)
            if dense[i] == nil { dense[i] = initial() }
            change(&dense[i]!)
        } else {
            change(&sparse[id, default: initial()])
        }
    }
}
