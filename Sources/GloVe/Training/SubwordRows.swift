/// The rows that each word's vector sums in spelling-aware training
/// (``TrainingOptions/subwordHashes``): its own row, then the rows of its k
/// full-scheme min-hash buckets, numbered after the words.
struct SubwordRows: Sendable {
    /// Buckets per word (k).
    let hashes: Int
    /// Rows `0 ..< words` are words; bucket rows follow.
    let words: Int
    /// `words × hashes` bucket rows.
    private let buckets: [UInt32]

    /// The bucket rows of every word of `vocabulary` under `minHash` (full scheme).
    init(vocabulary: Vocabulary, minHash: MinHash, hashes: Int) {
        let words = vocabulary.count
        var buckets = [UInt32]()
        buckets.reserveCapacity(words * hashes)
        for id in 0..<words {
            vocabulary.withWordBytes(id) { bytes in
                for b in minHash.fullBuckets(bytes: bytes, count: hashes) { buckets.append(UInt32(words) + b) }
            }
        }
        (self.hashes, self.words, self.buckets) = (hashes, words, buckets)
    }

    /// The number of bucket rows that row `row` sums besides itself: k for a
    /// word, none for a bucket row.
    @inline(__always)
    func bucketCount(of row: Int) -> Int { row < words ? hashes : 0 }

    /// The `t`th bucket row of word `row` (`t < bucketCount(of: row)`).
    @inline(__always)
    func bucket(_ row: Int, _ t: Int) -> Int { Int(buckets[row &* hashes &+ t]) }

    /// Calls `body` with each row that row `row` sums: its own, then its buckets'.
    @inline(__always)
    func forEachRow(of row: Int, _ body: (Int) -> Void) {
        body(row)
        for t in 0..<bucketCount(of: row) { body(bucket(row, t)) }
    }
}
