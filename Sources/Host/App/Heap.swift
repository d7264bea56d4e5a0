/// How the C allocator (glibc) holds this process's memory.
enum Heap {
    /// Lets the process's threads share two allocation arenas instead of up to eight per core.
    /// Each arena keeps the memory freed in it for its own thread's next allocations, so many
    /// arenas hold many partly used heaps: under webhook load with a 100,000-show library this
    /// saves 5 to 8 MB. Called first thing, before threads allocate.
    static func limitArenas() {
        #if os(Linux)
        _ = glibcMallopt(glibcArenaMax, 2)
        #endif
    }

    /// Gives the pages of freed heap memory back to the system.
    ///
    /// glibc keeps memory a program frees for its next allocations instead of returning it, so
    /// after start-up has read every catalog show and built the match index from them, the freed
    /// copies (tens of megabytes at 100,000 shows) would otherwise stay resident for the life of
    /// the daemon.
    static func returnFreedPages() {
        #if os(Linux)
        _ = glibcMallocTrim(0)
        #endif
    }
}

#if os(Linux)
// Declared here because Swift's Glibc module leaves out <malloc.h>.
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ padding: Int) -> Int32

@_silgen_name("mallopt")
private func glibcMallopt(_ parameter: Int32, _ value: Int32) -> Int32

/// `M_ARENA_MAX` in <malloc.h>.
private let glibcArenaMax: Int32 = -8
#endif
