import Crypto
import Foundation
import GRDB

/// The hash chain over decision rows. Each row's hash is SHA-256 over its id, every content
/// column and the previous row's hash, in a length-prefixed encoding that no two different
/// rows share. Changing, removing or inserting a row breaks the chain at that row.
enum DecisionChain {
    /// The `prev_hash` of the first row ever written.
    static let genesis = String(repeating: "0", count: 64)

    /// The content columns in hashing order (everything but `hash`).
    static let columns = ["id", "recorded_at", "kind", "policy", "policy_hash", "target", "state_from", "state_to",
                          "reason", "detail", "evidence", "action", "parameters", "mode", "intent_id", "aws_request_id",
                          "outcome", "prev_hash"]

    /// Columns added later (migration v8), hashed after `columns` and only when not NULL, so
    /// that a row written before they existed keeps its hash.
    static let laterColumns = ["state_before", "change"]

    /// Every stored column but `hash`.
    static var allColumns: [String] { columns + laterColumns }

    /// The hash of a row whose columns (by name, as stored) are `values`.
    static func hash(_ values: [String: DatabaseValue]) -> String {
        var canonical = ""
        let present = laterColumns.filter { values[$0].map { !$0.isNull } ?? false }
        for column in columns + present {
            canonical += column
            switch values[column]?.storage {
            case nil, .null?: canonical += "~"
            case let .int64(value)?: canonical += "#\(value)"
            case let .double(value)?: canonical += "%\(value)"
            case let .string(text)?: canonical += ":\(text.utf8.count):" + text
            case let .blob(data)?: canonical += "&\(data.count):" + data.base64EncodedString()
            }
            canonical += "\n"
        }
        return sha256(canonical)
    }

    /// The hex SHA-256 of `text`'s UTF-8 bytes.
    static func sha256(_ text: String) -> String { sha256(Data(text.utf8)) }

    /// The hex SHA-256 of `data`.
    static func sha256(_ data: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: data) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
