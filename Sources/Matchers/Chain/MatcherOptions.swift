/// One matcher's `options` object from `plugins.json`, read with errors that name the JSON
/// path of the offending value.
public struct MatcherOptions: Sendable, Hashable {
    /// Where these options sit, e.g. `matchers[4].options`.
    public var path: String
    /// The raw values.
    public var values: [String: JSONValue]

    public init(path: String = "options", values: [String: JSONValue] = [:]) {
        self.path = path
        self.values = values
    }

    /// Fails on any key not in `known`, so a misspelt option does not silently do nothing.
    ///
    /// - Throws: ``ChainConfigurationError`` naming the unknown key.
    public func allowOnly(_ known: Set<String>) throws {
        for key in values.keys.sorted() where !known.contains(key) {
            throw ChainConfigurationError(
                path: "\(path).\(key)",
                message: "unknown option (known: \(known.sorted().joined(separator: ", ")))")
        }
    }

    /// A number in `range`, or `defaultValue` when absent.
    ///
    /// - Throws: ``ChainConfigurationError`` when it is not a number or out of range.
    public func double(_ key: String, default defaultValue: Double, in range: ClosedRange<Double>) throws
        -> Double
    {
        guard let value = values[key], value != .null else { return defaultValue }
        guard case .number(let number) = value else {
            throw ChainConfigurationError(path: "\(path).\(key)", message: "must be a number, not \(value.typeName)")
        }
        guard range.contains(number) else {
            throw ChainConfigurationError(
                path: "\(path).\(key)",
                message: "must be between \(format(range.lowerBound)) and \(format(range.upperBound))")
        }
        return number
    }

    /// A whole number in `range`, or `defaultValue` when absent.
    ///
    /// - Throws: ``ChainConfigurationError`` when it is not a whole number or out of range.
    public func int(_ key: String, default defaultValue: Int, in range: ClosedRange<Int>) throws -> Int {
        let number = try double(
            key, default: Double(defaultValue), in: Double(range.lowerBound)...Double(range.upperBound))
        guard number.rounded() == number else {
            throw ChainConfigurationError(path: "\(path).\(key)", message: "must be a whole number")
        }
        return Int(number)
    }

    /// A boolean, or `defaultValue` when absent.
    ///
    /// - Throws: ``ChainConfigurationError`` when it is not a boolean.
    public func bool(_ key: String, default defaultValue: Bool) throws -> Bool {
        guard let value = values[key], value != .null else { return defaultValue }
        guard case .bool(let flag) = value else {
            throw ChainConfigurationError(
                path: "\(path).\(key)", message: "must be true or false, not \(value.typeName)")
        }
        return flag
    }

    /// A string, or `nil` when absent.
    ///
    /// - Throws: ``ChainConfigurationError`` when it is not a string.
    public func string(_ key: String) throws -> String? {
        guard let value = values[key], value != .null else { return nil }
        guard case .string(let text) = value else {
            throw ChainConfigurationError(path: "\(path).\(key)", message: "must be a string, not \(value.typeName)")
        }
        return text
    }

    /// An array of objects, each read as options at `key[i]`; empty when absent.
    ///
    /// - Throws: ``ChainConfigurationError`` when it is not an array of objects.
    public func objects(_ key: String) throws -> [MatcherOptions] {
        guard let value = values[key], value != .null else { return [] }
        guard case .array(let items) = value else {
            throw ChainConfigurationError(path: "\(path).\(key)", message: "must be an array, not \(value.typeName)")
        }
        return try items.enumerated().map { index, item in
            guard case .object(let object) = item else {
                throw ChainConfigurationError(
                    path: "\(path).\(key)[\(index)]", message: "must be an object, not \(item.typeName)")
            }
            return MatcherOptions(path: "\(path).\(key)[\(index)]", values: object)
        }
    }

    private func format(_ number: Double) -> String {
        number.rounded() == number ? String(Int(number)) : String(number)
    }
}
