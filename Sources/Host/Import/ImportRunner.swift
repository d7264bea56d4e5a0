import Foundation
import ServiceLifecycle

/// The daemon's side of import jobs, beside the server: at start (and every few seconds) it
/// resumes a job left running by a process that is gone; at shutdown it stops the job it runs,
/// which writes its checkpoint and lets go so that the next start resumes it.
struct ImportRunner: Service {
    let imports: PlexImportService
    var poll: Duration = .seconds(5)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await imports.resumeAbandoned()
                try? await Task.sleep(for: poll)
            }
        }
        await imports.stop()
    }
}
