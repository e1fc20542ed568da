/// How many records each chunk still holds, as a Fenwick (binary indexed)
/// tree: drawing the chunk of the `pick`-th remaining record and taking one
/// record from a chunk cost O(log chunks) each, where a scan over the chunks
/// costs O(chunks). The chunk found is the one a scan would find.
struct RemainingCounts {
    /// tree[k] (1-based) sums the counts of chunks k − lowbit(k) + 1 … k.
    private var tree: [Int]
    private let top: Int

    /// The counts of each chunk, in order.
    init(_ counts: [Int]) {
        tree = [0] + counts
        for k in 1..<tree.count {
            let parent = k + (k & -k)
            if parent < tree.count { tree[parent] += tree[k] }
        }
        var top = 1
        while top * 2 < tree.count { top *= 2 }
        self.top = top
    }

    /// The chunk holding the `pick`-th of the remaining records, counting
    /// chunks in order (`pick` below the total left).
    func chunk(holding pick: Int) -> Int {
        var position = 0, left = pick, step = top
        while step > 0 {
            let next = position + step
            if next < tree.count && tree[next] <= left {
                position = next
                left -= tree[next]
            }
            step /= 2
        }
        return position  // 1-based `position + 1`, so 0-based `position`
    }

    /// Takes one record from `chunk`.
    mutating func takeOne(from chunk: Int) {
        var k = chunk + 1
        while k < tree.count {
            tree[k] -= 1
            k += k & -k
        }
    }
}
