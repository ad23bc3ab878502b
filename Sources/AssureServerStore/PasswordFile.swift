import Foundation

/// libpq's password file: `~/.pgpass`, or the file PGPASSFILE names. One entry a line,
/// `host:port:database:user:password`; `*` in any of the first four matches anything, `\:` and
/// `\\` stand for a colon and a backslash. The first matching line wins. As libpq does, a file
/// that others may read is not used at all.
enum PasswordFile {
    static func lookup(for address: ServerAddress, environment: [String: String]) -> String? {
        guard let path = location(environment), isPrivate(path), let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return nil
        }
        // A Unix socket connection matches entries for localhost, as in libpq.
        let host = address.host.hasPrefix("/") ? "localhost" : address.host
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = split(String(line))
            guard fields.count >= 5 else { continue }
            let wanted = [host, String(address.port), address.database, address.user]
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) {
                return fields[4...].joined(separator: ":")
            }
        }
        return nil
    }

    static func location(_ environment: [String: String]) -> String? {
        if let file = environment["PGPASSFILE"], !file.isEmpty { return file }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.pgpass"
    }

    /// Readable by its owner only (no group or other bits), as libpq demands.
    static func isPrivate(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        return info.st_mode & 0o077 == 0
    }

    /// Splits one line on unescaped colons, undoing `\:` and `\\`.
    static func split(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }
}
