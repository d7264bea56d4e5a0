import Foundation
import Matchers

/// The tracker: shows, seasons, episodes, users and their watches.
///
/// Every method is one atomic unit in every adapter. "Not found" is `nil`, never an error;
/// errors are `StoreError` (invalid input, a broken invariant) or the adapter's own I/O errors.
public protocol TrackerStore: Sendable {
    /// Adds or updates shows by `key`, all or nothing; re-importing the same shows changes nothing.
    ///
    /// Throws `StoreError` naming the offending show (by position) when one breaks an invariant,
    /// e.g. a tmdb id that belongs to another show; nothing is stored then.
    func importShows(_ shows: [ShowInput]) async throws -> ImportSummary
    /// Adds one show (or updates the show with its key) and returns it.
    func upsertShow(_ show: ShowInput) async throws -> Show
    func show(id: Int64) async throws -> Show?
    func show(key: String) async throws -> Show?
    func show(tmdbID: Int) async throws -> Show?
    /// Shows ordered by title, optionally those whose title contains `search` (case-insensitive).
    func shows(search: String?, limit: Int, offset: Int) async throws -> Page<Show>
    /// Every show as the matchers see it, to build the match index.
    func catalogShows() async throws -> [CatalogShow]
    /// A show with its seasons, episodes and the user's watch state.
    func showDetail(id: Int64, userID: Int64) async throws -> ShowDetail?
    /// Deletes a show with its seasons, episodes and watches; mappings to it become unmapped.
    func deleteShow(id: Int64) async throws -> Bool
    /// Marks an episode watched and recomputes the show's totals, atomically.
    ///
    /// An automatic watch never overwrites an existing date (a hand-set one least of all);
    /// a hand-set watch always sets the date. Returns nil when the show, or the episode
    /// (with no `episodeIfMissing`), does not exist.
    func markWatched(_ request: WatchRequest) async throws -> WatchResult?
    /// Removes a user's watch of an episode and recomputes totals; nil if the episode is unknown.
    func unmarkWatched(userID: Int64, episodeID: Int64) async throws -> ShowTotals?
    func totals(userID: Int64, showID: Int64) async throws -> ShowTotals
    /// The user's shows with the most watched episodes, most first (ties by title).
    func mostWatchedShows(userID: Int64, limit: Int) async throws -> [WatchedShow]
    func episode(id: Int64) async throws -> Episode?

    /// Creates a user; throws `StoreError` when the name or Plex account is taken.
    func createUser(
        name: String, plexAccountID: String?, plexAccountName: String?, isAdmin: Bool, passwordHash: String?
    ) async throws -> User
    /// Sets (or clears) a user's password hash; returns false for an unknown user.
    func setPasswordHash(userID: Int64, hash: String?) async throws -> Bool
    func user(id: Int64) async throws -> User?
    func user(name: String) async throws -> User?
    /// The user linked to a Plex account, by account id first, then by account name.
    func user(plexAccountID: String?, plexAccountName: String?) async throws -> User?
    func users() async throws -> [User]
}

/// The Plex side: settings, show mappings, conflicts and the webhook inbox (`plex_webhook_logs`).
public protocol PlexStore: Sendable {
    func plexConfig() async throws -> PlexConfig?
    func savePlexConfig(_ config: PlexConfig) async throws
    /// Removes the settings (token and secret); returns whether there were any.
    func deletePlexConfig() async throws -> Bool

    /// Creates the mapping for a Plex show unless one exists; exactly one wins under concurrency.
    func createMappingIfAbsent(_ draft: MappingDraft) async throws -> (mapping: PlexShowMapping, created: Bool)
    func mapping(id: Int64) async throws -> PlexShowMapping?
    func mapping(serverUUID: String, plexShowKey: String) async throws -> PlexShowMapping?
    /// Writes fields of a mapping as given (sync on or off, say); decisions go through
    /// ``recordMatch(_:verdict:evidence:now:)`` and ``decide(mappingID:_:now:)``.
    func updateMapping(id: Int64, _ update: MappingUpdate) async throws -> PlexShowMapping?
    func mappings(_ filter: MappingFilter) async throws -> Page<PlexShowMapping>

    /// Records what the matchers concluded about a Plex show, in one transaction: creates its
    /// mapping or moves it as `MappingRules.transition` says (a decision already stored wins),
    /// and for a show left waiting opens its conflict with `evidence`, or joins the open one.
    /// Of many concurrent calls for one Plex show, exactly one creates the mapping.
    ///
    /// Throws `StoreError.invalid` for a confidence outside 0...1 or an empty show key.
    func recordMatch(_ show: PlexShowIdentity, verdict: MatchVerdict, evidence: ConflictEvidence?, now: Date)
        async throws -> MatchRecord
    /// Applies a person's decision to a mapping (`MappingRules.transition`) and settles its open
    /// conflict the same way (`ConflictRules.settle`), putting the webhooks it held back in the
    /// inbox, all in one transaction. Nil when the mapping is unknown.
    ///
    /// Throws `StoreError.invalid` for an unknown show or a confirmation with no show.
    func decide(mappingID: Int64, _ decision: PersonDecision, now: Date) async throws -> DecisionRecord?

    /// Opens a conflict for a mapping, or returns the one already open for it.
    func openConflict(mappingID: Int64, plexTitle: String, plexYear: Int?, evidence: ConflictEvidence)
        async throws -> PlexConflict
    func conflict(id: Int64) async throws -> PlexConflict?
    /// The open conflict of a mapping, if it has one.
    func openConflict(forMapping mappingID: Int64) async throws -> PlexConflict?
    func conflicts(status: ConflictStatus?, limit: Int, offset: Int) async throws -> Page<PlexConflict>
    /// Resolves an open conflict, updates its mapping and puts the webhooks it held back in
    /// the inbox, all at once (``decide(mappingID:_:now:)`` with the resolution's decision).
    /// Returns nil when the conflict is unknown or not open.
    func resolveConflict(
        id: Int64, resolution: ConflictResolution, showID: Int64?, now: Date
    ) async throws -> PlexConflict?

    /// Writes a webhook to the inbox, or records it as a duplicate of one with the same
    /// idempotency key received within `dedupeWindow` seconds before `now`.
    func receiveWebhook(_ entry: InboxEntry, dedupeWindow: TimeInterval, now: Date) async throws -> ReceiveOutcome
    /// Logs a webhook that is finished as it arrives: `failed` for an invalid payload, `ignored`
    /// for an event Showmatch does not act on; `message` says why.
    func recordFinishedWebhook(_ entry: InboxEntry, status: WebhookStatus, message: String, now: Date)
        async throws -> Int64
    /// Takes up to `limit` webhooks that are `received`, or `failed` and due for a retry, and
    /// marks them `processing` (attempts + 1), oldest first. A webhook is claimed once.
    func claimWebhooks(limit: Int, now: Date) async throws -> [WebhookLog]
    /// Records how processing of a claimed webhook ended.
    func completeWebhook(id: Int64, _ completion: WebhookCompletion, now: Date) async throws
    /// Records several outcomes in one transaction.
    func completeWebhooks(_ completions: [(id: Int64, completion: WebhookCompletion)], now: Date) async throws
    /// Puts webhooks left `processing` by a stopped process back to `received`; returns how many.
    func releaseInterruptedWebhooks() async throws -> Int
    func webhookLog(id: Int64) async throws -> WebhookLog?
    func webhookLogs(_ filter: WebhookLogFilter) async throws -> Page<WebhookLog>
    /// Webhooks per UTC day and status since `date`, with their average processing time.
    func webhookActivity(since date: Date) async throws -> [WebhookActivity]
    /// Webhooks waiting in the inbox (`received`, `processing`, or `failed` with a retry due).
    func inboxDepth() async throws -> Int
    /// Deletes finished webhook logs created before `date`; returns how many.
    func deleteWebhookLogs(before date: Date) async throws -> Int
}

/// The persistent id-conversion cache (tvdb→tmdb, imdb→tmdb, episode→show, ratingKey→ids).
public protocol CacheStore: Sendable {
    /// The entry for `key` unless it has expired by `now`.
    func cachedConversion(key: String, now: Date) async throws -> CachedConversion?
    /// Stores `value` (nil for "not found") until `expiresAt`.
    func cacheConversion(key: String, value: String?, expiresAt: Date) async throws
    func removeCachedConversion(key: String) async throws
}

/// API tokens and login sessions, stored by hash only.
public protocol AuthStore: Sendable {
    func createAPIToken(name: String, tokenHash: String, userID: Int64?, now: Date) async throws -> APIToken
    /// Creates a token that stops working at `expiresAt` (never when nil).
    func createAPIToken(name: String, tokenHash: String, userID: Int64?, expiresAt: Date?, now: Date)
        async throws -> APITokenInfo
    /// The token with this hash unless it has expired by `now`, recording its use.
    ///
    /// An unknown hash costs a read only; the use of a known one is written at most once a
    /// minute, so a flood of bearer headers does not compete with webhooks for the writer.
    func useAPIToken(hash: String, now: Date) async throws -> APIToken?
    /// Tokens (never their hashes), newest first: one user's, or everyone's when `userID` is nil.
    func apiTokens(userID: Int64?) async throws -> [APITokenInfo]
    /// Revokes a token; returns false when there is none with that id.
    func deleteAPIToken(id: Int64) async throws -> Bool
    func createSession(_ session: LoginSession) async throws
    /// The session with this hash unless it has expired by `now`.
    func session(hash: String, now: Date) async throws -> LoginSession?
    func deleteSession(hash: String) async throws
    /// Ends every session of a user (after a password change); returns how many there were.
    func deleteSessions(userID: Int64) async throws -> Int
}

/// Plex accounts and where their watches go.
public protocol AccountStore: Sendable {
    /// Every account known, by name then id.
    func plexAccounts() async throws -> [PlexAccount]
    func plexAccount(id: String) async throws -> PlexAccount?
    /// Records an account seen at `seenAt` (a webhook, the history, plex.tv's list), creating it
    /// with the default target; a known name is kept when `name` is nil.
    func notePlexAccount(id: String, name: String?, seenAt: Date?) async throws -> PlexAccount
    /// Sets (or clears, with nil) where the account's watches go. With `moveWatches`, every watch
    /// the account brought into another tracker moves to `toUserID`'s, in the same transaction
    /// (`AccountRules.moved`: dates kept, a hand-set date wins on a collision); otherwise they stay
    /// and are counted. Nil when the account is unknown.
    ///
    /// Throws `StoreError.invalid` for an unknown user.
    func setPlexAccountTarget(id: String, target: AccountTarget?, toUserID: Int64?, moveWatches: Bool)
        async throws -> AccountMove?
    /// Deletes a user with their watches, sessions and tokens; accounts sent to them go back to
    /// the default target. Returns false for an unknown user.
    func deleteUser(id: Int64) async throws -> Bool
}

/// Everything the host needs from storage, in one adapter.
public typealias Store = TrackerStore & PlexStore & CacheStore & AuthStore & AccountStore & ImportStore
    & NotificationStore & OperationsStore & AliasStore & ChangeFeed
