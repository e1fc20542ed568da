extension Trainer {
    /// Threads that training runs on: the options' count, or every processor.
    var workerCount: Int { options.threads > 0 ? options.threads : processorCount }

    /// The entries that worker `worker` of `workers` trains in an epoch.
    static func slice(_ worker: Int, of workers: Int, count: Int) -> Range<Int> {
        (count * worker / workers)..<(count * (worker + 1) / workers)
    }

    /// Prepares the entries' order for the next epoch and counts the shuffle.
    func shuffleEntries(workers: Int) {
        source.shuffle(first: shuffleCount == 0, workers: workers, random: &random)
        shuffleCount += 1
    }
}

/// Fisher–Yates over `entries`. Each swap partner is drawn 16 swaps early and
/// its cache line prefetched (the draws keep their order, so the permutation
/// is the textbook one for the generator).
func fisherYates<Element>(_ entries: UnsafeMutableBufferPointer<Element>, using random: inout SplitMix64) {
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
