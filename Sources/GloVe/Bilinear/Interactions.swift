/// Observed (user, item, value) interactions: ratings for explicit feedback,
/// or positives (value 1) for implicit feedback. Users and items are row
/// numbers of the user and item feature matrices.
public struct Interactions: Sendable, Equatable {
    /// User row of each interaction.
    public let users: [Int32]
    /// Item row of each interaction.
    public let items: [Int32]
    /// Rating or weight of each interaction.
    public let values: [Float]

    /// Interactions from parallel arrays; `values` empty means all 1.
    /// - Throws: ``GloVeError/invalidArgument(_:)`` for arrays of different lengths or a
    ///   negative id, ``GloVeError/numeric(_:)`` for a non-finite value.
    public init(users: [Int32], items: [Int32], values: [Float] = []) throws(GloVeError) {
        guard users.count == items.count, values.isEmpty || values.count == users.count else {
            throw .invalidArgument("users, items and values must have the same length (\(users.count), \(items.count), \(values.count))")
        }
        if let bad = users.firstIndex(where: { $0 < 0 }) ?? items.firstIndex(where: { $0 < 0 }) {
            throw .invalidArgument("interaction \(bad) has a negative user or item")
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) { throw .numeric("interaction \(bad) has a non-finite value") }
        self.users = users
        self.items = items
        self.values = values.isEmpty ? [Float](repeating: 1, count: users.count) : values
    }

    /// Number of interactions.
    public var count: Int { users.count }

    /// Checks that every user and item is a row of the given sizes.
    func validate(users userCount: Int, items itemCount: Int) throws(GloVeError) {
        if let bad = users.firstIndex(where: { Int($0) >= userCount }) {
            throw .invalidArgument("interaction \(bad) names user \(users[bad]) but there are \(userCount) users")
        }
        if let bad = items.firstIndex(where: { Int($0) >= itemCount }) {
            throw .invalidArgument("interaction \(bad) names item \(items[bad]) but there are \(itemCount) items")
        }
    }

    /// Each user's items, sorted and without repeats (`users` lists).
    public func itemsByUser(users userCount: Int) -> [[Int32]] {
        var lists = [[Int32]](repeating: [], count: userCount)
        for (u, i) in zip(users, items) where Int(u) < userCount { lists[Int(u)].append(i) }
        return lists.map { Array(Set($0)).sorted() }
    }

    /// The interactions at `indices`.
    func subset(_ indices: [Int]) -> Interactions {
        Interactions(unchecked: indices.map { users[$0] }, indices.map { items[$0] }, indices.map { values[$0] })
    }

    private init(unchecked users: [Int32], _ items: [Int32], _ values: [Float]) {
        self.users = users
        self.items = items
        self.values = values
    }
}
