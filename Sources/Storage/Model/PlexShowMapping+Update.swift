import Foundation

extension PlexShowMapping {
    /// Applies the fields an update sets, leaving the others.
    mutating func apply(_ update: MappingUpdate) {
        if let showID = update.showID { self.showID = showID }
        if let confidence = update.confidence { self.confidence = confidence }
        if let method = update.method { self.method = method }
        if let status = update.status { self.status = status }
        if let confirmed = update.confirmedByUser { self.confirmedByUser = confirmed }
        if let syncEnabled = update.syncEnabled { self.syncEnabled = syncEnabled }
        updatedAt = Date()
    }
}
