import Foundation
import NIOSSL
import PostgresNIO

/// One connection to the server holding a team workspace. The copy and the server store talk
/// to PostgreSQL only through this: statements with bound values, rows back, COPY in.
package final class ServerSession: Sendable {
    package let address: ServerAddress
    private let connection: PostgresConnection
    private static let logger: Logger = {
        var logger = Logger(label: "assure.server")
        logger.logLevel = .critical
        return logger
    }()

    private init(address: ServerAddress, connection: PostgresConnection) {
        self.address = address
        self.connection = connection
    }

    /// Connects as the address says (TLS as its `sslmode` asks); errors name the server, never
    /// the password.
    package static func connect(_ address: ServerAddress, environment: [String: String] = ProcessInfo.processInfo.environment) async throws
        -> ServerSession
    {
        let configuration: PostgresConnection.Configuration
        do {
            configuration = try makeConfiguration(address, password: address.password(environment: environment))
        } catch let error as ServerError {
            throw error
        } catch {
            throw ServerError.cannotConnect(address: address.description, reason: "TLS settings: \(error)")
        }
        do {
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
            return ServerSession(address: address, connection: connection)
        } catch {
            throw ServerError.cannotConnect(address: address.description, reason: ServerSession.describe(error))
        }
    }

    private static func makeConfiguration(_ address: ServerAddress, password: String?) throws -> PostgresConnection.Configuration {
        if address.host.hasPrefix("/") {
            let socket = "\(address.host)/.s.PGSQL.\(address.port)"
            var configuration = PostgresConnection.Configuration(
                unixSocketPath: socket, username: address.user, password: password, database: address.database)
            configuration.options.connectTimeout = .seconds(Int64(address.connectTimeoutSeconds))
            return configuration
        }
        var configuration = PostgresConnection.Configuration(
            host: address.host, port: address.port, username: address.user, password: password, database: address.database,
            tls: try tls(address))
        configuration.options.connectTimeout = .seconds(Int64(address.connectTimeoutSeconds))
        return configuration
    }

    /// libpq's sslmode in postgres-nio's terms: `disable` never, `allow` and `prefer` when the
    /// server offers it (unchecked, as libpq does), `require` always (unchecked), `verify-ca`
    /// checks the certificate chain, `verify-full` the chain and the host name.
    private static func tls(_ address: ServerAddress) throws -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch address.sslMode {
        case .disable: return .disable
        case .allow, .prefer, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if let root = address.sslRootCert {
            guard FileManager.default.isReadableFile(atPath: root) else {
                throw ServerError.badAddress("sslrootcert \(root) cannot be read")
            }
            tls.trustRoots = .file(root)
        }
        let context = try NIOSSLContext(configuration: tls)
        return address.sslMode == .require || address.sslMode == .verifyCA || address.sslMode == .verifyFull
            ? .require(context) : .prefer(context)
    }

    package func close() async { try? await connection.close() }

    /// A session dropped without `close()` (a workspace never closed, a process on its way
    /// out) closes its connection here: postgres-nio wants every connection closed.
    deinit {
        guard !connection.isClosed else { return }
        let closing: EventLoopFuture<Void> = connection.close()
        if !connection.eventLoop.inEventLoop { try? closing.wait() }
    }

    /// Runs one statement (no rows wanted).
    package func execute(_ sql: String, _ values: [ServerValue] = []) async throws {
        _ = try await rows(sql, values)
    }

    /// Runs one statement and returns its rows.
    package func rows(_ sql: String, _ values: [ServerValue] = []) async throws -> [PostgresRow] {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values { value.bind(into: &bindings) }
        do {
            let sequence = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: ServerSession.logger)
            var rows: [PostgresRow] = []
            for try await row in sequence { rows.append(row) }
            return rows
        } catch let error as PSQLError {
            throw ServerError.statement(state: error.serverInfo?[.sqlState] ?? "", message: ServerSession.describe(error))
        } catch {
            throw ServerError.server(ServerSession.describe(error))
        }
    }

    /// Calls `notified` on every NOTIFY on `channel`, from the connection's event loop (keep it
    /// short: hand the work to a queue).
    package func listen(_ channel: String, notified: @escaping @Sendable () -> Void) async throws {
        connection.addListener(channel: channel) { _, _ in notified() }
        try await execute("LISTEN \(channel)")
    }

    /// `COPY table (columns) FROM STDIN` in the text format, fed by `produce` one chunk at a time.
    func copyIn(table: String, columns: [String], produce: (PostgresCopyFromWriter) async throws -> Void) async throws {
        do {
            try await connection.copyFrom(table: table, columns: columns, logger: ServerSession.logger, writeData: produce)
        } catch let error as ServerError {
            throw error
        } catch {
            throw ServerError.server(ServerSession.describe(error))
        }
    }

    /// Runs `body` on a new session to `address`, closed afterwards whatever happens.
    package static func with<T: Sendable>(_ address: ServerAddress, _ body: @escaping @Sendable (ServerSession) async throws -> T) throws -> T {
        try Blocking.run {
            let session = try await ServerSession.connect(address)
            do {
                let value = try await body(session)
                await session.close()
                return value
            } catch {
                await session.close()
                throw error
            }
        }
    }

    /// Runs `body` in one transaction (`begin` says which kind) on a new session: committed
    /// when it returns, rolled back when it throws; the session closed either way.
    package static func transaction<T: Sendable>(
        _ address: ServerAddress, begin: String = "BEGIN", environment: [String: String] = ProcessInfo.processInfo.environment,
        _ body: @escaping @Sendable (ServerSession) async throws -> T
    ) throws -> T {
        try Blocking.run {
            let session = try await ServerSession.connect(address, environment: environment)
            do {
                try await session.execute(begin)
                let value = try await body(session)
                try await session.execute("COMMIT")
                await session.close()
                return value
            } catch {
                try? await session.execute("ROLLBACK")
                await session.close()
                throw error
            }
        }
    }

    /// The server's own message (with its detail) where there is one, else the underlying cause.
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let info = error.serverInfo, let message = info[.message] {
            var text = message
            if let detail = info[.detail] { text += " (\(detail))" }
            return text
        }
        if error.code == .sslUnsupported {
            return "the server does not offer TLS, and sslmode asks for it (sslmode=prefer uses it only when offered)"
        }
        if let underlying = error.underlying as? NIOSSLError { return "TLS failed: \(underlying)" }
        if let underlying = error.underlying as? BoringSSLError { return "TLS failed: \(underlying)" }
        if let underlying = error.underlying { return "\(underlying)" }
        return "\(error.code)"
    }
}

/// A value bound to a statement. Text, integers, reals, bytes or NULL: what a workspace holds.
package enum ServerValue: Sendable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case bytes([UInt8])

    func bind(into bindings: inout PostgresBindings) {
        switch self {
        case .null: bindings.appendNull()
        case .integer(let value): bindings.append(value)
        case .real(let value): bindings.append(value)
        case .text(let value): bindings.append(value)
        case .bytes(let value): bindings.append(ByteBuffer(bytes: value))
        }
    }
}
