import Foundation
import Logging
import Matchers
import Storage
import Synchronization

/// The matcher chain while the daemon runs: re-reading `plugins.json` (`SIGHUP`,
/// `POST /api/chain/reload`) and writing rules a person adds from a conflict. The running chain
/// is swapped only for one that was read and validated whole; an invalid file keeps it.
struct ChainService: Sendable {
    let holder: ChainHolder
    /// The chain file.
    let path: String
    /// Whether a missing file means the built-in chain (the default path) rather than an error.
    let allowsMissingFile: Bool
    let logger: Logger
    /// One reload or rule write at a time, so two writers never lose each other's change.
    private let fileLock = FileLock()

    static let builtInSource = "built-in default chain"

    init(holder: ChainHolder, path: String, allowsMissingFile: Bool, logger: Logger) {
        self.holder = holder
        self.path = path
        self.allowsMissingFile = allowsMissingFile
        self.logger = logger
    }

    /// A rule as a person asks for it.
    struct RuleDraft: Sendable, Equatable {
        enum Action: Sendable, Equatable {
            /// The tracker show's key (the index's id).
            case show(key: String)
            case ignore
        }

        var pattern: String
        var section: String?
        var action: Action
        var comment: String?
    }

    /// Re-reads and validates the chain file and swaps the running chain. Throws `.invalid`
    /// naming the JSON path (`field`) of the first problem; the running chain stays then.
    @discardableResult
    func reload() throws -> ChainHolder.Loaded {
        try fileLock.mutex.withLock { _ in
            let (chain, source) = try load()
            holder.swap(chain, source: source)
            logger.info("matcher chain reloaded from \(source): \(chain.stages.map(\.name).joined(separator: ", "))")
            return holder.loaded
        }
    }

    /// Adds a `regex-rules` rule to the chain file, first in its list (the newest rule wins),
    /// keeping the file's other content, and swaps the running chain. The file is written only
    /// when the whole new chain is valid.
    ///
    /// Throws `.invalid` naming the JSON path at fault: a bad pattern, a disabled `regex-rules`,
    /// or a chain file that is invalid already.
    @discardableResult
    func addRule(_ draft: RuleDraft) throws -> ChainHolder.Loaded {
        try fileLock.mutex.withLock { _ in
            var document = try currentDocument()
            try Self.insert(Self.ruleObject(draft), into: &document)
            let data = try Self.format(document)
            let chain: MatchChain
            do {
                chain = try MatchChain(configuration: try ChainConfiguration(jsonData: data))
            } catch let error as ChainConfigurationError {
                throw ServiceError.invalid(error.description, field: error.path.isEmpty ? nil : error.path)
            }
            do {
                try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw ServiceError(.conflict, "\(path) could not be written: \(ChainLoading.describe(error))")
            }
            holder.swap(chain, source: path)
            logger.info("rule /\(draft.pattern)/ added to \(path); matcher chain reloaded")
            return holder.loaded
        }
    }

    // MARK: - The file

    private func load() throws -> (MatchChain, String) {
        if allowsMissingFile && !FileManager.default.fileExists(atPath: path) {
            return (try MatchChain(configuration: .default), Self.builtInSource)
        }
        do {
            return (try MatchChain.load(contentsOf: URL(fileURLWithPath: path)), path)
        } catch let error as ChainConfigurationError {
            logger.error("chain \(path) not reloaded, the running chain stays: \(error)")
            throw ServiceError.invalid(
                "\(path): \(error.description) (the running chain stays)", field: error.path.isEmpty ? nil : error.path)
        } catch {
            logger.error("chain \(path) not reloaded, the running chain stays: \(ChainLoading.describe(error))")
            throw ServiceError.invalid("\(path): \(ChainLoading.describe(error)) (the running chain stays)")
        }
    }

    /// The file's JSON as it is now; the built-in chain when a missing file is allowed.
    private func currentDocument() throws -> JSONValue {
        let data: Data
        if allowsMissingFile && !FileManager.default.fileExists(atPath: path) {
            data = try ChainConfiguration.default.jsonData()
        } else {
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw ServiceError.invalid("\(path): \(ChainLoading.describe(error))")
            }
        }
        do {
            _ = try ChainConfiguration(jsonData: data)
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch let error as ChainConfigurationError {
            throw ServiceError.invalid(
                "\(path) is invalid already, fix it first: \(error.description)", field: error.path.isEmpty ? nil : error.path)
        }
    }

    static func ruleObject(_ draft: RuleDraft) -> JSONValue {
        var rule: [String: JSONValue] = ["pattern": .string(draft.pattern)]
        if let section = draft.section { rule["section"] = .string(section) }
        switch draft.action {
        case .show(let key): rule["show_id"] = .string(key)
        case .ignore: rule["ignore"] = .bool(true)
        }
        if let comment = draft.comment { rule["comment"] = .string(comment) }
        return .object(rule)
    }

    /// Puts `rule` first in `regex-rules`' rules, adding that matcher first in the chain when
    /// the file has none.
    static func insert(_ rule: JSONValue, into document: inout JSONValue) throws {
        guard case .object(var root) = document, case .array(var matchers)? = root["matchers"] else {
            throw ServiceError.invalid("the chain file has no matchers list", field: "matchers")
        }
        if let position = matchers.firstIndex(where: {
            if case .object(let entry) = $0, entry["name"] == .string(RegexRulesMatcher.name) { return true }
            return false
        }) {
            guard case .object(var entry) = matchers[position] else { return }
            if entry["enabled"] == .bool(false) {
                throw ServiceError.invalid(
                    "regex-rules is disabled: enable it to add rules", field: "matchers[\(position)].enabled")
            }
            var options: [String: JSONValue] = [:]
            if case .object(let existing)? = entry["options"] { options = existing }
            var rules: [JSONValue] = []
            if case .array(let existing)? = options["rules"] { rules = existing }
            options["rules"] = .array([rule] + rules)
            entry["options"] = .object(options)
            matchers[position] = .object(entry)
        } else {
            matchers.insert(.object([
                "name": .string(RegexRulesMatcher.name), "enabled": .bool(true), "weight": .number(1),
                "options": .object(["rules": .array([rule])]),
            ]), at: 0)
        }
        root["matchers"] = .array(matchers)
        document = .object(root)
    }

    /// Pretty-printed, keys sorted, with a final newline.
    static func format(_ document: JSONValue) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(document) + Data("\n".utf8)
    }
}

/// The lock around the chain file (a class, so the service stays copyable).
private final class FileLock: Sendable {
    let mutex = Mutex(())
}
