import Foundation

extension Output {
    /// Writes bytes already formatted (a CSV built by the store) to standard output in as few
    /// calls as the system allows, after anything `print` has buffered, so the order stays as
    /// written.
    static func write(_ bytes: [UInt8]) {
        fflush(nil)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(1, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                offset += written
            }
        }
    }
}
