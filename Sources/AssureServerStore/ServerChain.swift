import Foundation

/// The change log as the server itself holds it, checked on the server: every row's hash
/// recomputed by `assure.chain_hash`, every link to the row before, ids without a gap.
public struct ServerChainCheck: Sendable, Equatable {
    public var rows: Int
    public var head: String?
    /// The first row that does not hash to its stored hash or does not link to the row before.
    public var firstBadRow: Int64?

    public static func run(_ address: ServerAddress) throws -> ServerChainCheck {
        try ServerSession.with(address) { session in
            let (rows, last, head) = try await session.rows(
                "SELECT count(*)::bigint, coalesce(max(id), 0), (SELECT hash FROM assure.change_log ORDER BY id DESC LIMIT 1) FROM assure.change_log"
            ).first!.decode((Int, Int64, String?).self)
            let bad = try await session.rows(
                """
                SELECT c.id FROM assure.change_log c LEFT JOIN assure.change_log p ON p.id = c.id - 1
                WHERE assure.chain_hash(c) <> c.hash OR c.prev_hash <> coalesce(p.hash, repeat('0', 64))
                   OR (p.id IS NULL AND c.id <> 1)
                ORDER BY c.id LIMIT 1
                """
            ).first.map { try $0.decode(Int64.self) }
            return ServerChainCheck(rows: rows, head: head, firstBadRow: bad ?? (Int64(rows) == last ? nil : last))
        }
    }
}
