/// Gives the pages of freed heap memory back to the system.
///
/// glibc keeps memory a program frees for its next allocations instead of returning it, so
/// after start-up has read every catalog show and built the match index from them, the freed
/// copies (tens of megabytes at 100,000 shows) would otherwise stay resident for the life of
/// the daemon.
enum FreedMemory {
    static func returnToSystem() {
        #if os(Linux)
        _ = glibcMallocTrim(0)
        #endif
    }
}

#if os(Linux)
// Declared here because Swift's Glibc module leaves out <malloc.h>.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ padding: Int) -> Int32
#endif
