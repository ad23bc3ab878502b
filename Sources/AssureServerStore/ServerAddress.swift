import Foundation

/// Where a team workspace lives: a `postgres://` (or `postgresql://`) URL as libpq reads it.
/// `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=MODE&sslrootcert=FILE&host=/SOCKET/DIR]`.
/// What the URL leaves out comes from the environment libpq uses (PGHOST, PGPORT, PGUSER,
/// PGDATABASE, PGSSLMODE), then libpq's defaults. The password is never stored in the workspace
/// and never printed: the URL, then PGPASSWORD, then the password file (`PasswordFile`).
public struct ServerAddress: Sendable, Equatable, CustomStringConvertible {
    /// libpq's `sslmode`: whether TLS is tried, required, and how far the server is checked.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"
    }

    /// A host name or address, or the folder of the server's Unix socket (starts with `/`).
    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var sslMode: SSLMode
    /// The certificate authorities to check the server against (`verify-ca`, `verify-full`);
    /// the system's when absent.
    public var sslRootCert: String?
    public var connectTimeoutSeconds: Int
    /// Only when the URL itself holds one; `password(...)` looks further.
    package var urlPassword: String?

    /// Whether a workspace argument names a server rather than a file.
    public static func isServer(_ location: String) -> Bool {
        let lower = location.lowercased()
        return lower.hasPrefix("postgres://") || lower.hasPrefix("postgresql://")
    }

    public init(_ url: String, environment: [String: String] = ProcessInfo.processInfo.environment, login: String = ServerAddress.loginName())
        throws
    {
        guard ServerAddress.isServer(url), let parts = URLComponents(string: url) else {
            throw ServerError.badAddress("\(ServerAddress.redacted(url)) is not a postgres:// URL (postgres://USER@HOST:PORT/DATABASE)")
        }
        func nonEmpty(_ value: String?) -> String? { value.flatMap { $0.isEmpty ? nil : $0 } }
        var query: [String: String] = [:]
        for item in parts.queryItems ?? [] {
            guard ServerAddress.knownParameters.contains(item.name) else {
                throw ServerError.badAddress(
                    "unknown parameter \(item.name) in \(ServerAddress.redacted(url)); known: \(ServerAddress.knownParameters.sorted().joined(separator: ", "))"
                )
            }
            query[item.name] = item.value ?? ""
        }
        host = nonEmpty(query["host"]) ?? nonEmpty(parts.host) ?? nonEmpty(environment["PGHOST"]) ?? "localhost"
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let portText = nonEmpty(query["port"]) ?? parts.port.map(String.init) ?? nonEmpty(environment["PGPORT"]) ?? "5432"
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw ServerError.badAddress("port \(portText) in \(ServerAddress.redacted(url)) is not a port number (1 to 65535)")
        }
        self.port = port
        user = nonEmpty(query["user"]) ?? nonEmpty(parts.user) ?? nonEmpty(environment["PGUSER"]) ?? login
        let path = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        database = nonEmpty(query["dbname"]) ?? nonEmpty(path) ?? nonEmpty(environment["PGDATABASE"]) ?? user
        let modeText = nonEmpty(query["sslmode"]) ?? nonEmpty(environment["PGSSLMODE"]) ?? SSLMode.prefer.rawValue
        guard let mode = SSLMode(rawValue: modeText) else {
            throw ServerError.badAddress(
                "sslmode \(modeText) is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        sslMode = mode
        sslRootCert = nonEmpty(query["sslrootcert"])
        let timeoutText = nonEmpty(query["connect_timeout"]) ?? "10"
        guard let timeout = Int(timeoutText), timeout > 0 else {
            throw ServerError.badAddress("connect_timeout \(timeoutText) is not a number of seconds")
        }
        connectTimeoutSeconds = timeout
        urlPassword = parts.password
    }

    static let knownParameters: Set<String> = ["sslmode", "sslrootcert", "host", "port", "user", "dbname", "connect_timeout"]

    /// The URL without its password: safe to print and to record.
    public var description: String {
        var text = "postgres://\(ServerAddress.percentEncoded(user))@"
        if host.hasPrefix("/") {
            text += "/\(ServerAddress.percentEncoded(database))?host=\(host)&port=\(port)"
        } else {
            text += (host.contains(":") ? "[\(host)]" : host) + ":\(port)/\(ServerAddress.percentEncoded(database))"
        }
        return text
    }

    /// The password to log in with: the URL's, else PGPASSWORD, else the password file's entry.
    public func password(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let urlPassword { return urlPassword }
        if let password = environment["PGPASSWORD"], !password.isEmpty { return password }
        return PasswordFile.lookup(for: self, environment: environment)
    }

    /// A URL with any password replaced, for messages about a URL that did not parse.
    static func redacted(_ url: String) -> String {
        guard let at = url.lastIndex(of: "@"), let scheme = url.range(of: "://"), scheme.upperBound < at else { return url }
        let credentials = url[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }

    private static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed.subtracting(CharacterSet(charactersIn: ":@/"))) ?? text
    }

    /// The account's login name: libpq's default user.
    public static func loginName() -> String {
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name.map({ String(cString: $0) }), !name.isEmpty { return name }
        return ProcessInfo.processInfo.environment["USER"] ?? "postgres"
    }
}
