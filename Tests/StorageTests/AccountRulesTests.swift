import Foundation
import Storage
import Testing

/// Whose tracker a watch goes to, and how moved watches merge: inputs and results side by side.
@Suite("account rules")
struct AccountRulesTests {
    static let rows: [(String, String?, String?, Bool, AccountTarget?, [String], WatchDestination)] = [
        ("the owner, nothing set", "1", "owner", true, nil, [], .admin),
        ("a home user, nothing set", "2", "kid", false, nil, [],
         .notSynced("watches of kid are not synced: add the account to sync_accounts or choose where they go")),
        ("listed by id", "2", "kid", false, nil, ["2"], .admin),
        ("listed by name, any case", "2", "kid", false, nil, ["KID"], .admin),
        ("everyone listed", "3", "guest", false, nil, ["*"], .admin),
        ("a chosen user wins over the list", "2", "kid", false, .user(7), ["*"], .user(7)),
        ("a chosen none wins over ownership", "1", "owner", true, AccountTarget.none, [],
         .notSynced("watches of owner are set not to sync")),
        ("a chosen admin for an unlisted account", "3", "guest", false, .admin, [], .admin),
        ("no account at all", nil, nil, false, nil, [],
         .notSynced("watches of an unknown account are not synced: add the account to sync_accounts or choose where they go")),
    ]

    @Test("destination", arguments: rows)
    func destination(_ row: (String, String?, String?, Bool, AccountTarget?, [String], WatchDestination)) {
        let found = AccountRules.destination(
            accountID: row.1, accountName: row.2, isOwner: row.3, setting: row.4, syncAccounts: row.5)
        #expect(found == row.6, "\(row.0)")
    }

    static let t0 = Date(timeIntervalSince1970: 1_700_000_000)
    static let t1 = t0.addingTimeInterval(60)

    static let moves: [(String, StoredWatch, StoredWatch?, WatchMerge)] = [
        ("onto nothing", StoredWatch(date: t0, setByHand: false), nil, .insert(StoredWatch(date: t0, setByHand: false))),
        ("automatic onto automatic: the one there stays", StoredWatch(date: t0, setByHand: false),
         StoredWatch(date: t1, setByHand: false), .keep(StoredWatch(date: t1, setByHand: false))),
        ("automatic onto hand-set: the hand-set date wins", StoredWatch(date: t0, setByHand: false),
         StoredWatch(date: t1, setByHand: true), .keep(StoredWatch(date: t1, setByHand: true))),
        ("hand-set onto automatic: the hand-set date wins", StoredWatch(date: t0, setByHand: true),
         StoredWatch(date: t1, setByHand: false), .replace(StoredWatch(date: t0, setByHand: true))),
        ("hand-set onto hand-set: the one there stays", StoredWatch(date: t0, setByHand: true),
         StoredWatch(date: t1, setByHand: true), .keep(StoredWatch(date: t1, setByHand: true))),
    ]

    @Test("moved watches", arguments: moves)
    func moved(_ row: (String, StoredWatch, StoredWatch?, WatchMerge)) {
        #expect(AccountRules.moved(row.1, onto: row.2) == row.3, "\(row.0)")
    }
}
