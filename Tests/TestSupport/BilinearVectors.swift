import Foundation

/// Tests/vectors/bilinear (see scripts/make_bilinear_vectors.py): a small rating
/// problem and the numpy reference's closed-form answers for both forms.
public struct BilinearCase: Sendable {
    /// Paths of the input files.
    public let users: String, items: String, train: String, test: String
    /// Rows (user, item, value) of train.tsv and test.tsv.
    public let trainRows: [(user: Int, item: Int, value: Float)], testRows: [(user: Int, item: Int, value: Float)]

    /// The reference's answers for a form ("diagonal" or "full").
    public struct Expected: Sendable {
        /// Score of every (user, item).
        public let scores: [[Int]: Double]
        /// Each user's top 5 items, train items excluded.
        public let top: [Int: [Int]]
        /// precision, recall, ndcg, auc at 5 on the positives (ratings >= 4).
        public let metrics: [Double]
    }

    /// The reference's answers for `form`.
    public func expected(_ form: String) throws -> Expected {
        let root = vectorPath("bilinear")
        var scores: [[Int]: Double] = [:]
        for f in try tableLines(root + "/\(form)_scores.tsv") { scores[[Int(f[0])!, Int(f[1])!]] = Double(f[2])! }
        var top: [Int: [Int]] = [:]
        for f in try tableLines(root + "/\(form)_top.tsv") { top[Int(f[0])!, default: []].append(Int(f[2])!) }
        let metrics = try tableLines(root + "/\(form)_metrics.tsv")[0].map { Double($0)! }
        return Expected(scores: scores, top: top, metrics: metrics)
    }
}

/// The bilinear case.
public func loadBilinearCase() throws -> BilinearCase {
    let root = vectorPath("bilinear")
    func rows(_ name: String) throws -> [(user: Int, item: Int, value: Float)] {
        try tableLines(root + "/" + name).map { (Int($0[0])!, Int($0[1])!, Float($0[2])!) }
    }
    return BilinearCase(users: root + "/users.tsv", items: root + "/items.tsv", train: root + "/train.tsv",
                        test: root + "/test.tsv", trainRows: try rows("train.tsv"), testRows: try rows("test.tsv"))
}

private func tableLines(_ path: String) throws -> [[String]] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map {
        $0.split(separator: "\t").map(String.init)
    }
}
