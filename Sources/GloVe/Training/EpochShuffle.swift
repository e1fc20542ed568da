extension Trainer {
    /// Threads that training runs on: the options' count, or every processor.
    var workerCount: Int { options.threads > 0 ? options.threads : processorCount }

    /// The entries that worker `worker` of `workers` trains in an epoch.
    static func slice(_ worker: Int, of workers: Int, count: Int) -> Range<Int> {
        (count * worker / workers)..<(count * (worker + 1) / workers)
    }

    /// Shuffles the entries before an epoch and counts the shuffle.
    ///
    /// The first shuffle is one Fisher–Yates pass over all the entries. Later
    /// ones shuffle each worker's slice on that worker's thread, so that the
    /// shuffle scales with the threads as training does; the slices are then
    /// a random partition of the entries, fixed after the first epoch (Stanford
    /// GloVe shuffles only once). With one worker every shuffle is global.
    /// Each pass has its own generator, seeded from the trainer's.
    func shuffleEntries(workers: Int) {
        let parts = shuffleCount == 0 ? 1 : workers
        let seeds = (0..<parts).map { _ in random.next() }
        shuffleCount += 1
        entries.withUnsafeMutableBufferPointer { all in
            let shared = SendableBuffer(all)
            runParallel(parts) { part in
                var generator = SplitMix64(seed: seeds[part])
                fisherYates(UnsafeMutableBufferPointer(rebasing: shared.buffer[Self.slice(part, of: parts, count: shared.buffer.count)]),
                            using: &generator)
            }
        }
    }
}

/// Fisher–Yates over `entries`. Each swap partner is drawn 16 swaps early and
/// its cache line prefetched (the draws keep their order, so the permutation
/// is the textbook one for the generator).
func fisherYates(_ entries: UnsafeMutableBufferPointer<TrainingEntry>, using random: inout SplitMix64) {
    guard entries.count > 1, let base = entries.baseAddress else { return }
    let ahead = 16
    var partners = [Int](repeating: 0, count: ahead)  // partner of position p at p % ahead
    var next = entries.count - 1  // the next position to draw a partner for
    func draw() {
        let partner = random.next(below: next + 1)
        partners[next % ahead] = partner
        prefetch(base + partner)
        next -= 1
    }
    while next >= 1 && next > entries.count - 1 - ahead { draw() }
    for i in stride(from: entries.count - 1, to: 0, by: -1) {
        let partner = partners[i % ahead]
        if next >= 1 { draw() }
        entries.swapAt(i, partner)
    }
}
