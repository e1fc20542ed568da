/// Frequent-word subsampling (word2vec's `sample`): which occurrences of a
/// token are kept before windowing, so that the words left come closer.
///
/// An occurrence of id `i`, of relative frequency `f = count(i) / total`, is
/// kept with probability `min(1, (√(f / t) + 1) · t / f)` for threshold `t`.
/// The draw is a hash of the document's ids up to and including this one, so
/// it depends only on the document's content: it is the same for any number
/// of threads, on Spark and in every consumer.
struct Subsampling: Sendable {
    /// Per counted id: an occurrence is kept when its 32-bit draw is below
    /// this (2³² keeps every occurrence). Ids past the end are always kept.
    private let limits: [UInt64]

    /// The draw state at the start of a document.
    static let start: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// Subsampling at `threshold`, or nil when it is 0 (keep everything).
    /// The threshold is first rounded to a `Float`, the C struct's type, so
    /// that every consumer draws the same
    /// (``CooccurrenceOptions/validate()`` refuses values that round to 0 or 1).
    /// - Parameter counts: occurrences of each id, asked for only when
    ///   subsampling is on; ids past its end (min-hash buckets) and ids
    ///   counted 0 are always kept.
    init?(threshold: Double, counts: () -> [UInt64]) {
        let threshold = Double(Float(threshold))
        guard threshold > 0 else { return nil }
        let counts = counts()
        let total = counts.reduce(0.0) { $0 + Double($1) }
        let always = UInt64(1) << 32
        limits = counts.map { count in
            guard count > 0 else { return always }
            let f = Double(count) / total
            let kept = ((f / threshold).squareRoot() + 1) * threshold / f
            return kept < 1 ? UInt64(kept * 4_294_967_296) : always  // NaN keeps too
        }
    }

    /// Subsampling of documents given as ids (negative ids end documents),
    /// with each id's frequency taken from `ids` themselves.
    init?(threshold: Double, ids: UnsafeBufferPointer<Int32>) {
        self.init(threshold: threshold) {
            var counts = [UInt64](repeating: 0, count: Int(ids.max() ?? -1) + 1)
            for id in ids where id >= 0 { counts[Int(id)] += 1 }
            return counts
        }
    }

    /// Advances the document's draw `state` past `id`; returns whether this occurrence is kept.
    @inline(__always)
    func keep(_ id: UInt32, state: inout UInt64) -> Bool {
        state = mix(state ^ (UInt64(id) &* 0xD6E8_FEB8_6659_FD93))
        return Int(id) >= limits.count || state >> 32 < limits[Int(id)]
    }
}

extension Subsampling {
    /// Subsampling with frequencies from the vocabulary's counts (word2vec's
    /// total is the sum of the counts of the words kept); bucket ids are always kept.
    init?(threshold: Double, vocabulary: Vocabulary) {
        self.init(threshold: threshold) { (0..<vocabulary.count).map { vocabulary.count(of: $0) } }
    }
}
