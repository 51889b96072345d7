extension DynamoDBClient {
    /// An expression (condition, key condition or update) with the attribute names and values it
    /// uses. Names always go through `#placeholders`, since many plain words are DynamoDB
    /// reserved words; and AWS refuses names or values an expression does not use, so only
    /// those used are listed.
    public struct Expression: Hashable, Sendable {
        /// The expression text, e.g. `#rvn = :rvn AND attribute_not_exists(#holder)`.
        public var text: String
        /// `#placeholder` -> attribute name.
        public var names: [String: String]
        /// `:placeholder` -> value.
        public var values: Item

        /// An expression over `names` and `values`.
        public init(_ text: String, names: [String: String] = [:], values: Item = [:]) {
            self.text = text
            self.names = names
            self.values = values
        }

        /// Both expressions must hold. Their placeholders must not clash.
        public func and(_ other: Expression) -> Expression {
            Expression("(\(text)) AND (\(other.text))", names: names.merging(other.names) { first, _ in first },
                       values: values.merging(other.values) { first, _ in first })
        }
    }

    /// The names and values of `expressions` as a request carries them: nil rather than empty,
    /// as AWS refuses an empty map.
    static func placeholders(_ expressions: [Expression?]) -> (names: [String: String]?, values: Item?) {
        var names: [String: String] = [:], values: Item = [:]
        for expression in expressions.compactMap({ $0 }) {
            names.merge(expression.names) { first, _ in first }
            values.merge(expression.values) { first, _ in first }
        }
        return (names.isEmpty ? nil : names, values.isEmpty ? nil : values)
    }
}
