import Foundation

extension DynamoDBClient {
    /// One attribute of a DynamoDB item as the JSON protocol writes it: an object with a single
    /// member naming the type (`{"S": "text"}`, `{"N": "42"}`). Only the types Reflex stores.
    public enum AttributeValue: Hashable, Sendable, Codable {
        /// `S`: text.
        case string(String)
        /// `N`: a number, kept as DynamoDB's decimal text so that no precision is lost on the way.
        case number(String)
        /// `BOOL`.
        case bool(Bool)
        /// `NULL`: an attribute whose value is null (not an absent one).
        case null
        /// `M`: named values.
        case map([String: AttributeValue])
        /// `L`: a list of values.
        case list([AttributeValue])

        /// An integer number.
        public static func integer(_ value: Int) -> AttributeValue { .number(String(value)) }

        /// The text of a string attribute.
        public var stringValue: String? { if case let .string(value) = self { value } else { nil } }
        /// The value of a number attribute that is an integer.
        public var intValue: Int? { if case let .number(value) = self { Int(value) } else { nil } }
        /// The value of a boolean attribute.
        public var boolValue: Bool? { if case let .bool(value) = self { value } else { nil } }

        private enum Member: String, CodingKey { case S, N, BOOL, NULL, M, L }

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Member.self)
            switch self {
            case let .string(value): try container.encode(value, forKey: .S)
            case let .number(value): try container.encode(value, forKey: .N)
            case let .bool(value): try container.encode(value, forKey: .BOOL)
            case .null: try container.encode(true, forKey: .NULL)
            case let .map(value): try container.encode(value, forKey: .M)
            case let .list(value): try container.encode(value, forKey: .L)
            }
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Member.self)
            // Exactly one member: anything else is not an attribute value Reflex wrote.
            guard container.allKeys.count == 1, let member = container.allKeys.first else {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                        debugDescription: "an attribute value of a type Reflex does not store"))
            }
            switch member {
            case .S: self = .string(try container.decode(String.self, forKey: .S))
            case .N: self = .number(try container.decode(String.self, forKey: .N))
            case .BOOL: self = .bool(try container.decode(Bool.self, forKey: .BOOL))
            case .NULL: self = .null
            case .M: self = .map(try container.decode([String: AttributeValue].self, forKey: .M))
            case .L: self = .list(try container.decode([AttributeValue].self, forKey: .L))
            }
        }
    }

    /// An item (or a key): attribute names and values.
    public typealias Item = [String: AttributeValue]
}
