/// A matcher that is built from its `plugins.json` options and knows its own entry in the
/// chain that ships.
///
/// Register it with ``MatcherRegistry/register(_:)``: the registry then builds it by
/// ``name`` and lists ``defaultConfiguration`` in ``MatcherRegistry/defaultMatchers``, from
/// which ``ChainConfiguration/default`` (and so the repository's `plugins.json`) follows.
public protocol ConfigurableMatcher: ShowMatcher {
    /// The name used in `plugins.json`, e.g. `tmdb-exact`.
    static var name: String { get }

    /// This matcher's entry in the shipped chain: enabled, its weight, a comment for people
    /// editing the file, and every option at its default.
    static var defaultConfiguration: MatcherConfiguration { get }

    /// Builds the matcher from its `options` object.
    ///
    /// - Throws: ``ChainConfigurationError`` for unknown or bad options.
    init(options: MatcherOptions) throws
}

/// A matcher's options written once: each `plugins.json` key, where its value lives in the
/// matcher's `Settings`, and its range. Reading options (unknown keys rejected, values
/// checked, absent ones left at their defaults) and writing the defaults both follow from it.
public struct OptionSchema<Settings> {
    /// One option.
    public struct Option {
        public let key: String
        let read: (MatcherOptions, inout Settings) throws -> Void
        let write: (Settings) -> JSONValue

        /// A number in `range`.
        public static func number(
            _ key: String, _ path: WritableKeyPath<Settings, Double>, in range: ClosedRange<Double>
        ) -> Option {
            Option(
                key: key,
                read: { options, settings in
                    settings[keyPath: path] = try options.double(key, default: settings[keyPath: path], in: range)
                },
                write: { .number($0[keyPath: path]) })
        }

        /// A whole number in `range`.
        public static func integer(
            _ key: String, _ path: WritableKeyPath<Settings, Int>, in range: ClosedRange<Int>
        ) -> Option {
            Option(
                key: key,
                read: { options, settings in
                    settings[keyPath: path] = try options.int(key, default: settings[keyPath: path], in: range)
                },
                write: { .number(Double($0[keyPath: path])) })
        }

        /// `true` or `false`.
        public static func flag(_ key: String, _ path: WritableKeyPath<Settings, Bool>) -> Option {
            Option(
                key: key,
                read: { options, settings in
                    settings[keyPath: path] = try options.bool(key, default: settings[keyPath: path])
                },
                write: { .bool($0[keyPath: path]) })
        }
    }

    public let options: [Option]

    public init(_ options: [Option]) {
        self.options = options
    }

    /// `defaults` with every option `values` sets read over it; `comment` is allowed and
    /// ignored.
    ///
    /// - Throws: ``ChainConfigurationError`` naming an unknown key or a bad value.
    public func read(_ values: MatcherOptions, over defaults: Settings) throws -> Settings {
        try values.allowOnly(Set(options.map(\.key)).union(["comment"]))
        _ = try values.string("comment")
        var settings = defaults
        for option in options { try option.read(values, &settings) }
        return settings
    }

    /// Every option with its value in `settings`, as `plugins.json` writes them.
    public func values(of settings: Settings) -> [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: options.map { ($0.key, $0.write(settings)) })
    }
}
