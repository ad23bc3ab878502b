import Foundation

/// What went wrong with a server workspace, in words for the person at the terminal. Never
/// holds a password.
public enum ServerError: Error, CustomStringConvertible, Equatable {
    /// The URL itself: a bad port, an unknown parameter, an unknown sslmode.
    case badAddress(String)
    /// The server could not be reached or refused the login.
    case cannotConnect(address: String, reason: String)
    /// The server answered a statement with an error: its SQLSTATE code and message.
    case statement(state: String, message: String)
    /// Something else went wrong talking to the server.
    case server(String)
    /// The copy cannot go ahead (a workspace already there, a different schema).
    case refused(String)

    public var description: String {
        switch self {
        case .badAddress(let message): message
        case .cannotConnect(let address, let reason): "cannot connect to \(address): \(reason)"
        case .statement(_, let message): message
        case .server(let message): message
        case .refused(let message): message
        }
    }
}
